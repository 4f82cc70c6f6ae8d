import {
  lemmaOf,
  type CompiledContext,
  type CompiledCue,
  type CompiledPattern,
  type Taxonomy,
  type Theme,
} from './taxonomy';
import {
  heaviestFeatures,
  presentFeatures,
  probabilities,
  type PresentFeature,
  type WordModel,
} from './word-model';

/** One theme given to a finding: its rank (1 = most central) and the words that triggered it. */
export interface ThemeTag {
  themeId: string;
  rank: number;
  /** The triggering substrings of the finding in text order, joined with " … "; empty for the default theme. */
  evidence: string;
  /**
   * How sure the tagger is of this theme, 0 to 1 in hundredths ({@link confidenceOf}); below
   * `scoring.confidence.uncertainBelow` the tag is uncertain.
   */
  confidence: number;
}

/** One cue match that counted towards a theme. */
export interface CueHit {
  cueIndex: number;
  start: number;
  end: number;
  text: string;
  weight: number;
  fallback: boolean;
  /** Weight after position and repetition factors. */
  contribution: number;
}

/** A theme's score for one finding, with the hits behind it; what `tagThemes` ranks. */
export interface ThemeScore {
  themeId: string;
  /** Score from ordinary cues: decides selection and rank. */
  score: number;
  /** Score with fallback cues added: used only when no theme reaches `minScore`. */
  fallbackScore: number;
  /** Offset of the earliest counted hit. */
  firstHit: number;
  hits: CueHit[];
}

/** Separator put between evidence fragments. */
export const EVIDENCE_SEPARATOR = ' … ';

interface Span {
  start: number;
  end: number;
}

interface RawHit extends Span {
  themeIndex: number;
  cue: CompiledCue;
}

// Typographic variants are folded one UTF-16 unit for one, so that offsets found in the folded
// text point at the same words in the original.
const FOLD_RE =
  /[\u2018\u2019\u201A\u201B\u2032\u0060\u00B4\u201C\u201D\u201E\u201F\u2033\u2010-\u2015\u2212\u00A0\u2007\u202F]/g;

function foldChar(ch: string): string {
  if ('\u201C\u201D\u201E\u201F\u2033'.includes(ch)) return '"';
  if ('\u2010\u2011\u2012\u2013\u2014\u2015\u2212'.includes(ch)) return '-';
  if ('\u00A0\u2007\u202F'.includes(ch)) return ' ';
  return "'";
}

