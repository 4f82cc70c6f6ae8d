import { parseQuery, type QueryError, type QueryNode, type WordPattern } from './query';
import { lemmaOf } from './lemma';
import { fold, forEachWord, matchedRuns } from './text';
import { idf, isStopLemma, tfidf } from './weighting';

/**
 * An inverted index over findings' texts, for the search box and for similar findings. Pure
 * TypeScript on typed arrays: it builds and answers the same in Node, a page or a worker.
 *
 * Vocabulary: every distinct folded word (a *form*: "assessments") and every dictionary form (a
 * *lemma*: "assessment"), each form knowing its lemma and its number among that lemma's forms
 * (its *slot*). Postings: one list per lemma, in finding order, stored as variable-length bytes
 * in one `Uint8Array` (7 bits a byte, the high bit saying "more"): for each finding holding the
 * lemma, the gap from the previous such finding, the number of occurrences, the word positions
 * (gaps from the previous one) and, only for a lemma with more than one form, each occurrence's
 * slot. A word query reads one lemma's list; a prefix (`assess*`) reads the lemmas beginning so
 * and, for lemmas that do not but have forms that do ("childr*": "children", lemma "child"),
 * only the occurrences of those forms; phrases compare word positions. An AND or a phrase reads
 * its rarest part first and then only the findings left. At about 3 bytes a word, the postings
 * of a million findings (38 million words) take some 115 MB, half the size of their texts.
 */

/** One finding to index. */
export interface FindingText {
  finding_id: string;
  text: string;
}

/** A character span of one matched word in a finding's text (UTF-16 offsets, end exclusive). */
export type TextSpan = readonly [start: number, end: number];

/** The index; build it with {@link buildSearchIndex}. Treat every field as read-only. */
export interface SearchIndex {
  /** Number of findings; a finding's number is its place in the input. */
  readonly size: number;
  readonly ids: readonly string[];
  /** The findings' texts, kept for highlighting and for similar findings' shared words. */
  readonly texts: readonly string[];
  /** Lemma id → lemma, and back. */
  readonly lemmas: readonly string[];
  readonly lemmaIds: ReadonlyMap<string, number>;
  /** Lemma ids ordered by lemma (code units), for prefixes. */
  readonly lemmasSorted: Uint32Array;
  /** Form id → folded form, and back; form ids ordered by form; each form's lemma and slot. */
  readonly forms: readonly string[];
  readonly formIds: ReadonlyMap<string, number>;
  readonly formsSorted: Uint32Array;
  readonly formLemma: Uint32Array;
  readonly formSlot: Uint32Array;
  /** Per lemma: number of forms, findings holding it, occurrences, first byte of its postings. */
  readonly lemmaFormCount: Uint32Array;
  readonly docFreq: Uint32Array;
  readonly occurrences: Uint32Array;
  readonly postingStart: Uint32Array;
  readonly postings: Uint8Array;
  /** Per finding: the length of its TF-IDF vector over lemmas, stop words out (`similar.ts`). */
  readonly norms: Float32Array;
}

/** Sizes of an index, for benchmarks. */
export interface IndexStats {
  findings: number;
  words: number;
  lemmas: number;
  forms: number;
  postings_bytes: number;
  /** Typed arrays plus an estimate of the vocabulary's strings and maps; texts not counted. */
  index_bytes: number;
}

function grow<T extends Uint8Array | Uint32Array>(array: T, need: number): T {
  if (need <= array.length) return array;
  const next = new (array.constructor as new (n: number) => T)(
    Math.max(need, Math.ceil(array.length * 1.5)),
  );
  next.set(array);
  return next;
}

