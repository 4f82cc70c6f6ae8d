import { lemmatise } from '../pipeline/taxonomy';

/**
 * Words as search sees them, the same for the findings indexed and for the words of a query.
 *
 * A word is a run of letters and digits, with an apostrophe (straight or typographic) inside it
 * when a letter or digit follows ("children's", "don't"); anything else separates words, so
 * "multi-agency" is two words and "12.3" is two numbers. A word is compared folded (lower case,
 * typographic apostrophe as straight, accents dropped) and, for matching, in its dictionary form
 * (its lemma, by the tagger's {@link lemmatise}) without a possessive "'s": "Children's" is
 * "child", "assessments" is "assessment", "initiated" is "initiate".
 */

const wordCharCache = new Map<number, boolean>();
const LETTER_OR_DIGIT = /^[\p{L}\p{N}\p{M}]$/u;

/** Whether the UTF-16 unit `code` belongs in a word (letters, digits and combining marks). */
export function isWordChar(code: number): boolean {
  if (code < 128) {
    return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57);
  }
  // Surrogates (letters beyond the Basic Multilingual Plane) separate words.
  if (code >= 0xd800 && code <= 0xdfff) return false;
  let known = wordCharCache.get(code);
  if (known === undefined) {
    known = LETTER_OR_DIGIT.test(String.fromCharCode(code));
    wordCharCache.set(code, known);
  }
  return known;
}

function isApostrophe(code: number): boolean {
  return code === 39 || code === 0x2019;
}

/**
 * Calls `visit(start, end)` for each word of `text` in order, with its UTF-16 offsets in `text`.
 * The same scanner serves the index, the query parser and the highlighting, so that word
 * positions agree everywhere.
 */
export function forEachWord(text: string, visit: (start: number, end: number) => void): void {
  const n = text.length;
  let i = 0;
  while (i < n) {
    if (!isWordChar(text.charCodeAt(i))) {
      i++;
      continue;
    }
    const start = i;
    i++;
    for (;;) {
      while (i < n && isWordChar(text.charCodeAt(i))) i++;
      if (i + 1 < n && isApostrophe(text.charCodeAt(i)) && isWordChar(text.charCodeAt(i + 1))) {
        i += 2;
        continue;
      }
      break;
    }
    visit(start, i);
  }
}

/** A word's offsets in its text and its folded form. */
export interface WordSpan {
  start: number;
  end: number;
  word: string;
}

/** The words of `text` with their offsets, folded. */
export function words(text: string): WordSpan[] {
  const out: WordSpan[] = [];
  forEachWord(text, (start, end) => out.push({ start, end, word: fold(text.slice(start, end)) }));
  return out;
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 127) return false;
  return true;
}

const MARKS = /\p{M}/gu;

/** A word as compared: lower case, typographic apostrophe as "'", accents dropped. */
export function fold(word: string): string {
  const lower = word.toLowerCase();
  if (isAscii(lower)) return lower;
  return lower
    .replace(/\u2019/g, "'")
    .normalize('NFKD')
    .replace(MARKS, '');
}

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
