import { lemmaOf } from './lemma';

/**
 * Words too common in any English text to say what a finding is about. They are indexed and
 * searched like any word ("not seen alone" needs "not"), but leave similarity alone.
 */
const STOP_WORDS = `a about above after again against all also although am an and any are as at
be because been before being below between both but by can cannot could did do does doing down
during each either even ever every few for from further had has have having he her here hers
herself him himself his how however i if in into is it its itself just may me might more most
must my myself neither no nor not of off on once only onto or other others otherwise our ours
ourselves out over own per same shall she should so some such than that the their theirs them
themselves then there therefore these they this those though through thus to too under until
up upon us very via was we were what when where whereas whether which while who whom whose why
will with within without would yet you your yours yourself yourselves`.split(/\s+/);

const STOP_LEMMAS: ReadonlySet<string> = new Set([...STOP_WORDS, ...STOP_WORDS.map(lemmaOf)]);

/** Whether a dictionary form carries no weight in similarity: a stop word, a letter or nothing. */
export function isStopLemma(lemma: string): boolean {
  return lemma.length < 2 || STOP_LEMMAS.has(lemma);
}

/** Inverse document frequency: ln(findings / findings containing the word); 0 for a word in all. */
export function idf(findings: number, withWord: number): number {
  return withWord > 0 && withWord < findings ? Math.log(findings / withWord) : 0;
}

/** A word's TF-IDF weight in one finding: (1 + ln count) × idf (sublinear term frequency). */
export function tfidf(count: number, wordIdf: number): number {
  return count > 0 ? (1 + Math.log(count)) * wordIdf : 0;
}