/** Builds the index of `findings` (numbered by their place in the array). */
export function buildSearchIndex(findings: readonly FindingText[]): SearchIndex {
  const n = findings.length;
  const ids = findings.map((f) => f.finding_id);
  const texts = findings.map((f) => f.text ?? '');

  // Pass 1: every word's form id, finding after finding.
  const rawIds = new Map<string, number>();
  const formIds = new Map<string, number>();
  const forms: string[] = [];
  const formLemmaList: number[] = [];
  const formSlotList: number[] = [];
  const lemmaIds = new Map<string, number>();
  const lemmas: string[] = [];
  const lemmaFormList: number[] = [];
  // English has about one word in six characters: sized so as seldom to grow.
  let chars = 0;
  for (const text of texts) chars += text.length;
  let forward = new Uint32Array(Math.ceil(chars / 5) + 1024);
  let total = 0;
  const docStart = new Uint32Array(n + 1);
  let maxWords = 0;
  for (let d = 0; d < n; d++) {
    docStart[d] = total;
    const text = texts[d]!;
    forEachWord(text, (s, e) => {
      const raw = text.slice(s, e);
      let form = rawIds.get(raw);
      if (form === undefined) {
        const folded = fold(raw);
        form = formIds.get(folded);
        if (form === undefined) {
          form = forms.length;
          forms.push(folded);
          formIds.set(folded, form);
          const lemma = lemmaOf(folded);
          let l = lemmaIds.get(lemma);
          if (l === undefined) {
            l = lemmas.length;
            lemmas.push(lemma);
            lemmaIds.set(lemma, l);
            lemmaFormList.push(0);
          }
          formLemmaList.push(l);
          formSlotList.push(lemmaFormList[l]!);
          lemmaFormList[l]!++;
        }
        rawIds.set(raw, form);
      }
      if (total === forward.length) forward = grow(forward, total + 1);
      forward[total++] = form;
    });
    maxWords = Math.max(maxWords, total - docStart[d]!);
  }
  docStart[n] = total;
  const formLemma = Uint32Array.from(formLemmaList);
  const formSlot = Uint32Array.from(formSlotList);
  const lemmaFormCount = Uint32Array.from(lemmaFormList);
  const L = lemmas.length;

  // Pass 2: counts per lemma, then the words sorted by lemma (stable: finding, then position).
  const occurrences = new Uint32Array(L);
  const docFreq = new Uint32Array(L);
  const lastDoc = new Int32Array(L).fill(-1);
  for (let d = 0; d < n; d++) {
    for (let k = docStart[d]!, end = docStart[d + 1]!; k < end; k++) {
      const l = formLemma[forward[k]!]!;
      occurrences[l]!++;
      if (lastDoc[l] !== d) {
        lastDoc[l] = d;
        docFreq[l]!++;
      }
    }
  }
  const from = new Uint32Array(L + 1);
  for (let l = 0; l < L; l++) from[l + 1] = from[l]! + occurrences[l]!;
  const cursor = from.slice(0, L);
  const sortedDoc = new Uint32Array(total);
  const sortedPos = maxWords < 65536 ? new Uint16Array(total) : new Uint32Array(total);
  let maxForms = 0;
  for (const count of lemmaFormCount) maxForms = Math.max(maxForms, count);
  const sortedSlot = maxForms <= 65536 ? new Uint16Array(total) : new Uint32Array(total);
  for (let d = 0; d < n; d++) {
    const start = docStart[d]!;
    for (let k = start, end = docStart[d + 1]!; k < end; k++) {
      const f = forward[k]!;
      const at = cursor[formLemma[f]!]!++;
      sortedDoc[at] = d;
      sortedPos[at] = k - start;
      sortedSlot[at] = formSlot[f]!;
    }
  }
  forward = new Uint32Array(0);

  // Pass 3: the postings as bytes, and each finding's TF-IDF length.
  // About three bytes a word (see above).
  let out = new Uint8Array(Math.max(1024, Math.ceil(total * 3.2)));
  let len = 0;
  const write = (value: number) => {
    while (value >= 128) {
      out[len++] = (value & 127) | 128;
      value = Math.floor(value / 128);
    }
    out[len++] = value;
  };
  const postingStart = new Uint32Array(L + 1);
  const sums = new Float64Array(n);
  for (let l = 0; l < L; l++) {
    postingStart[l] = len;
    const weight = isStopLemma(lemmas[l]!) ? 0 : idf(n, docFreq[l]!);
    const multi = lemmaFormCount[l]! > 1;
    let previous = 0;
    for (let j = from[l]!, end = from[l + 1]!; j < end;) {
      const d = sortedDoc[j]!;
      let k = j + 1;
      while (k < end && sortedDoc[k] === d) k++;
      const count = k - j;
      out = grow(out, len + 10 + 10 * count);
      write(d - previous);
      previous = d;
      write(count);
      let at = 0;
      for (let m = j; m < k; m++) {
        write(sortedPos[m]! - at);
        at = sortedPos[m]!;
      }
      if (multi) for (let m = j; m < k; m++) write(sortedSlot[m]!);
      if (weight > 0) sums[d]! += tfidf(count, weight) ** 2;
      j = k;
    }
  }
  postingStart[L] = len;
  const norms = new Float32Array(n);
  for (let d = 0; d < n; d++) norms[d] = Math.sqrt(sums[d]!);

  const byText = (list: readonly string[]) =>
    Uint32Array.from(list.keys()).sort((a, b) => (list[a]! < list[b]! ? -1 : 1));
  return {
    size: n,
    ids,
    texts,
    lemmas,
    lemmaIds,
    lemmasSorted: byText(lemmas),
    forms,
    formIds,
    formsSorted: byText(forms),
    formLemma,
    formSlot,
    lemmaFormCount,
    docFreq,
    occurrences,
    postingStart,
    postings: out.slice(0, len),
    norms,
  };
}

