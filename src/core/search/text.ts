/**
 * Words as search sees them, the same for the findings indexed and for the words of a query.
 *
 * A word is a run of letters and digits, with an apostrophe (straight or typographic) inside it
 * when a letter or digit follows ("children's", "don't"); anything else separates words, so
 * "multi-agency" is two words and "12.3" is two numbers. A word is compared folded (lower case,
 * typographic apostrophe as straight, accents dropped) and, for matching, in its dictionary form
 * (its lemma, `lemma.ts`) without a possessive "'s": "Children's" is "child", "assessments" is
 * "assessment", "initiated" is "initiate".
 *
 * This module holds no dictionary (the lemmatiser's is large, and lives in `lemma.ts`), so that
 * the query parser and the saved themes' checks load without it.
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

/** Whether matched words with `gap` between them are shown as one run: a space, a hyphen. */
function joins(gap: string): boolean {
  if (gap.length > 3) return false;
  for (let i = 0; i < gap.length; i++) {
    const code = gap.charCodeAt(i);
    if (code === 10 || code === 13 || isWordChar(code)) return false;
  }
  return true;
}

/**
 * The runs of matched words in `text`: matched words (`spans`, in text order, UTF-16 offsets)
 * with at most a few spaces or punctuation marks between them make one run ("not seen alone",
 * "multi-agency").
 */
export function matchedRuns(
  text: string,
  spans: readonly (readonly [number, number])[],
): [start: number, end: number][] {
  const runs: [number, number][] = [];
  let i = 0;
  while (i < spans.length) {
    const start = spans[i]![0];
    let end = spans[i]![1];
    while (i + 1 < spans.length && joins(text.slice(end, spans[i + 1]![0]))) {
      end = spans[++i]![1];
    }
    runs.push([start, end]);
    i++;
  }
  return runs;
}
