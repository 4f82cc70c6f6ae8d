import {
  lemmatise,
  type CompiledContext,
  type CompiledCue,
  type CompiledPattern,
  type Taxonomy,
} from './taxonomy';

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

const WORD_RE = /[\p{L}\p{N}]+(?:'[\p{L}\p{N}]+)*/gu;
// A sentence ends at . ! or ? followed by space and a capital or digit; "s.47" and "e.g. the" do not.
const SENTENCE_END_RE = /[.!?]+["')\]]*\s+(?=["'([]?[\p{Lu}\p{N}])/gu;

/** Word and sentence geometry of one finding, for distances and positions. */
class TextIndex {
  readonly wordStarts: number[] = [];
  readonly wordEnds: number[] = [];
  readonly sentenceStarts: number[] = [0];

  constructor(folded: string) {
    // exec with lastIndex rather than matchAll, which copies the regular expression each time.
    WORD_RE.lastIndex = 0;
    for (let m = WORD_RE.exec(folded); m !== null; m = WORD_RE.exec(folded)) {
      this.wordStarts.push(m.index);
      this.wordEnds.push(m.index + m[0].length);
    }
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

function trimSpan(text: string, start: number, end: number): Span {
  let s = start;
  let e = end;
  while (s < e && /[\s-]/.test(text[s] as string)) s += 1;
  while (e > s && /[\s-]/.test(text[e - 1] as string)) e -= 1;
  return { start: s, end: e };
}

/**
 * The taxonomy's pre-check word beginnings as a trie over ASCII letters (either case) and digits:
 * `next[node * TRIE_WIDTH + symbol]` is the child node (0: none; the root, node 0, is no child),
 * `ids[node]` the patterns whose word beginning ends at that node.
 */
interface PrefixTrie {
  next: Int32Array;
  ids: (readonly number[] | undefined)[];
}

const TRIE_WIDTH = 36;
const tries = new WeakMap<Taxonomy, PrefixTrie>();

/** The trie symbol of a character code: 0-9 for digits, 10-35 for letters; -1 for others. */
function trieSymbol(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  const lower = code | 0x20;
  return lower >= 97 && lower <= 122 ? lower - 87 : -1;
}

function prefixTrie(taxonomy: Taxonomy): PrefixTrie {
  let trie = tries.get(taxonomy);
  if (trie) return trie;
  const next = Array<number>(TRIE_WIDTH).fill(0);
  const ids: number[][] = [[]];
  for (const [prefix, patternIds] of taxonomy.prefixIndex) {
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
  trie = {
    next: Int32Array.from(next),
    ids: ids.map((list) => (list.length > 0 ? [...new Set(list)] : undefined)),
  };
  tries.set(taxonomy, trie);
  return trie;
}

/** True for the characters of `\w` (ASCII letters, digits and underscore). */
function isWordCode(code: number): boolean {
  return trieSymbol(code) >= 0 || code === 95;
}

/**
 * The folded finding and, for each pattern that has a pre-check, the offsets at which a match
 * can begin: a match starts at a word boundary with one of the pattern's word beginnings (ASCII
 * letters and digits, which `\w` and the case-insensitive match both take as ASCII), so it can
 * only start where a word of the text begins with one of them.
 */
class Haystack {
  private readonly starts: (number[] | undefined)[];

  constructor(
    readonly folded: string,
    taxonomy: Taxonomy,
  ) {
    this.starts = new Array<number[] | undefined>(taxonomy.patternCount);
    const { next, ids } = prefixTrie(taxonomy);
    const length = folded.length;
    let i = 0;
    while (i < length) {
      if (!isWordCode(folded.charCodeAt(i))) {
        i += 1;
        continue;
      }
      // A word (a run of \w) starts here: walk the trie along it while a beginning can go on.
      const start = i;
      let node = 0;
      for (; i < length; i += 1) {
        const code = folded.charCodeAt(i);
        if (!isWordCode(code)) break;
        if (node < 0) continue;
        const symbol = trieSymbol(code);
        node = symbol < 0 ? -1 : (next[node * TRIE_WIDTH + symbol] as number) || -1;
        const patterns = node > 0 ? ids[node] : undefined;
        if (!patterns) continue;
        for (const id of patterns) {
          const list = this.starts[id];
          if (!list) this.starts[id] = [start];
          else if (list[list.length - 1] !== start) list.push(start);
        }
      }
    }
  }

  /** Offsets (ascending) where a match of a pre-checked pattern may start; undefined: none. */
  startsOf(pattern: CompiledPattern): readonly number[] | undefined {
    return this.starts[pattern.id];
  }
}

/**
 * The folded finding with every word in its dictionary form, and the way back: separators are
 * kept as they are, so a span of the lemma text maps onto the same words of the finding.
 */
class LemmaText {
  readonly text: string;
  private readonly lemmaStarts: number[] = [];
  private readonly lemmaEnds: number[] = [];
  private readonly origStarts: number[] = [];
  private readonly origEnds: number[] = [];

  constructor(folded: string) {
    let out = '';
    let last = 0;
    WORD_RE.lastIndex = 0;
    for (let m = WORD_RE.exec(folded); m !== null; m = WORD_RE.exec(folded)) {
      out += folded.slice(last, m.index);
      const lemma = lemmatise(m[0]);
      this.origStarts.push(m.index);
      this.origEnds.push(m.index + m[0].length);
      this.lemmaStarts.push(out.length);
      out += lemma;
      this.lemmaEnds.push(out.length);
      last = m.index + m[0].length;
    }
    this.text = out + folded.slice(last);
  }

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
    private readonly taxonomy: Taxonomy,
  ) {
    this.plain = new Haystack(folded, taxonomy);
  }

  get lemma(): { text: LemmaText; haystack: Haystack } {
    if (!this.lemmaView) {
      const text = new LemmaText(this.folded);
      this.lemmaView = { text, haystack: new Haystack(text.text, this.taxonomy) };
    }
    return this.lemmaView;
  }
}

/** Each pattern's expression made sticky, to try it at one offset only. */
const stickyRegexes = new WeakMap<CompiledPattern, RegExp>();

function stickyRegex(pattern: CompiledPattern): RegExp {
  let sticky = stickyRegexes.get(pattern);
  if (!sticky) {
    sticky = new RegExp(pattern.regex.source, `${pattern.regex.flags}y`);
    stickyRegexes.set(pattern, sticky);
  }
  return sticky;
}

/** Where a pattern matches the finding, as offsets in the finding (folded or in dictionary form). */
function findSpans(pattern: CompiledPattern, texts: Texts): Span[] {
  if (!pattern.lemma) return findSpansIn(pattern, texts.plain);
  const { text, haystack } = texts.lemma;
  return findSpansIn(pattern, haystack).map((span) => ({
    start: text.toOriginal(span.start),
    end: text.toOriginal(span.end),
  }));
}

function findSpansIn(pattern: CompiledPattern, haystack: Haystack): Span[] {
  const { folded } = haystack;
  const spans: Span[] = [];
  if (pattern.anyOf !== null) {
    const starts = haystack.startsOf(pattern);
    if (!starts) return spans;
    // The same matches as a global search: the first offset where the expression matches, then
    // on from the end of that match; it is tried only where a match can begin.
    const sticky = stickyRegex(pattern);
    let from = 0;
    for (const at of starts) {
      if (at < from) continue;
      sticky.lastIndex = at;
      const m = sticky.exec(folded);
      if (m === null) continue;
      if (m[0].length === 0) {
        from = at + 1;
        continue;
      }
      from = at + m[0].length;
      const span = trimSpan(folded, at, from);
      if (span.end > span.start) spans.push(span);
    }
    return spans;
  }
  // exec with lastIndex rather than matchAll, which copies the regular expression on every call.
  const { regex } = pattern;
  regex.lastIndex = 0;
  for (let m = regex.exec(folded); m !== null; m = regex.exec(folded)) {
    if (m[0].length === 0) {
      regex.lastIndex += 1;
      continue;
    }
    const span = trimSpan(folded, m.index, m.index + m[0].length);
    if (span.end > span.start) spans.push(span);
  }
  return spans;
}

/** Spans sorted by start, asked which of them contain a given span; logarithmic, for long texts. */
class Containers<T extends Span> {
  private readonly spans: T[];
  private readonly starts: number[];
  private readonly longest: number;

  constructor(spans: readonly T[]) {
    this.spans = [...spans].sort((a, b) => a.start - b.start);
    this.starts = this.spans.map((span) => span.start);
    this.longest = Math.max(0, ...this.spans.map((span) => span.end - span.start));
  }

  /** True when a span containing `inner` passes `test`. */
  some(inner: Span, test: (outer: T) => boolean): boolean {
    for (let i = countBelowOrEqual(this.starts, inner.start) - 1; i >= 0; i -= 1) {
      const outer = this.spans[i] as T;
      // No span further left is long enough to reach past `inner`.
      if (outer.start < inner.end - this.longest) break;
      if (outer.end >= inner.end && test(outer)) return true;
    }
    return false;
  }
}

interface ContextSpan extends Span {
  sentence: number;
  firstWord: number;
  lastWord: number;
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
    if (FINITE_LEMMAS.has(lemmatise(folded.slice(start, index.wordEnds[w])))) return w;
  }
  return Math.min(from + max, index.wordStarts.length);
}

/** Scores every theme that any cue points at, best first; the detail behind `tagThemes`. */
export function scoreThemes(text: string, taxonomy: Taxonomy): ThemeScore[] {
  const folded = text.replace(FOLD_RE, foldChar);
  const haystack = new Texts(folded, taxonomy);
  const index = new TextIndex(folded);
  const { scoring } = taxonomy;
  const masks = new Containers(taxonomy.masks.flatMap((pattern) => findSpans(pattern, haystack)));
  // A mask hides the words inside a name, not the whole name.
  const masked = (span: Span): boolean =>
    masks.some(span, (mask) => mask.end - mask.start > span.end - span.start);

  const contextCache = new Map<CompiledPattern, ContextSpan[]>();
  const contextSpans = (context: CompiledContext): ContextSpan[] => {
    let spans = contextCache.get(context.pattern);
    if (!spans) {
      spans = findSpans(context.pattern, haystack)
        .filter((span) => !masked(span))
        .map((span) => ({
          ...span,
          sentence: index.sentenceOf(span.start),
          firstWord: index.firstWord(span),
          lastWord: index.lastWord(span),
        }));
      contextCache.set(context.pattern, spans);
    }
    return spans;
  };
  const holds = (context: CompiledContext, span: Span): boolean => {
    const spans = contextSpans(context);
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
  };

  const raw: RawHit[] = [];
  taxonomy.themes.forEach((theme, themeIndex) => {
    for (const cue of theme.cues) {
      for (const span of findSpans(cue.pattern, haystack)) {
        if (masked(span)) continue;
        if (cue.near.length > 0 && !cue.near.some((c) => holds(c, span))) continue;
        if (cue.unless.some((c) => holds(c, span))) continue;
        raw.push({ start: span.start, end: span.end, themeIndex, cue });
      }
    }
  });

  const themeId = (i: number): string => (taxonomy.themes[i] as { id: string }).id;
  const hiders = new Containers(raw.filter((h) => h.cue.hides === 'all' || h.cue.hides.size > 0));
  const visible = raw.filter(
    (hit) =>
      !hiders.some(
        hit,
        (by) =>
          by.themeIndex !== hit.themeIndex &&
          (by.cue.hides === 'all' || by.cue.hides.has(themeId(hit.themeIndex))),
      ),
  );

  // Within a theme, overlapping hits are one piece of evidence: the strongest, longest one counts.
  const ordered = [...visible].sort(
    (a, b) =>
      b.cue.weight - a.cue.weight ||
      b.end - b.start - (a.end - a.start) ||
      a.start - b.start ||
      a.cue.index - b.cue.index,
  );
  const kept: RawHit[] = [];
  const taken = new Map<number, RawHit[]>();
  for (const hit of ordered) {
    const mine = taken.get(hit.themeIndex) ?? [];
    if (mine.some((k) => k.start < hit.end && hit.start < k.end)) continue;
    mine.push(hit);
    taken.set(hit.themeIndex, mine);
    kept.push(hit);
  }
  kept.sort(
    (a, b) => a.start - b.start || a.themeIndex - b.themeIndex || a.cue.index - b.cue.index,
  );

  const subjectEnd = subjectLength(folded, index, scoring.subjectWords);
  const positionFactor = (span: Span): number => {
    if (index.sentenceOf(span.start) > 0) return scoring.positionFactors.later;
    return index.firstWord(span) < subjectEnd
      ? scoring.positionFactors.subject
      : scoring.positionFactors.firstSentence;
  };
  // An actor, place or record named after a preposition outside the subject ("... respond to
  // referrals from the police", "recorded at the point of referral") is said in passing.
  const incidental = scoring.incidental;
  const passingSpans =
    incidental && taxonomy.incidentalAfter ? findSpans(taxonomy.incidentalAfter, haystack) : [];
  const inPassing = (hit: RawHit): boolean => {
    if (!hit.cue.incidental || !incidental) return false;
    const sentence = index.sentenceOf(hit.start);
    const first = index.firstWord(hit);
    // Within the subject ("Referrals from schools are ...") the phrase is what the finding is about.
    if (sentence === 0 && first < subjectEnd) return false;
    return passingSpans.some(
      (p) =>
        p.end <= hit.start &&
        index.sentenceOf(p.start) === sentence &&
        first - index.lastWord(p) - 1 <= incidental.within,
    );
  };
  const factorOf = (hit: RawHit): number =>
    positionFactor(hit) * (inPassing(hit) ? (incidental?.factor ?? 1) : 1);

  const byTheme = new Map<number, CueHit[]>();
  const repeats = new Map<CompiledCue, number>();
  for (const hit of kept) {
    const seen = repeats.get(hit.cue) ?? 0;
    repeats.set(hit.cue, seen + 1);
    const repeat = scoring.repeatFactors[seen] ?? 0;
    const hits = byTheme.get(hit.themeIndex) ?? [];
    hits.push({
      cueIndex: hit.cue.index,
      start: hit.start,
      end: hit.end,
      text: text.slice(hit.start, hit.end),
      weight: hit.cue.weight,
      fallback: hit.cue.fallback,
      contribution: hit.cue.weight * factorOf(hit) * repeat,
    });
    byTheme.set(hit.themeIndex, hits);
  }

  const combine = (hits: readonly CueHit[]): number =>
    hits
      .map((h) => h.contribution)
      .sort((a, b) => b - a)
      .reduce((sum, c, i) => sum + c * scoring.combineFactor ** i, 0);

  const scores = [...byTheme.entries()].map(([themeIndex, hits]) => ({
    themeIndex,
    themeId: themeId(themeIndex),
    score: combine(hits.filter((h) => !h.fallback)),
    fallbackScore: combine(hits),
    firstHit: Math.min(...hits.map((h) => h.start)),
    hits,
  }));
  scores.sort(
    (a, b) =>
      b.score - a.score ||
      b.fallbackScore - a.fallbackScore ||
      a.firstHit - b.firstHit ||
      a.themeIndex - b.themeIndex,
  );
  return scores.map(({ themeId: id, score, fallbackScore, firstHit, hits }) => ({
    themeId: id,
    score,
    fallbackScore,
    firstHit,
    hits,
  }));
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
 * other text at least one (see data/taxonomy/README.md for the tiers).
 */
export function tagThemes(text: string, taxonomy: Taxonomy): ThemeTag[] {
  if (text.trim() === '') return [];
  const { scoring } = taxonomy;
  const scores = scoreThemes(text, taxonomy);
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