/** The sizes of an index. */
export function indexStats(index: SearchIndex): IndexStats {
  const arrays = [
    index.lemmasSorted,
    index.formsSorted,
    index.formLemma,
    index.formSlot,
    index.lemmaFormCount,
    index.docFreq,
    index.occurrences,
    index.postingStart,
    index.postings,
    index.norms,
  ].reduce((sum, a) => sum + a.byteLength, 0);
  // Strings: two bytes a character plus some 40 bytes of overhead, and one map entry each.
  const vocabulary = [...index.lemmas, ...index.forms].reduce(
    (sum, s) => sum + 40 + 2 * s.length,
    0,
  );
  const maps = (index.lemmas.length + index.forms.length) * 40;
  let words = 0;
  for (const count of index.occurrences) words += count;
  return {
    findings: index.size,
    words,
    lemmas: index.lemmas.length,
    forms: index.forms.length,
    postings_bytes: index.postings.byteLength,
    index_bytes: arrays + vocabulary + maps,
  };
}

/**
 * Reads one lemma's postings: after {@link open}, each {@link next} moves to the next finding
 * holding the lemma (`doc`, `count`) and {@link readPositions} gives its word positions and slots.
 */
export class PostingReader {
  doc = 0;
  count = 0;
  private p = 0;
  private left = 0;
  private multi = false;
  private pending = false;

  constructor(private readonly index: SearchIndex) {}

  open(lemma: number): this {
    this.p = this.index.postingStart[lemma]!;
    this.left = this.index.docFreq[lemma]!;
    this.multi = this.index.lemmaFormCount[lemma]! > 1;
    this.doc = 0;
    this.count = 0;
    this.pending = false;
    return this;
  }

  private varint(): number {
    const buf = this.index.postings;
    let b = buf[this.p++]!;
    let value = b & 127;
    let scale = 128;
    while (b >= 128) {
      b = buf[this.p++]!;
      value += (b & 127) * scale;
      scale *= 128;
    }
    return value;
  }

  private skip(values: number): void {
    const buf = this.index.postings;
    for (let i = 0; i < values; i++) while (buf[this.p++]! >= 128);
  }

  /** Moves to the next finding; false at the end. */
  next(): boolean {
    if (this.pending) this.skip(this.multi ? 2 * this.count : this.count);
    if (this.left === 0) return false;
    this.left--;
    this.doc += this.varint();
    this.count = this.varint();
    this.pending = true;
    return true;
  }

  /**
   * Writes the current finding's word positions into `positions` from `at`, keeping only the
   * occurrences whose slot `slots` allows (all when null); returns how many were written.
   */
  readPositions(positions: Uint32Array, at: number, slots: Uint8Array | null): number {
    this.pending = false;
    let position = 0;
    for (let i = 0; i < this.count; i++) {
      position += this.varint();
      positions[at + i] = position;
    }
    if (!this.multi) return this.count;
    if (slots === null) {
      this.skip(this.count);
      return this.count;
    }
    let kept = 0;
    for (let i = 0; i < this.count; i++) {
      if (slots[this.varint()] === 1) positions[at + kept++] = positions[at + i]!;
    }
    return kept;
  }
}

