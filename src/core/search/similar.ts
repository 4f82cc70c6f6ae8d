import { accumulate, type SearchIndex } from './index';
import { fold, forEachWord } from './text';
import { idf, isStopLemma, tfidf } from './weighting';

/**
 * Similar findings: the other findings ranked by TF-IDF cosine similarity over dictionary forms.
 *
 * Each finding is turned into a list of weights, one for each word it contains, counted by
 * dictionary form ("assessments" and "assessment" are one word) and leaving out stop words
 * ("the", "and", "not"…, which any English sentence has). A word's weight in a finding is
 * (1 + ln tf) × ln(N / df): tf is how many times the finding uses the word, N how many findings
 * there are and df how many of them use the word. So a word said twice counts more than once,
 * but not twice as much, and a word that few findings use counts much more than one that most
 * do; a word that every finding uses counts nothing.
 *
 * Two findings' similarity is the cosine of the angle between their lists of weights: the sum,
 * over the words they share, of the product of the word's two weights, divided by the product of
 * the two lists' lengths (the square root of the sum of squared weights). It runs from 0 (no word
 * that counts in common) to 1 (the same words in the same proportions), whatever the findings'
 * lengths; a finding said again in another letter scores close to 1. The words shared are given
 * with each result, those that add most to the score first.
 *
 * Only findings sharing at least one word with the chosen one are scored, found through the
 * index's postings of that finding's words, so the cost follows how common its words are, not
 * the size of the archive.
 */

/** One similar finding. */
export interface SimilarFinding {
  /** Its number in the index (place in the input). */
  finding: number;
  finding_id: string;
  /** Cosine similarity, from 0 to 1. */
  score: number;
  /** The dictionary forms both findings use, the ones adding most to the score first. */
  shared: string[];
}

/** Per index, reused between calls: a score per finding and the findings scored. */
const scratch = new WeakMap<SearchIndex, { acc: Float64Array; touched: Uint32Array }>();

/** The weighted dictionary forms of a finding of the index: lemma id → TF-IDF weight. */
function vectorOf(index: SearchIndex, finding: number): Map<number, number> {
  const text = index.texts[finding] ?? '';
  const counts = new Map<number, number>();
  forEachWord(text, (s, e) => {
    const form = index.formIds.get(fold(text.slice(s, e)));
    if (form === undefined) return;
    const lemma = index.formLemma[form]!;
    counts.set(lemma, (counts.get(lemma) ?? 0) + 1);
  });
  const vector = new Map<number, number>();
  for (const [lemma, count] of counts) {
    if (isStopLemma(index.lemmas[lemma]!)) continue;
    const weight = tfidf(count, idf(index.size, index.docFreq[lemma]!));
    if (weight > 0) vector.set(lemma, weight);
  }
  return vector;
}

/** A bounded min-heap of (score, finding), the worst (lowest score, then highest number) on top. */
class TopN {
  readonly scores: number[] = [];
  readonly docs: number[] = [];

  constructor(private readonly limit: number) {}

  private worse(i: number, j: number): boolean {
    const a = this.scores[i]!;
    const b = this.scores[j]!;
    return a < b || (a === b && this.docs[i]! > this.docs[j]!);
  }

  private swap(i: number, j: number): void {
    const score = this.scores[i]!;
    this.scores[i] = this.scores[j]!;
    this.scores[j] = score;
    const doc = this.docs[i]!;
    this.docs[i] = this.docs[j]!;
    this.docs[j] = doc;
  }

  offer(score: number, doc: number): void {
    if (this.limit <= 0) return;
    if (this.scores.length < this.limit) {
      this.scores.push(score);
      this.docs.push(doc);
      for (let i = this.scores.length - 1; i > 0;) {
        const parent = (i - 1) >> 1;
        if (!this.worse(i, parent)) break;
        this.swap(i, parent);
        i = parent;
      }
      return;
    }
    const top = this.scores[0]!;
    if (score < top || (score === top && doc > this.docs[0]!)) return;
    this.scores[0] = score;
    this.docs[0] = doc;
    for (let i = 0; ;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < this.scores.length && this.worse(l, m)) m = l;
      if (r < this.scores.length && this.worse(r, m)) m = r;
      if (m === i) break;
      this.swap(i, m);
      i = m;
    }
  }

  /** Best first: highest score, then lowest finding number. */
  sorted(): Array<{ score: number; doc: number }> {
    return this.scores
      .map((score, i) => ({ score, doc: this.docs[i]! }))
      .sort((a, b) => b.score - a.score || a.doc - b.doc);
  }
}

/** How many findings "findings like this" lists, in the page and from the command line. */
export const SIMILAR_LIMIT = 10;

/**
 * The `limit` findings most similar to finding number `finding` (itself left out), best first;
 * ties go to the earlier finding. Findings sharing no word that counts are never returned.
 */
export function similarFindings(
  index: SearchIndex,
  finding: number,
  limit = SIMILAR_LIMIT,
): SimilarFinding[] {
  if (finding < 0 || finding >= index.size) throw new RangeError(`no finding number ${finding}`);
  const query = vectorOf(index, finding);
  let norm = 0;
  for (const weight of query.values()) norm += weight * weight;
  norm = Math.sqrt(norm);
  if (norm === 0 || limit <= 0) return [];

  let buffers = scratch.get(index);
  if (!buffers) {
    buffers = { acc: new Float64Array(index.size), touched: new Uint32Array(index.size) };
    scratch.set(index, buffers);
  }
  const { acc, touched } = buffers;
  let scored = 0;
  try {
    for (const [lemma, weight] of query) {
      const factor = weight * idf(index.size, index.docFreq[lemma]!);
      scored = accumulate(index, lemma, factor, acc, touched, scored, finding);
    }
    const top = new TopN(limit);
    for (let i = 0; i < scored; i++) {
      const doc = touched[i]!;
      const score = Math.min(1, acc[doc]! / (norm * index.norms[doc]!));
      top.offer(score, doc);
    }
    return top.sorted().map(({ score, doc }) => {
      const other = vectorOf(index, doc);
      const shared = [...query]
        .filter(([lemma]) => other.has(lemma))
        .map(([lemma, weight]) => ({ lemma, part: weight * other.get(lemma)! }))
        .sort(
          (a, b) => b.part - a.part || (index.lemmas[a.lemma]! < index.lemmas[b.lemma]! ? -1 : 1),
        )
        .map((s) => index.lemmas[s.lemma]!);
      return { finding: doc, finding_id: index.ids[doc]!, score, shared };
    });
  } finally {
    for (let i = 0; i < scored; i++) acc[touched[i]!] = 0;
  }
}