// A sentence ends at . ! or ? followed by space and a capital or digit; "s.47" and "e.g. the" do not.
const SENTENCE_END_RE = /[.!?]+["')\]]*\s+(?=["'([]?[\p{Lu}\p{N}])/gu;

/** A letter or number (`[\p{L}\p{N}]`), for code points outside ASCII. */
const LETTER_OR_NUMBER_RE = /^[\p{L}\p{N}]$/u;
/** What {@link isWordPoint} found for each code point below 0x10000: 0 not yet asked, 1 yes, 2 no. */
const WORD_POINTS = new Uint8Array(0x10000);
for (let code = 0; code < 128; code += 1)
  WORD_POINTS[code] =
    (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) ? 1 : 2;

/** True for a code point that is a letter or a number, as `[\p{L}\p{N}]` with the `u` flag. */
function isWordPoint(point: number): boolean {
  if (point < 0x10000) {
    let known = WORD_POINTS[point] as number;
    if (known === 0) {
      known = LETTER_OR_NUMBER_RE.test(String.fromCharCode(point)) ? 1 : 2;
      WORD_POINTS[point] = known;
    }
    return known === 1;
  }
  return LETTER_OR_NUMBER_RE.test(String.fromCodePoint(point));
}

/** UTF-16 length of a code point. */
function unitsOf(point: number): number {
  return point > 0xffff ? 2 : 1;
}

/**
 * Offsets of the words of a text (letters and numbers, with apostrophes inside) as a global
 * search with `[\p{L}\p{N}]+(?:'[\p{L}\p{N}]+)*` and the `u` flag finds them one after the
 * other, without running the expression.
 */
function scanWords(text: string, starts: number[], ends: number[]): void {
  const length = text.length;
  let i = 0;
  while (i < length) {
    const point = text.codePointAt(i) as number;
    if (!isWordPoint(point)) {
      i += unitsOf(point);
      continue;
    }
    const start = i;
    i += unitsOf(point);
    while (i < length) {
      const next = text.codePointAt(i) as number;
      if (isWordPoint(next)) {
        i += unitsOf(next);
        continue;
      }
      // An apostrophe goes on the word only with a letter or number after it ("children's").
      if (next !== 39 || i + 1 >= length) break;
      const after = text.codePointAt(i + 1) as number;
      if (!isWordPoint(after)) break;
      i += 1 + unitsOf(after);
    }
    starts.push(start);
    ends.push(i);
  }
}

/** Word and sentence geometry of one finding, for distances and positions. */
class TextIndex {
  readonly wordStarts: number[] = [];
  readonly wordEnds: number[] = [];
  readonly sentenceStarts: number[] = [0];

  constructor(folded: string) {
    scanWords(folded, this.wordStarts, this.wordEnds);
    // exec with lastIndex rather than matchAll, which copies the regular expression each time.
    SENTENCE_END_RE.lastIndex = 0;
    for (let m = SENTENCE_END_RE.exec(folded); m !== null; m = SENTENCE_END_RE.exec(folded)) {
      this.sentenceStarts.push(m.index + m[0].length);
    }
  }

  sentenceOf(pos: number): number {
    return countBelowOrEqual(this.sentenceStarts, pos) - 1;
  }

  firstWord(span: Span): number {
    return countBelowOrEqual(this.wordEnds, span.start);
  }

  lastWord(span: Span): number {
    return countBelow(this.wordStarts, span.end) - 1;
  }

  /** Number of words strictly between two spans; 0 when they touch or overlap. */
  distance(a: Span, b: Span): number {
    return Math.max(
      0,
      this.firstWord(b) - this.lastWord(a) - 1,
      this.firstWord(a) - this.lastWord(b) - 1,
    );
  }
}

function countBelow(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function countBelowOrEqual(sorted: readonly number[], value: number): number {
  return countBelow(sorted, value + 1);
}

/** True for the code units of `\s` and the hyphen, which a span's ends are trimmed of. */
function isSpaceOrHyphen(code: number): boolean {
  if (code < 128) return code === 32 || code === 45 || (code >= 9 && code <= 13);
  return (
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

/** A match's span without spaces and hyphens at its ends; null when nothing is left. */
function trimSpan(text: string, start: number, end: number): Span | null {
  let s = start;
  let e = end;
  while (s < e && isSpaceOrHyphen(text.charCodeAt(s))) s += 1;
  while (e > s && isSpaceOrHyphen(text.charCodeAt(e - 1))) e -= 1;
  return e > s ? { start: s, end: e } : null;
}

/**
 * The taxonomy's pre-check word beginnings as a trie over ASCII letters (either case) and digits:
 * `next[node * TRIE_WIDTH + symbol]` is the child node (0: none; the root, node 0, is no child),
 * `ids[node]` the patterns whose word beginning ends at that node.
 */
interface PrefixTrie {
  next: Int32Array;
  ids: (Int32Array | null)[];
}

const TRIE_WIDTH = 36;
/** Each taxonomy's tries: of the patterns matched in the finding as written, and in dictionary form. */
const tries = new WeakMap<Taxonomy, { plain: PrefixTrie; lemma: PrefixTrie }>();

/**
 * The trie symbol of each ASCII code unit: 0-9 for digits, 10-35 for letters (either case),
 * `UNDERSCORE` for the one other character of `\w`, -1 for the rest (and every code unit from
 * 128 on, which `\w` never takes).
 */
const SYMBOLS = new Int8Array(128).fill(-1);
const UNDERSCORE = TRIE_WIDTH;
for (let code = 48; code <= 57; code += 1) SYMBOLS[code] = code - 48;
for (let code = 65; code <= 90; code += 1) {
  SYMBOLS[code] = code - 55;
  SYMBOLS[code + 32] = code - 55;
}
SYMBOLS[95] = UNDERSCORE;

/** The trie symbol of a character code: 0-9 for digits, 10-35 for letters; -1 for others. */
function trieSymbol(code: number): number {
  const symbol = code < 128 ? (SYMBOLS[code] as number) : -1;
  return symbol === UNDERSCORE ? -1 : symbol;
}

/**
 * The trie of the word beginnings of the patterns matched in the finding as written (`lemma`
 * false) or in dictionary form (true): each text is walked through its own patterns' only.
 */
function prefixTrie(taxonomy: Taxonomy, lemma: boolean): PrefixTrie {
  let both = tries.get(taxonomy);
  if (!both) {
    both = { plain: buildTrie(taxonomy, false), lemma: buildTrie(taxonomy, true) };
    tries.set(taxonomy, both);
  }
  return lemma ? both.lemma : both.plain;
}

function buildTrie(taxonomy: Taxonomy, lemma: boolean): PrefixTrie {
  const next = Array<number>(TRIE_WIDTH).fill(0);
  const ids: number[][] = [[]];
  for (const [prefix, allIds] of taxonomy.prefixIndex) {
    const patternIds = allIds.filter((id) => taxonomy.patterns[id]?.lemma === lemma);
    if (patternIds.length === 0) continue;
    let node = 0;
    for (let i = 0; i < prefix.length && node >= 0; i += 1) {
      const symbol = trieSymbol(prefix.charCodeAt(i));
      // Word beginnings are letters and digits; one with another character is never met.
      if (symbol < 0) node = -1;
      else {
        const slot = node * TRIE_WIDTH + symbol;
        if (next[slot] === 0) {
          next[slot] = ids.length;
          ids.push([]);
          next.push(...Array<number>(TRIE_WIDTH).fill(0));
        }
        node = next[slot] as number;
      }
    }
    if (node >= 0) ids[node]?.push(...patternIds);
  }
  return {
    next: Int32Array.from(next),
    ids: ids.map((list) => (list.length > 0 ? Int32Array.from(new Set(list)) : null)),
  };
}

/**
 * Where each pattern may start matching in one text, as one list per pattern in text order,
 * linked through shared arrays that are kept from one finding to the next (tagging a finding
 * allocates none of them): `first[pattern]` is the pattern's first entry (-1: none), `next[entry]`
 * the entry after it (-1: the last), `at[entry]` its offset. Two are in use at a time, for the
 * finding as written and in dictionary form; a tagging call never runs inside another.
 */
class StartLists {
  first = new Int32Array(0);
  private last = new Int32Array(0);
  at = new Int32Array(256);
  next = new Int32Array(256);
  private count = 0;

  /** Empties the lists, for a taxonomy of `patterns` patterns. */
  reset(patterns: number): void {
    if (this.first.length !== patterns) {
      this.first = new Int32Array(patterns);
      this.last = new Int32Array(patterns);
    }
    this.first.fill(-1);
    this.count = 0;
  }

  /** Adds an offset to a pattern's list, unless it is already the list's last. */
  add(pattern: number, offset: number): void {
    const head = this.first[pattern] as number;
    if (head >= 0 && this.at[this.last[pattern] as number] === offset) return;
    const entry = this.count;
    if (entry === this.at.length) this.grow();
    this.count += 1;
    this.at[entry] = offset;
    this.next[entry] = -1;
    if (head < 0) this.first[pattern] = entry;
    else this.next[this.last[pattern] as number] = entry;
    this.last[pattern] = entry;
  }

  private grow(): void {
    const at = new Int32Array(this.at.length * 2);
    at.set(this.at);
    this.at = at;
    const next = new Int32Array(this.next.length * 2);
    next.set(this.next);
    this.next = next;
  }
}

const PLAIN_STARTS = new StartLists();
const LEMMA_STARTS = new StartLists();

/** No spans: shared, never added to. */
const NO_SPANS: readonly Span[] = Object.freeze([]);

/**
 * The folded finding and, for each pattern that has a pre-check, the offsets at which a match
 * can begin: a match starts at a word boundary with one of the pattern's word beginnings (ASCII
 * letters and digits, which `\w` and the case-insensitive match both take as ASCII), so it can
 * only start where a word of the text begins with one of them.
 */
class Haystack {
  readonly starts: StartLists;

  /** `lemma`: the finding in dictionary form, where only the cues in that form are looked for. */
  constructor(
    readonly folded: string,
    taxonomy: Taxonomy,
    lemma: boolean,
  ) {
    const starts = lemma ? LEMMA_STARTS : PLAIN_STARTS;
    this.starts = starts;
    starts.reset(taxonomy.patternCount);
    const { next, ids } = prefixTrie(taxonomy, lemma);
    const length = folded.length;
    let i = 0;
    while (i < length) {
      let code = folded.charCodeAt(i);
      if (code >= 128 || (SYMBOLS[code] as number) < 0) {
        i += 1;
        continue;
      }
      // A word (a run of \w) starts here: walk the trie along it while a beginning can go on.
      const start = i;
      let node = 0;
      for (; i < length; i += 1) {
        code = folded.charCodeAt(i);
        const symbol = code < 128 ? (SYMBOLS[code] as number) : -1;
        if (symbol < 0 || symbol === UNDERSCORE) break;
        node = next[node * TRIE_WIDTH + symbol] as number;
        if (node === 0) break;
        const patterns = ids[node];
        if (patterns === null || patterns === undefined) continue;
        for (let k = 0; k < patterns.length; k += 1) starts.add(patterns[k] as number, start);
      }
      // The rest of the word, where no beginning goes on.
      while (i < length) {
        code = folded.charCodeAt(i);
        if (code >= 128 || (SYMBOLS[code] as number) < 0) break;
        i += 1;
      }
    }
  }
}

/**
 * The folded finding with every word in its dictionary form, and the way back: separators are
 * kept as they are, so a span of the lemma text maps onto the same words of the finding.
 */
class LemmaText {
  readonly text: string;
  private readonly lemmaStarts: number[];
  private readonly lemmaEnds: number[];
  private readonly origStarts: readonly number[];
  private readonly origEnds: readonly number[];

  /** `index` holds the words of `folded`, which are put in dictionary form. */
  constructor(folded: string, index: Pick<TextIndex, 'wordStarts' | 'wordEnds'>) {
    const { wordStarts, wordEnds } = index;
    const count = wordStarts.length;
    this.origStarts = wordStarts;
    this.origEnds = wordEnds;
    this.lemmaStarts = new Array<number>(count);
    this.lemmaEnds = new Array<number>(count);
    this.words = [];
    this.ids = [];
    let out = '';
    let last = 0;
    for (let k = 0; k < count; k += 1) {
      const start = wordStarts[k] as number;
      const end = wordEnds[k] as number;
      if (start > last) out += folded.slice(last, start);
      this.lemmaStarts[k] = out.length;
      const lemma = lemmaOf(folded.slice(start, end));
      this.words.push(lemma.form);
      this.ids.push(lemma.id);
      out += lemma.form;
      this.lemmaEnds[k] = out.length;
      last = end;
    }
    this.text = last < folded.length ? out + folded.slice(last) : out;
  }

  /** The words in dictionary form, in order, and their numbers (`Lemma.id`). */
  readonly words: string[];
  readonly ids: number[];

  /** The offset in the finding of an offset in the lemma text. */
  toOriginal(pos: number): number {
    const k = countBelowOrEqual(this.lemmaStarts, pos) - 1;
    if (k < 0) return pos;
    const lemmaEnd = this.lemmaEnds[k] as number;
    const origStart = this.origStarts[k] as number;
    const origEnd = this.origEnds[k] as number;
    if (pos >= lemmaEnd) return origEnd + (pos - lemmaEnd);
    return Math.min(origStart + (pos - (this.lemmaStarts[k] as number)), origEnd);
  }
}

/** The finding to match in: as written (folded) and, made when first needed, in dictionary form. */
class Texts {
  readonly plain: Haystack;
  private lemmaView: { text: LemmaText; haystack: Haystack } | undefined;

  constructor(
    readonly folded: string,
    private readonly index: TextIndex,
    private readonly taxonomy: Taxonomy,
  ) {
    this.plain = new Haystack(folded, taxonomy, false);
  }

  private lemmaText: LemmaText | undefined;

  get lemma(): { text: LemmaText; haystack: Haystack } {
    if (!this.lemmaView) {
      const text = this.dictionaryForm();
      this.lemmaView = { text, haystack: new Haystack(text.text, this.taxonomy, true) };
    }
    return this.lemmaView;
  }

  /** The words in dictionary form, without the haystack the cues search (the word model's). */
  get lemmaWords(): { words: string[]; ids: number[] } {
    return this.dictionaryForm();
  }

  private dictionaryForm(): LemmaText {
    this.lemmaText ??= new LemmaText(this.folded, this.index);
    return this.lemmaText;
  }
}

/** Where a pattern matches the finding, as offsets in the finding (folded or in dictionary form). */
function findSpans(pattern: CompiledPattern, texts: Texts): readonly Span[] {
  if (!pattern.lemma) return findSpansIn(pattern, texts.plain);
  const { text, haystack } = texts.lemma;
  const spans = findSpansIn(pattern, haystack);
  if (spans.length === 0) return NO_SPANS;
  return spans.map((span) => ({
    start: text.toOriginal(span.start),
    end: text.toOriginal(span.end),
  }));
}

function findSpansIn(pattern: CompiledPattern, haystack: Haystack): readonly Span[] {
  const { folded } = haystack;
  if (pattern.anyOf !== null) {
    const { first, at, next } = haystack.starts;
    // The same matches as a global search: the first offset where the expression matches, then
    // on from the end of that match; it is tried only where a match can begin.
    const { sticky } = pattern;
    let spans: Span[] | undefined;
    let from = 0;
    for (let entry = first[pattern.id] as number; entry >= 0; entry = next[entry] as number) {
      const start = at[entry] as number;
      if (start < from) continue;
      sticky.lastIndex = start;
      const m = sticky.exec(folded);
      if (m === null) continue;
      if (m[0].length === 0) {
        from = start + 1;
        continue;
      }
      from = start + m[0].length;
      const span = trimSpan(folded, start, from);
      if (span !== null) (spans ??= []).push(span);
    }
    return spans ?? NO_SPANS;
  }
  // exec with lastIndex rather than matchAll, which copies the regular expression on every call.
  const spans: Span[] = [];
  const { regex } = pattern;
  regex.lastIndex = 0;
  for (let m = regex.exec(folded); m !== null; m = regex.exec(folded)) {
    if (m[0].length === 0) {
      regex.lastIndex += 1;
      continue;
    }
    const span = trimSpan(folded, m.index, m.index + m[0].length);
    if (span !== null) spans.push(span);
  }
  return spans;
}

/**
 * Spans sorted by start, asked whether one of them contains a given span (and passes a test);
 * logarithmic, for long texts.
 */
class Containers<T extends Span> {
  private readonly spans: T[];
  private readonly starts: number[];
  private readonly longest: number;

  constructor(spans: readonly T[]) {
    this.spans = [...spans].sort(byStart);
    this.starts = this.spans.map(startOf);
    let longest = 0;
    for (const span of this.spans) longest = Math.max(longest, span.end - span.start);
    this.longest = longest;
  }

  /** The index of the last span that may contain `inner`, or -1; see {@link below}. */
  lastBefore(inner: Span): number {
    return countBelowOrEqual(this.starts, inner.start) - 1;
  }

  /**
   * The span at `i` (counting down from {@link lastBefore}) when it contains `inner`; undefined
   * when it does not; null when neither it nor any span further left can (the search is over).
   */
  below(i: number, inner: Span): T | undefined | null {
    const outer = this.spans[i] as T;
    // No span further left is long enough to reach past `inner`.
    if (outer.start < inner.end - this.longest) return null;
    return outer.end >= inner.end ? outer : undefined;
  }
}

function byStart(a: Span, b: Span): number {
  return a.start - b.start;
}

function startOf(span: Span): number {
  return span.start;
}

/** True when a longer mask contains the span: a mask hides the words inside a name, not the name. */
function masked(masks: Containers<Span> | null, span: Span): boolean {
  if (masks === null) return false;
  const length = span.end - span.start;
  for (let i = masks.lastBefore(span); i >= 0; i -= 1) {
    const mask = masks.below(i, span);
    if (mask === null) return false;
    if (mask !== undefined && mask.end - mask.start > length) return true;
  }
  return false;
}

/** True when a hit of another theme whose cue hides this hit's theme contains the hit. */
function hidden(hiders: Containers<RawHit>, hit: RawHit, taxonomy: Taxonomy): boolean {
  for (let i = hiders.lastBefore(hit); i >= 0; i -= 1) {
    const by = hiders.below(i, hit);
    if (by === null) return false;
    if (
      by !== undefined &&
      by.themeIndex !== hit.themeIndex &&
      (by.cue.hides === 'all' ||
        by.cue.hides.has((taxonomy.themes[hit.themeIndex] as { id: string }).id))
    )
      return true;
  }
  return false;
}

interface ContextSpan extends Span {
  sentence: number;
  firstWord: number;
  lastWord: number;
}

/** The matches of context patterns in one finding, found when first asked for. */
class ContextMatches {
  private readonly found = new Map<CompiledPattern, ContextSpan[]>();

  constructor(
    private readonly texts: Texts,
    private readonly index: TextIndex,
    private readonly masks: Containers<Span> | null,
  ) {}

  /** The unmasked matches of a context's pattern, in text order. */
  of(context: CompiledContext): ContextSpan[] {
    let spans = this.found.get(context.pattern);
    if (!spans) {
      spans = [];
      for (const span of findSpans(context.pattern, this.texts)) {
        if (masked(this.masks, span)) continue;
        spans.push({
          start: span.start,
          end: span.end,
          sentence: this.index.sentenceOf(span.start),
          firstWord: this.index.firstWord(span),
          lastWord: this.index.lastWord(span),
        });
      }
      this.found.set(context.pattern, spans);
    }
    return spans;
  }

  /** True when a context match lies within `within` words of the span, in its sentence. */
  holds(context: CompiledContext, span: Span): boolean {
    const spans = this.of(context);
    if (spans.length === 0) return false;
    const { index } = this;
    const sentence = index.sentenceOf(span.start);
    const first = index.firstWord(span) - context.within - 1;
    const last = index.lastWord(span) + context.within + 1;
    // Context matches come in text order, so only a window of them can be near enough.
    let lo = 0;
    let hi = spans.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((spans[mid] as ContextSpan).lastWord < first) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < spans.length; i += 1) {
      const c = spans[i] as ContextSpan;
      if (c.firstWord > last) break;
      if (c.sentence === sentence && index.distance(span, c) <= context.within) return true;
    }
    return false;
  }

  /** True when one of the contexts holds for the span. */
  anyHolds(contexts: readonly CompiledContext[], span: Span): boolean {
    for (const context of contexts) if (this.holds(context, span)) return true;
    return false;
  }
}

// Verbs that end a subject: forms of "be", "have", "do" and the modals, in dictionary form.
const FINITE_LEMMAS = new Set([
  'be',
  'have',
  'do',
  'can',
  'cannot',
  'could',
  'will',
  'would',
  'shall',
  'should',
  'may',
  'might',
  'must',
  'remain',
  'lack',
  'need',
  'ensure',
  'provide',
  'show',
  'demonstrate',
]);
// Openings after which the subject starts: "There are ...", "Inspectors found that ...".
const OPENING_RE =
  /^(?:there (?:is|are|was|were|has been|have been|had been)|it is|in (?:most|some|many|all|a few|a number of) cases,?|inspectors? (?:found|saw|noted|reported) that|(?:however|overall|in addition|in particular),?)\s+/i;

/**
 * The number of words of the first sentence that make up its subject, which the finding is
 * usually about: from the start (after an opening such as "There are") up to the first finite
 * verb ("are", "have", "cannot", "lack", in dictionary form), at most `max` words.
 */
function subjectLength(folded: string, index: TextIndex, max: number): number {
  const opening = OPENING_RE.exec(folded);
  const from = opening ? countBelow(index.wordStarts, opening[0].length) : 0;
  const sentenceEnd = index.sentenceStarts[1] ?? folded.length;
  for (let w = from + 1; w < Math.min(from + max, index.wordStarts.length); w += 1) {
    const start = index.wordStarts[w] as number;
    if (start >= sentenceEnd) return w;
    if (FINITE_LEMMAS.has(lemmaOf(folded.slice(start, index.wordEnds[w])).form)) return w;
  }
  return Math.min(from + max, index.wordStarts.length);
}

/** Strongest first, then longest, then earliest, then the cue listed first. */
function byStrength(a: RawHit, b: RawHit): number {
  return (
    b.cue.weight - a.cue.weight ||
    b.end - b.start - (a.end - a.start) ||
    a.start - b.start ||
    a.cue.index - b.cue.index
  );
}

/** Text order, then theme order, then cue order. */
function byPosition(a: RawHit, b: RawHit): number {
  return a.start - b.start || a.themeIndex - b.themeIndex || a.cue.index - b.cue.index;
}

function descending(a: number, b: number): number {
  return b - a;
}

/** Contributions combined: the largest in full, each next one by a further `combineFactor`. */
function combine(contributions: number[], factor: number): number {
  contributions.sort(descending);
  let sum = 0;
  for (let i = 0; i < contributions.length; i += 1)
    sum += (contributions[i] as number) * factor ** i;
  return sum;
}

/** What one finding is scored on: its text, its words and sentences, and the taxonomy's knobs. */
interface ScoringContext {
  index: TextIndex;
  scoring: Taxonomy['scoring'];
  subjectEnd: number;
  /** Matches of the phrases after which an incidental cue is said in passing. */
  passingSpans: readonly Span[];
}

/** The position factor of a hit: in the subject, later in the first sentence, or later on. */
function positionFactor(context: ScoringContext, span: Span): number {
  const { index, scoring } = context;
  if (index.sentenceOf(span.start) > 0) return scoring.positionFactors.later;
  return index.firstWord(span) < context.subjectEnd
    ? scoring.positionFactors.subject
    : scoring.positionFactors.firstSentence;
}

/**
 * True when an actor, place or record is named after a preposition outside the subject ("...
 * respond to referrals from the police", "recorded at the point of referral"): said in passing.
 */
function inPassing(context: ScoringContext, hit: RawHit): boolean {
  const { incidental } = context.scoring;
  if (!hit.cue.incidental || !incidental) return false;
  const { index } = context;
  const sentence = index.sentenceOf(hit.start);
  const first = index.firstWord(hit);
  // Within the subject ("Referrals from schools are ...") the phrase is what the finding is about.
  if (sentence === 0 && first < context.subjectEnd) return false;
  for (const p of context.passingSpans)
    if (
      p.end <= hit.start &&
      index.sentenceOf(p.start) === sentence &&
      first - index.lastWord(p) - 1 <= incidental.within
    )
      return true;
  return false;
}

/**
 * Where each of `patterns` (the taxonomy's compiled cues, contexts and masks) matches a finding,
 * as offsets in the finding, ends trimmed of spaces and hyphens: the matching step of
 * {@link scoreThemes}, which tries a pattern only where a word begins as its matches must.
 * Exported for tests, which hold it to a plain search of each pattern through the whole text.
 */
export function matchPatterns(
  text: string,
  taxonomy: Taxonomy,
  patterns: readonly CompiledPattern[],
): { start: number; end: number }[][] {
  const folded = text.replace(FOLD_RE, foldChar);
  const texts = new Texts(folded, new TextIndex(folded), taxonomy);
  return patterns.map((pattern) => [...findSpans(pattern, texts)]);
}

/**
 * The words of a text as the tagger counts them (for distances, the subject and the dictionary
 * form), as offsets. Exported for tests, which hold it to the regular expression it stands for.
 */
export function wordsOf(text: string): { start: number; end: number }[] {
  const starts: number[] = [];
  const ends: number[] = [];
  scanWords(text, starts, ends);
  return starts.map((start, k) => ({ start, end: ends[k] as number }));
}

/**
 * The words of a finding in dictionary form, as the tagger and its word model see them, with
 * their offsets in the finding.
 */
export function lemmasOf(text: string): FindingWords {
  const folded = text.replace(FOLD_RE, foldChar);
  const starts: number[] = [];
  const ends: number[] = [];
  scanWords(folded, starts, ends);
  const { words, ids } = new LemmaText(folded, { wordStarts: starts, wordEnds: ends });
  return { lemmas: words, ids, starts, ends };
}

/** Scores every theme that any cue points at, best first; the detail behind `tagThemes`. */
export function scoreThemes(text: string, taxonomy: Taxonomy): ThemeScore[] {
  return scoreFinding(text, taxonomy).scores;
}

/** The words of a finding as {@link lemmasOf} gives them. */
interface FindingWords {
  lemmas: string[];
  ids: number[];
  starts: readonly number[];
  ends: readonly number[];
}

/**
 * The cues' scores, and what the finding's words in dictionary form are made from (once, for the
 * word model too; no closure here, which would slow every variable of this function).
 */
function scoreFinding(
  text: string,
  taxonomy: Taxonomy,
): { scores: ThemeScore[]; texts: Texts; index: TextIndex } {
  const folded = text.replace(FOLD_RE, foldChar);
  const index = new TextIndex(folded);
  const texts = new Texts(folded, index, taxonomy);
  const { scoring, themes } = taxonomy;
  let maskSpans: Span[] | null = null;
  for (const pattern of taxonomy.masks) {
    const spans = findSpans(pattern, texts);
    if (spans.length > 0) (maskSpans ??= []).push(...spans);
  }
  const masks = maskSpans === null ? null : new Containers(maskSpans);
  const contexts = new ContextMatches(texts, index, masks);

  const raw: RawHit[] = [];
  let hiding = false;
  for (let themeIndex = 0; themeIndex < themes.length; themeIndex += 1) {
    for (const cue of (themes[themeIndex] as Theme).cues) {
      for (const span of findSpans(cue.pattern, texts)) {
        if (masked(masks, span)) continue;
        if (cue.near.length > 0 && !contexts.anyHolds(cue.near, span)) continue;
        if (cue.unless.length > 0 && contexts.anyHolds(cue.unless, span)) continue;
        raw.push({ start: span.start, end: span.end, themeIndex, cue });
        if (cue.hides === 'all' || cue.hides.size > 0) hiding = true;
      }
    }
  }

  let visible = raw;
  if (hiding) {
    const hiders = new Containers(raw.filter((h) => h.cue.hides === 'all' || h.cue.hides.size > 0));
    visible = raw.filter((hit) => !hidden(hiders, hit, taxonomy));
  }

  // Within a theme, overlapping hits are one piece of evidence: the strongest, longest one counts.
  const ordered = visible === raw ? raw : [...visible];
  ordered.sort(byStrength);
  const kept: RawHit[] = [];
  const taken = new Map<number, RawHit[]>();
  for (const hit of ordered) {
    const mine = taken.get(hit.themeIndex);
    if (mine === undefined) taken.set(hit.themeIndex, [hit]);
    else {
      let overlaps = false;
      for (const k of mine)
        if (k.start < hit.end && hit.start < k.end) {
          overlaps = true;
          break;
        }
      if (overlaps) continue;
      mine.push(hit);
    }
    kept.push(hit);
  }
  kept.sort(byPosition);

  const context: ScoringContext = {
    index,
    scoring,
    subjectEnd: subjectLength(folded, index, scoring.subjectWords),
    passingSpans:
      scoring.incidental && taxonomy.incidentalAfter
        ? findSpans(taxonomy.incidentalAfter, texts)
        : NO_SPANS,
  };
  const incidentalFactor = scoring.incidental?.factor ?? 1;

  const byTheme = new Map<number, CueHit[]>();
  const repeats = new Map<CompiledCue, number>();
  for (const hit of kept) {
    const seen = repeats.get(hit.cue) ?? 0;
    repeats.set(hit.cue, seen + 1);
    const repeat = scoring.repeatFactors[seen] ?? 0;
    const factor = positionFactor(context, hit) * (inPassing(context, hit) ? incidentalFactor : 1);
    const cueHit: CueHit = {
      cueIndex: hit.cue.index,
      start: hit.start,
      end: hit.end,
      text: text.slice(hit.start, hit.end),
      weight: hit.cue.weight,
      fallback: hit.cue.fallback,
      contribution: hit.cue.weight * factor * repeat,
    };
    const hits = byTheme.get(hit.themeIndex);
    if (hits === undefined) byTheme.set(hit.themeIndex, [cueHit]);
    else hits.push(cueHit);
  }

  const scores: (ThemeScore & { themeIndex: number })[] = [];
  for (const [themeIndex, hits] of byTheme) {
    const all: number[] = [];
    const ordinary: number[] = [];
    let firstHit = Infinity;
    for (const h of hits) {
      all.push(h.contribution);
      if (!h.fallback) ordinary.push(h.contribution);
      firstHit = Math.min(firstHit, h.start);
    }
    scores.push({
      themeIndex,
      themeId: (themes[themeIndex] as Theme).id,
      score: combine(ordinary, scoring.combineFactor),
      fallbackScore: combine(all, scoring.combineFactor),
      firstHit,
      hits,
    });
  }
  scores.sort(byScore);
  return {
    scores: scores.map(({ themeId: id, score, fallbackScore, firstHit, hits }) => ({
      themeId: id,
      score,
      fallbackScore,
      firstHit,
      hits,
    })),
    texts,
    index,
  };
}

/** Best score first, then best with fallback cues, then earliest, then theme order. */
function byScore(
  a: ThemeScore & { themeIndex: number },
  b: ThemeScore & { themeIndex: number },
): number {
  return (
    b.score - a.score ||
    b.fallbackScore - a.fallbackScore ||
    a.firstHit - b.firstHit ||
    a.themeIndex - b.themeIndex
  );
}

/**
 * True when a theme's score rests on a single match of a cue that is a sign rather than a name
 * of the theme (weight below `scoring.weak.belowWeight`): a word in passing, which must come
 * close to the top theme to count beside it.
 */
function restsOnOneWeakSign(score: ThemeScore, scoring: Taxonomy['scoring']): boolean {
  if (!scoring.weak) return false;
  const counted = score.hits.filter((h) => !h.fallback && h.contribution > 0);
  return counted.length === 1 && (counted[0] as CueHit).weight < scoring.weak.belowWeight;
}

/**
 * A tag's confidence, 0 to 1 rounded to hundredths: a weighted sum of three parts, each 0 to 1
 * (weights in `scoring.confidence`; data/taxonomy/README.md explains them):
 * - strength: the theme's score against `fullScore`, the score of one cue that names the theme
 *   said in the finding's subject (capped at 1);
 * - share: the theme's score against the top theme's (1 for the top theme itself);
 * - agreement: 1 when two or more different cues point at the theme, 0.5 when one cue does and
 *   it names the theme (weight at least `weak.belowWeight`), 0 when one sign in passing does.
 * A weak-tier tag (no theme reached `minScore`) is scaled by `weakTierFactor`; the default theme,
 * given for want of any cue, has confidence 0.
 */
function confidenceOf(
  score: number,
  topScore: number,
  hits: readonly CueHit[],
  scoring: Taxonomy['scoring'],
): number {
  const c = scoring.confidence;
  if (!c) return 1;
  const counted = hits.filter((h) => h.contribution > 0);
  const cues = new Set(counted.map((h) => h.cueIndex)).size;
  const strongest = Math.max(0, ...counted.map((h) => h.weight));
  const naming = scoring.weak?.belowWeight ?? 0;
  const strength = Math.min(1, score / c.fullScore);
  const share = topScore > 0 ? Math.min(1, score / topScore) : 0;
  const agreement = cues >= 2 ? 1 : strongest >= naming ? 0.5 : 0;
  const value =
    c.weights.strength * strength + c.weights.share * share + c.weights.agreement * agreement;
  return Math.round(value * 100) / 100;
}

/** True when a tag's confidence is below the taxonomy's `uncertainBelow`. */
export function isUncertain(confidence: number, taxonomy: Taxonomy): boolean {
  return confidence < (taxonomy.scoring.confidence?.uncertainBelow ?? 0);
}

function evidenceOf(hits: readonly CueHit[], includeFallback: boolean, max: number): string {
  const pieces: string[] = [];
  const seen = new Set<string>();
  for (const hit of hits) {
    if ((hit.fallback && !includeFallback) || hit.contribution <= 0) continue;
    const key = hit.text.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    pieces.push(hit.text);
    if (pieces.length === max) break;
  }
  return pieces.join(EVIDENCE_SEPARATOR);
}

/**
 * Tags one finding with the themes it is about, most central first; blank text gets none, any
 * other text at least one (see data/taxonomy/README.md for the tiers). The cues choose first;
 * the taxonomy's word model, when it has one, then takes away a cue's doubtful theme that it
 * finds unlikely and adds the themes it finds likely that no cue gave (`scoring.wordModel`).
 */
export function tagThemes(text: string, taxonomy: Taxonomy): ThemeTag[] {
  if (text.trim() === '') return [];
  const { scores, texts, index } = scoreFinding(text, taxonomy);
  const tags = cueTags(scores, taxonomy);
  if (!taxonomy.wordModel) return tags;
  const { words: lemmas, ids } = texts.lemmaWords;
  const words = { lemmas, ids, starts: index.wordStarts, ends: index.wordEnds };
  return amend(text, tags, taxonomy, words);
}

/**
 * The cues' tags of a finding as the taxonomy's word model amends them (`scoring.wordModel`):
 * unchanged without one. Exported for measuring the model on tags an earlier tagger gave.
 */
export function withWordModel(
  text: string,
  tags: readonly ThemeTag[],
  taxonomy: Taxonomy,
): ThemeTag[] {
  return taxonomy.wordModel ? amend(text, tags, taxonomy, lemmasOf(text)) : [...tags];
}

const round2 = (x: number): number => Math.round(x * 100) / 100;

/** Theme id → its index in the taxonomy's `themes`, made once per taxonomy. */
const themeIndexes = new WeakMap<Taxonomy, ReadonlyMap<string, number>>();

function themeIndexOf(taxonomy: Taxonomy): ReadonlyMap<string, number> {
  let map = themeIndexes.get(taxonomy);
  if (map === undefined) {
    map = new Map(taxonomy.themes.map((t, i) => [t.id, i]));
    themeIndexes.set(taxonomy, map);
  }
  return map;
}

function amend(
  text: string,
  tags: readonly ThemeTag[],
  taxonomy: Taxonomy,
  words: FindingWords,
): ThemeTag[] {
  const { lemmas, ids, starts, ends } = words;
  const { wordModel, themes } = taxonomy;
  const rule = taxonomy.scoring.wordModel;
  if (!wordModel || !rule || tags.length === 0) return [...tags];
  const p = probabilities(wordModel, lemmas, ids);
  const indexOf = themeIndexOf(taxonomy);

  const probabilityOf = (t: ThemeTag): number => {
    const i = indexOf.get(t.themeId);
    return i === undefined ? 0 : (p[i] as number);
  };
  /** A cue's tag as kept: its confidence the mean of the cues' and the model's. */
  const keep = (t: ThemeTag, rank: number): ThemeTag => ({
    themeId: t.themeId,
    rank,
    evidence: t.evidence,
    // The default theme, given for want of any cue, stays at 0.
    confidence:
      t.evidence === '' && t.confidence === 0 ? 0 : round2((t.confidence + probabilityOf(t)) / 2),
  });

  // When the cues only guessed (every tag below `replaceWeakBelow`: the weak tier or the default
  // theme) and the model's likeliest theme reaches `replaceAt`, that theme takes the guess's place.
  let best = 0;
  for (let i = 1; i < themes.length; i += 1) if ((p[i] as number) > (p[best] as number)) best = i;
  const bestP = p[best] as number;
  const replacing =
    rule.replaceAt !== undefined &&
    bestP >= rule.replaceAt &&
    tags.every((t) => t.confidence < (rule.replaceWeakBelow ?? 0));

  const kept: ThemeTag[] = [];
  for (const t of tags) {
    if (
      probabilityOf(t) < rule.dropBelow &&
      t.confidence < rule.dropWhenConfidenceBelow &&
      !(
        rule.sentences === true &&
        likeliestInASentence(text, t, wordModel, indexOf.get(t.themeId), words)
      )
    )
      continue;
    if (replacing && probabilityOf(t) < bestP) continue;
    kept.push(keep(t, kept.length + 1));
  }
  let added: ThemeTag[] | null = null;
  let features: PresentFeature[] | null = null;
  for (let i = 0; i < themes.length; i += 1) {
    const probability = p[i] as number;
    if (probability < rule.addAt && !(replacing && i === best)) continue;
    const id = (themes[i] as Theme).id;
    if (tags.some((t) => t.themeId === id)) continue;
    features ??= presentFeatures(wordModel, lemmas);
    const words = heaviestFeatures(wordModel, features, i, taxonomy.scoring.maxEvidence)
      .sort((a, b) => a.first - b.first)
      .map((f) => text.slice(starts[f.first], ends[f.last]));
    (added ??= []).push({
      themeId: id,
      rank: 0,
      evidence: words.join(EVIDENCE_SEPARATOR),
      confidence: round2(probability * rule.onlyModelFactor),
    });
  }
  if (added === null) {
    if (kept.length > 0) return kept;
    // With nothing kept and nothing added, the cues' first theme stands.
    return [keep(tags[0] as ThemeTag, 1)];
  }
  added.sort((a, b) => b.confidence - a.confidence);
  for (const t of added) kept.push({ ...t, rank: kept.length + 1 });
  return kept;
}

/**
 * Word indexes where each sentence of a finding begins, the first at 0: a sentence ends at a full
 * stop, question mark, exclamation mark or semicolon with a space after it.
 */
function sentenceStarts(
  text: string,
  starts: readonly number[],
  ends: readonly number[],
): number[] {
  const out = [0];
  for (let i = 1; i < starts.length; i += 1) {
    const gap = text.slice(ends[i - 1], starts[i]);
    if (/[.!?;]/.test(gap) && /\s/.test(gap)) out.push(i);
  }
  return out;
}

/**
 * Whether a cue's theme is the word model's likeliest theme in a sentence of the finding that
 * holds the tag's evidence (`scoring.wordModel.sentences`); false for a finding of one sentence,
 * where the whole finding has already been asked.
 */
function likeliestInASentence(
  text: string,
  t: ThemeTag,
  model: WordModel,
  theme: number | undefined,
  { lemmas, ids, starts, ends }: FindingWords,
): boolean {
  if (theme === undefined || t.evidence === '') return false;
  const bounds = sentenceStarts(text, starts, ends);
  if (bounds.length < 2) return false;
  const asked = new Set<number>();
  for (const piece of t.evidence.split(EVIDENCE_SEPARATOR)) {
    const at = text.indexOf(piece);
    if (at < 0) continue;
    let s = 0;
    while (s + 1 < bounds.length && (starts[bounds[s + 1] as number] as number) <= at) s += 1;
    if (asked.has(s)) continue;
    asked.add(s);
    const a = bounds[s] as number;
    const b = s + 1 < bounds.length ? (bounds[s + 1] as number) : lemmas.length;
    const p = probabilities(model, lemmas.slice(a, b), ids.slice(a, b));
    const mine = p[theme] as number;
    if (p.every((q) => q <= mine)) return true;
  }
  return false;
}

/** The themes the cues alone give a finding (scored by `scoreFinding`), most central first. */
function cueTags(scores: readonly ThemeScore[], taxonomy: Taxonomy): ThemeTag[] {
  const { scoring } = taxonomy;
  const top = scores[0];
  const weakThreshold = scoring.weak?.relativeThreshold ?? 0;

  const chosen =
    top && top.score > 0
      ? scores
          .filter(
            (s) =>
              s.score >= scoring.minScore &&
              s.score >= scoring.relativeThreshold * top.score &&
              (s === top ||
                !restsOnOneWeakSign(s, scoring) ||
                s.score >= weakThreshold * top.score),
          )
          .slice(0, scoring.maxThemes)
      : [];
  if (chosen.length > 0) {
    return chosen.map((s, i) => ({
      themeId: s.themeId,
      rank: i + 1,
      evidence: evidenceOf(s.hits, false, scoring.maxEvidence),
      confidence: confidenceOf(
        s.score,
        top?.score ?? 0,
        s.hits.filter((h) => !h.fallback),
        scoring,
      ),
    }));
  }

  // Weak tier: nothing reached minScore, so the single best theme, fallback cues included.
  const weak = [...scores].sort(
    (a, b) => b.fallbackScore - a.fallbackScore || a.firstHit - b.firstHit,
  )[0];
  if (weak && weak.fallbackScore > 0) {
    return [
      {
        themeId: weak.themeId,
        rank: 1,
        evidence: evidenceOf(weak.hits, true, scoring.maxEvidence),
        confidence:
          Math.round(
            confidenceOf(weak.fallbackScore, weak.fallbackScore, weak.hits, scoring) *
              (scoring.confidence?.weakTierFactor ?? 1) *
              100,
          ) / 100,
      },
    ];
  }
  return [{ themeId: taxonomy.defaultThemeId, rank: 1, evidence: '', confidence: 0 }];
}