/**
 * For similarity: adds `factor × (1 + ln count)` to `acc[doc]` for every finding holding `lemma`
 * but `skip`, noting each finding met for the first time in `touched` from `scored` on; returns
 * the new `scored`. The postings are read inline, without positions, as this is the hot loop.
 */
export function accumulate(
  index: SearchIndex,
  lemma: number,
  factor: number,
  acc: Float64Array,
  touched: Uint32Array,
  scored: number,
  skip: number,
): number {
  const buf = index.postings;
  const multi = index.lemmaFormCount[lemma]! > 1;
  let p = index.postingStart[lemma]!;
  let doc = 0;
  for (let left = index.docFreq[lemma]!; left > 0; left--) {
    let b = buf[p++]!;
    let gap = b & 127;
    for (let scale = 128; b >= 128; scale *= 128) {
      b = buf[p++]!;
      gap += (b & 127) * scale;
    }
    doc += gap;
    b = buf[p++]!;
    let count = b & 127;
    for (let scale = 128; b >= 128; scale *= 128) {
      b = buf[p++]!;
      count += (b & 127) * scale;
    }
    for (let k = multi ? 2 * count : count; k > 0; k--) while (buf[p++]! >= 128);
    if (doc === skip) continue;
    if (acc[doc] === 0) touched[scored++] = doc;
    acc[doc]! += factor * (count < 64 ? LOG_TF[count]! : 1 + Math.log(count));
  }
  return scored;
}

/** 1 + ln(count) for the counts a finding has. */
const LOG_TF = Float64Array.from({ length: 64 }, (_, c) => (c === 0 ? 0 : 1 + Math.log(c)));

/** Findings (ascending) with, for each, the word positions (ascending) that matched. */
interface Hits {
  docs: Uint32Array;
  /** `pos[offs[k]]` up to `pos[offs[k + 1]]`: the k-th finding's positions. */
  offs: Uint32Array;
  pos: Uint32Array;
}

const NO_HITS: Hits = {
  docs: new Uint32Array(0),
  offs: new Uint32Array(1),
  pos: new Uint32Array(0),
};

/**
 * One lemma's postings, all of them or only the occurrences of the forms in `slots`, and only in
 * the findings of `within` (ascending) when it is given: the reading stops after the last of
 * them, and the positions of the findings in between are skipped, not copied.
 */
function lemmaHits(
  index: SearchIndex,
  lemma: number,
  slots: Uint8Array | null,
  within: Uint32Array | null,
): Hits {
  const df = index.docFreq[lemma]!;
  const most = within === null ? df : Math.min(df, within.length);
  const docs = new Uint32Array(most);
  const offs = new Uint32Array(most + 1);
  let pos = new Uint32Array(
    within === null
      ? index.occurrences[lemma]!
      : Math.min(index.occurrences[lemma]!, 64 + 4 * most),
  );
  const reader = new PostingReader(index).open(lemma);
  let nd = 0;
  let np = 0;
  let j = 0;
  while (reader.next()) {
    if (within !== null) {
      const doc = reader.doc;
      while (j < within.length && within[j]! < doc) j++;
      if (j === within.length) break;
      if (within[j] !== doc) continue;
      pos = grow(pos, np + reader.count);
    }
    const kept = reader.readPositions(pos, np, slots);
    if (kept === 0) continue;
    docs[nd++] = reader.doc;
    np += kept;
    offs[nd] = np;
  }
  return { docs: docs.subarray(0, nd), offs: offs.subarray(0, nd + 1), pos: pos.subarray(0, np) };
}

/** Merges two ascending runs of positions into `out` from `at`, without repeats; returns the end. */
function mergePositions(
  a: Uint32Array,
  aFrom: number,
  aTo: number,
  b: Uint32Array,
  bFrom: number,
  bTo: number,
  out: Uint32Array,
  at: number,
): number {
  let i = aFrom;
  let j = bFrom;
  while (i < aTo || j < bTo) {
    let v: number;
    if (j >= bTo || (i < aTo && a[i]! < b[j]!)) v = a[i++]!;
    else if (i >= aTo || b[j]! < a[i]!) v = b[j++]!;
    else {
      v = a[i++]!;
      j++;
    }
    out[at++] = v;
  }
  return at;
}

