import { lemmatise } from '../pipeline/taxonomy';

/**
 * Dictionary forms for search (see `text.ts` for words): the tagger's lemmatiser, whose
 * dictionary is large, in a module of its own so that what only parses queries does not load it.
 */

const lemmaCache = new Map<string, string>();

/**
 * The dictionary form a folded word is matched by: its lemma ({@link lemmatise}) without a
 * possessive "'s", so that "children's" and "children" both match "child". The lemma of the
 * lemma is taken until it settles: `lemmatise` tries a noun first, then a verb, so "meetings" is
 * "meeting" but "meeting" is "meet"; taken again, both are "meet" and each finds the other.
 */
export function lemmaOf(folded: string): string {
  let lemma = lemmaCache.get(folded);
  if (lemma !== undefined) return lemma;
  lemma = lemmatise(folded);
  if (lemma.length > 2 && lemma.endsWith("'s")) lemma = lemma.slice(0, -2);
  for (let i = 0; i < 3; i++) {
    const again = lemmatise(lemma);
    if (again === lemma) break;
    lemma = again;
  }
  // Bounded: an archive has some tens of thousands of distinct words.
  if (lemmaCache.size < 200_000) lemmaCache.set(folded, lemma);
  return lemma;
}