function union(a: Hits, b: Hits): Hits {
  if (a.docs.length === 0) return b;
  if (b.docs.length === 0) return a;
  const docs = new Uint32Array(a.docs.length + b.docs.length);
  const offs = new Uint32Array(docs.length + 1);
  const pos = new Uint32Array(a.pos.length + b.pos.length);
  let i = 0;
  let j = 0;
  let nd = 0;
  let np = 0;
  while (i < a.docs.length || j < b.docs.length) {
    const da = i < a.docs.length ? a.docs[i]! : Infinity;
    const db = j < b.docs.length ? b.docs[j]! : Infinity;
    if (da < db) {
      np = mergePositions(a.pos, a.offs[i]!, a.offs[i + 1]!, b.pos, 0, 0, pos, np);
      docs[nd++] = da;
      i++;
    } else if (db < da) {
      np = mergePositions(b.pos, b.offs[j]!, b.offs[j + 1]!, a.pos, 0, 0, pos, np);
      docs[nd++] = db;
      j++;
    } else {
      np = mergePositions(
        a.pos,
        a.offs[i]!,
        a.offs[i + 1]!,
        b.pos,
        b.offs[j]!,
        b.offs[j + 1]!,
        pos,
        np,
      );
      docs[nd++] = da;
      i++;
      j++;
    }
    offs[nd] = np;
  }
  return { docs: docs.subarray(0, nd), offs: offs.subarray(0, nd + 1), pos: pos.subarray(0, np) };
}

function unionAll(lists: Hits[]): Hits {
  if (lists.length === 0) return NO_HITS;
  let level = lists;
  while (level.length > 1) {
    const next: Hits[] = [];
    for (let i = 0; i < level.length; i += 2)
      next.push(i + 1 < level.length ? union(level[i]!, level[i + 1]!) : level[i]!);
    level = next;
  }
  return level[0]!;
}

function intersect(a: Hits, b: Hits): Hits {
  const docs = new Uint32Array(Math.min(a.docs.length, b.docs.length));
  const offs = new Uint32Array(docs.length + 1);
  const pos = new Uint32Array(a.pos.length + b.pos.length);
  let i = 0;
  let j = 0;
  let nd = 0;
  let np = 0;
  while (i < a.docs.length && j < b.docs.length) {
    const da = a.docs[i]!;
    const db = b.docs[j]!;
    if (da < db) i++;
    else if (db < da) j++;
    else {
      np = mergePositions(
        a.pos,
        a.offs[i]!,
        a.offs[i + 1]!,
        b.pos,
        b.offs[j]!,
        b.offs[j + 1]!,
        pos,
        np,
      );
      docs[nd++] = da;
      offs[nd] = np;
      i++;
      j++;
    }
  }
  return { docs: docs.subarray(0, nd), offs: offs.subarray(0, nd + 1), pos: pos.subarray(0, np) };
}

function subtract(a: Hits, b: Hits): Hits {
  const docs = new Uint32Array(a.docs.length);
  const offs = new Uint32Array(docs.length + 1);
  const pos = new Uint32Array(a.pos.length);
  let j = 0;
  let nd = 0;
  let np = 0;
  for (let i = 0; i < a.docs.length; i++) {
    const d = a.docs[i]!;
    while (j < b.docs.length && b.docs[j]! < d) j++;
    if (j < b.docs.length && b.docs[j] === d) continue;
    for (let k = a.offs[i]!; k < a.offs[i + 1]!; k++) pos[np++] = a.pos[k]!;
    docs[nd++] = d;
    offs[nd] = np;
  }
  return { docs: docs.subarray(0, nd), offs: offs.subarray(0, nd + 1), pos: pos.subarray(0, np) };
}

/** Whether `value` is among the ascending `list[from..to)`. */
function has(list: Uint32Array, from: number, to: number, value: number): boolean {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo < to && list[lo] === value;
}

/** Findings where the lists' words follow one another; the positions are every matched word. */
function phrase(lists: Hits[]): Hits {
  const first = lists[0]!;
  const docs = new Uint32Array(first.docs.length);
  const offs = new Uint32Array(docs.length + 1);
  const pos = new Uint32Array(first.pos.length * lists.length);
  const at = new Array<number>(lists.length).fill(0);
  let nd = 0;
  let np = 0;
  for (let i = 0; i < first.docs.length; i++) {
    const d = first.docs[i]!;
    let all = true;
    for (let w = 1; w < lists.length && all; w++) {
      const list = lists[w]!;
      let j = at[w]!;
      while (j < list.docs.length && list.docs[j]! < d) j++;
      at[w] = j;
      all = j < list.docs.length && list.docs[j] === d;
    }
    if (!all) continue;
    const startNp = np;
    let lastEnd = -1;
    for (let k = first.offs[i]!; k < first.offs[i + 1]!; k++) {
      const p = first.pos[k]!;
      let ok = true;
      for (let w = 1; w < lists.length && ok; w++) {
        const list = lists[w]!;
        const j = at[w]!;
        ok = has(list.pos, list.offs[j]!, list.offs[j + 1]!, p + w);
      }
      if (!ok) continue;
      // Matches may overlap ("more and more and more"): keep each position once, in order.
      for (let w = Math.max(0, lastEnd - p + 1); w < lists.length; w++) pos[np++] = p + w;
      lastEnd = p + lists.length - 1;
    }
    if (np === startNp) continue;
    docs[nd++] = d;
    offs[nd] = np;
  }
  return { docs: docs.subarray(0, nd), offs: offs.subarray(0, nd + 1), pos: pos.subarray(0, np) };
}

/** First index in the sorted ids whose string is ≥ `key`. */
function lowerBound(sorted: Uint32Array, strings: readonly string[], key: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (strings[sorted[mid]!]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The lemmas a word pattern matches: a word, its lemma's postings; a prefix, every lemma
 * beginning so, and the forms beginning so of other lemmas (as slot filters).
 */
export function expandWord(
  index: SearchIndex,
  word: WordPattern,
): Array<{ lemma: number; slots: Uint8Array | null }> {
  if (!word.prefix) {
    const lemma = index.lemmaIds.get(lemmaOf(word.text));
    return lemma === undefined ? [] : [{ lemma, slots: null }];
  }
  const out: Array<{ lemma: number; slots: Uint8Array | null }> = [];
  const whole = new Set<number>();
  for (let i = lowerBound(index.lemmasSorted, index.lemmas, word.text); ; i++) {
    const lemma = index.lemmasSorted[i];
    if (lemma === undefined || !index.lemmas[lemma]!.startsWith(word.text)) break;
    whole.add(lemma);
    out.push({ lemma, slots: null });
  }
  const partial = new Map<number, Uint8Array>();
  for (let i = lowerBound(index.formsSorted, index.forms, word.text); ; i++) {
    const form = index.formsSorted[i];
    if (form === undefined || !index.forms[form]!.startsWith(word.text)) break;
    const lemma = index.formLemma[form]!;
    if (whole.has(lemma)) continue;
    let slots = partial.get(lemma);
    if (!slots) {
      slots = new Uint8Array(index.lemmaFormCount[lemma]!);
      partial.set(lemma, slots);
    }
    slots[index.formSlot[form]!] = 1;
  }
  for (const [lemma, slots] of partial) out.push({ lemma, slots });
  return out;
}

function wordHits(index: SearchIndex, word: WordPattern, within: Uint32Array | null): Hits {
  return unionAll(expandWord(index, word).map((e) => lemmaHits(index, e.lemma, e.slots, within)));
}

/** At most how many findings a query can match, from the document frequencies alone. */
function estimate(index: SearchIndex, node: QueryNode): number {
  const ofWord = (word: WordPattern) =>
    expandWord(index, word).reduce((sum, e) => sum + index.docFreq[e.lemma]!, 0);
  switch (node.type) {
    case 'term':
      return ofWord(node.word);
    case 'phrase':
      return Math.min(...node.words.map(ofWord));
    case 'not':
      return estimate(index, node.child);
    case 'or':
      return node.children.reduce((sum, c) => sum + estimate(index, c), 0);
    case 'and':
      return Math.min(
        ...node.children.filter((c) => c.type !== 'not').map((c) => estimate(index, c)),
      );
  }
}

/**
 * The findings matching `node`, among those of `within` when given (ascending). An AND and a
 * phrase start from their rarest part and look for the others only in the findings left.
 */
function evaluate(index: SearchIndex, node: QueryNode, within: Uint32Array | null): Hits {
  switch (node.type) {
    case 'term':
      return wordHits(index, node.word, within);
    case 'phrase': {
      const order = node.words
        .map((word, i) => ({ i, size: estimate(index, { type: 'term', word, start: 0, end: 0 }) }))
        .sort((a, b) => a.size - b.size);
      const lists = new Array<Hits>(node.words.length);
      let candidates = within;
      for (const { i } of order) {
        const hits = wordHits(index, node.words[i]!, candidates);
        if (hits.docs.length === 0) return NO_HITS;
        lists[i] = hits;
        candidates = hits.docs;
      }
      return phrase(lists);
    }
    case 'or':
      return unionAll(node.children.map((c) => evaluate(index, c, within)));
    case 'not':
      // Only ever inside an AND (the parser sees to it), which subtracts it.
      return evaluate(index, node.child, within);
    case 'and': {
      const wanted = node.children
        .filter((c) => c.type !== 'not')
        .map((c) => ({ c, size: estimate(index, c) }))
        .sort((a, b) => a.size - b.size);
      let hits: Hits | null = null;
      for (const { c } of wanted) {
        const found = evaluate(index, c, hits === null ? within : hits.docs);
        hits = hits === null ? found : intersect(hits, found);
        if (hits.docs.length === 0) return NO_HITS;
      }
      if (hits === null) return NO_HITS;
      for (const c of node.children) {
        if (c.type !== 'not') continue;
        hits = subtract(hits, evaluate(index, c, hits.docs));
        if (hits.docs.length === 0) return NO_HITS;
      }
      return hits;
    }
  }
}

/** The findings a query matches, in input order, with the words that matched in each. */
export interface SearchResult {
  /** Finding numbers (places in the input), ascending. */
  readonly findings: Uint32Array;
  /** The word positions (0-based, in {@link forEachWord}'s words) matched in the k-th finding. */
  positions(k: number): Uint32Array;
  /** The character spans of the words matched in the k-th finding, in text order. */
  spans(k: number): TextSpan[];
}

/** The spans of the words at `positions` (ascending) in `text`. */
export function spansOfPositions(text: string, positions: ArrayLike<number>): TextSpan[] {
  const spans: TextSpan[] = [];
  let w = 0;
  let k = 0;
  forEachWord(text, (s, e) => {
    if (k < positions.length && positions[k] === w) {
      spans.push([s, e]);
      k++;
    }
    w++;
  });
  return spans;
}

/** Runs a parsed query against the index. */
export function search(index: SearchIndex, query: QueryNode): SearchResult {
  const hits = evaluate(index, query, null);
  const positions = (k: number) => hits.pos.subarray(hits.offs[k]!, hits.offs[k + 1]!);
  return {
    findings: hits.docs,
    positions,
    spans: (k) => spansOfPositions(index.texts[hits.docs[k]!]!, positions(k)),
  };
}

/** Parses and runs the search box's text: the result, or why the query cannot be read. */
export function searchText(
  index: SearchIndex,
  query: string,
): { ok: true; query: QueryNode; result: SearchResult } | { ok: false; error: QueryError } {
  const parsed = parseQuery(query);
  if (!parsed.ok) return parsed;
  return { ok: true, query: parsed.query, result: search(index, parsed.query) };
}

/**
 * `text` with each run of matched words ({@link matchedRuns}) wrapped in `open` … `close` (by
 * default `[[` … `]]`): "[[not seen alone]]", "[[multi-agency]]".
 */
export function markText(
  text: string,
  spans: readonly TextSpan[],
  open = '[[',
  close = ']]',
): string {
  let out = '';
  let last = 0;
  for (const [start, end] of matchedRuns(text, spans)) {
    out += text.slice(last, start) + open + text.slice(start, end) + close;
    last = end;
  }
  return out + text.slice(last);
}

export { matchedRuns } from './text';
export {
  parseQuery,
  queryToString,
  type QueryError,
  type QueryNode,
  type WordPattern,
} from './query';
