/**
 * A letter's `source_text` as blocks a reader can read: headings, paragraphs, list items and
 * page turns, with the converter markup that PDF-to-markdown, HTML and Word exports leave in it
 * (`####`, `**`, `<ul …>`, bullet glyphs, form feeds, table pipes, page footers) taken out, and
 * each finding's span (`char_start`/`char_end`, offsets into the source) still lined up on the
 * text it covers. Pure: no DOM, no React; the view renders the blocks as React text only.
 *
 * The lines and paragraphs are the pipeline's own (`splitLines`, `groupParagraphs`), so a
 * paragraph here is the unit a finding was read from, and a finding's text as shown, whitespace
 * collapsed, is the finding's `text` in `findings.parquet`.
 */
import {
  groupParagraphs,
  titleHeadingSection,
  type Paragraph,
} from '@/core/pipeline/find-sections';
import { splitLines, type Line } from '@/core/pipeline/lines';

/** The part of a finding row the blocks need: its span in the source text. */
export interface SpanOffsets {
  char_start: number;
  char_end: number;
}

/** A piece of text inside a run. */
export interface TextPart {
  text: string;
  /** Bold in the source (`**x**`, `__x__`). */
  strong?: boolean;
  /** A line break kept from the source (an address, a letterhead). */
  br?: boolean;
  /** A gap between table cells or side-by-side columns; its text is one space. */
  sep?: boolean;
}

/** Consecutive text inside one finding's span (`finding` is its index in the spans given), or outside any. */
export interface Run {
  finding: number | null;
  parts: TextPart[];
}

/** One block of the letter, in document order. */
export type LetterBlock =
  | {
      kind: 'heading';
      /** 1: the letter's title ("Annual unannounced inspection of …"); 2: any other heading. */
      level: 1 | 2;
      start: number;
      runs: Run[];
    }
  | { kind: 'paragraph'; start: number; runs: Run[]; findings: number[] }
  | {
      kind: 'item';
      /** A bulleted item, or a numbered one whose number is `marker`. */
      list: 'bullet' | 'number';
      marker: string | null;
      start: number;
      runs: Run[];
      findings: number[];
    }
  | {
      /** The page turns here: the page that begins (2 for the letter's second page). */
      kind: 'page';
      page: number;
      start: number;
    };

/** A letter laid out as blocks. */
export interface LetterLayout {
  blocks: LetterBlock[];
  /** Indices of the spans given that mark no text: out of range, overlapping, or on none shown. */
  unplaced: number[];
}

/** A stretch of text with, for each character, the source offset it came from. */
interface Mapped {
  text: string;
  origin: number[];
}

/** Replaces `re`'s matches, the new text taking its offsets from the match's `at`-th character. */
function mappedReplace(
  mapped: Mapped,
  re: RegExp,
  replace: (match: RegExpExecArray) => { text: string; at: number },
): Mapped {
  let text = '';
  const origin: number[] = [];
  let last = 0;
  for (const match of mapped.text.matchAll(re) as IterableIterator<RegExpExecArray>) {
    const index = match.index;
    text += mapped.text.slice(last, index);
    origin.push(...mapped.origin.slice(last, index));
    const { text: put, at } = replace(match);
    const from = mapped.origin[index + at] ?? mapped.origin[index] ?? 0;
    text += put;
    for (let i = 0; i < put.length; i += 1) origin.push(from);
    last = index + match[0].length;
  }
  text += mapped.text.slice(last);
  origin.push(...mapped.origin.slice(last));
  return { text, origin };
}

const keep = (text: string, at = 0) => ({ text, at });

/** Marks cell gaps and column gaps; never in source text, so safe as a placeholder. */
const SEP = '\u001f';

const TABLE_ROW_RE = /^\s*\|.*\|\s*$/;
const TABLE_RULE_RE = /^[\s|:-]+$/;

/**
 * A line's content (markup and list marker already peeled off by `splitLines`) with the inline
 * markup removed as the pipeline's `stripInlineMarkup` removes it, step by step, so that the
 * text shown is the text the finding was read as; a table row's pipes become cell gaps.
 */
function lineContent(source: string, line: Line): Mapped {
  const start = line.contentStart;
  const end = Math.max(start, line.contentEnd);
  let mapped: Mapped = {
    text: source.slice(start, end),
    origin: Array.from({ length: end - start }, (_, i) => start + i),
  };
  if (TABLE_ROW_RE.test(line.raw)) {
    if (TABLE_RULE_RE.test(line.raw)) return { text: '', origin: [] };
    mapped = mappedReplace(mapped, /^\s*\|+|\|+\s*$/g, () => keep(''));
    mapped = mappedReplace(mapped, /\s*\|\s*/g, () => keep(SEP));
  }
  if (/[<&*_\\]/.test(mapped.text)) {
    mapped = mappedReplace(mapped, /<\/?[a-zA-Z][^>]*>/g, () => keep(' '));
    mapped = mappedReplace(mapped, /&nbsp;/g, () => keep(' '));
    mapped = mappedReplace(mapped, /&amp;/g, () => keep('&'));
    mapped = mappedReplace(mapped, /&#39;|&rsquo;|&apos;/g, () => keep("'"));
    mapped = mappedReplace(mapped, /\*\*|__/g, () => keep(''));
    mapped = mappedReplace(mapped, /(^|\s)[*_](?=\S)|(?<=\S)[*_](?=\s|$|[.,;:])/g, (m) =>
      keep(m[1] ?? ''),
    );
    mapped = mappedReplace(mapped, /\\([\\`*_{}[\]()#+\-.!])/g, (m) => keep(m[1] ?? '', 1));
  }
  // Any whitespace (tabs, form feeds, the odd control) reads as a space; runs collapse later.
  mapped.text = mapped.text.replace(/\s/g, ' ');
  return mapped;
}

/** Source offsets inside `**…**` or `__…__` pairs on one line: bold text. */
function markStrong(raw: string, lineStart: number, strong: Uint8Array): void {
  if (!/\*\*|__/.test(raw)) return;
  for (const match of raw.matchAll(/(\*\*|__)(?=\S)(.+?)(?<=\S)\1/g)) {
    const from = lineStart + (match.index ?? 0) + 2;
    const to = from + (match[2]?.length ?? 0);
    strong.fill(1, from, to);
  }
}

/** `Page 2 of 3` (a footer): the page it ends and the page count. */
const PAGE_FOOTER_RE = /^page\s+(\d+)\s*(?:of|\/)\s*(\d+)$/i;

/**
 * Where the pages turn: at a form feed, or at a "Page N of M" footer (before page N + 1), once
 * per turn, and only where text follows.
 */
function pageTurns(lines: readonly Line[]): { start: number; page: number }[] {
  const turns: { start: number; page: number }[] = [];
  let page = 1;
  let turned = false;
  for (const line of lines) {
    const text = line.raw.replace(/\s+/g, ' ').trim();
    const footer = PAGE_FOOTER_RE.exec(text);
    if (footer) {
      const ends = Number(footer[1]);
      const of = Number(footer[2]);
      if (!turned && ends < of) {
        page = ends + 1;
        turns.push({ start: line.start, page });
        turned = true;
      }
    } else if (line.raw.includes('\f')) {
      if (!turned) {
        page += 1;
        turns.push({ start: line.start, page });
        turned = true;
      }
    } else if (!line.blank) {
      turned = false;
    }
  }
  // A turn with nothing after it (a trailing form feed) shows nothing.
  const lastText = [...lines].reverse().find((line) => !line.blank);
  return turns.filter((turn) => lastText !== undefined && turn.start < lastText.start);
}

/** The spans that can be marked: in range, non-empty, not overlapping one before them. */
function placeableSpans(spans: readonly SpanOffsets[], length: number): Set<number> {
  const order = spans
    .map((span, index) => ({ span, index }))
    .filter(
      ({ span }) =>
        Number.isInteger(span.char_start) &&
        Number.isInteger(span.char_end) &&
        span.char_start >= 0 &&
        span.char_end > span.char_start &&
        span.char_end <= length,
    )
    .sort((a, b) => a.span.char_start - b.span.char_start || a.index - b.index);
  const ok = new Set<number>();
  let cursor = 0;
  for (const { span, index } of order) {
    if (span.char_start < cursor) continue;
    ok.add(index);
    cursor = span.char_end;
  }
  return ok;
}

/** A paragraph's source range: its first line's content to its last's. */
function rangeOf(paragraph: Paragraph): [number, number] {
  const first = paragraph.lines[0]!;
  const last = paragraph.lines[paragraph.lines.length - 1]!;
  return [first.contentStart, Math.max(first.contentStart, last.contentEnd)];
}

/** The spans that reach into a source range. */
function spansIn(spanOf: Int32Array, from: number, to: number): Set<number> {
  const found = new Set<number>();
  for (let i = from; i < to; i += 1) {
    const span = spanOf[i]!;
    if (span >= 0) found.add(span);
  }
  return found;
}

/** The longest line (in characters) that reads as one line of an address. */
const SHORT_LINE = 70;

/** The column most of the document's long lines end by, to tell a short (address) line. */
function fullLineLength(lines: readonly Line[]): number {
  const ends = lines
    .filter((line) => !line.blank && line.text.length >= 40)
    .map((line) => line.raw.trimEnd().length)
    .sort((a, b) => a - b);
  if (ends.length < 8) return 80;
  return ends[Math.floor(ends.length * 0.9)] ?? 80;
}

// The letter's title, as Ofsted wrote it ("Annual unannounced inspection of contact, …").
const TITLE_RE = /^((annual|ofsted|the|an?)\s+)*unannounced inspection of contact\b/i;
// A council report's named parts.
const PART_RE =
  /^(background|introduction|purpose of (the )?report|summary|conclusions?|recommendations?|next steps|appendix|response|(the )?(inspection )?findings( of the inspection)?)$/i;

/** Whether a block of text with no finding in it heads what follows, and at which level. */
function headingLevel(group: readonly Paragraph[], text: string): 1 | 2 | null {
  if (group.length !== 1) return null;
  const paragraph = group[0]!;
  if (paragraph.bullet || text.length === 0) return null;
  const words = text.split(/\s+/).length;
  const first = paragraph.lines[0]!.raw.trim();
  const unfinished = !/[.;,]$/.test(text);
  if (TITLE_RE.test(text) && unfinished && words <= 30) return 1;
  if (titleHeadingSection(text) !== null || (PART_RE.test(text.replace(/:$/, '')) && unfinished))
    return 2;
  if (paragraph.lines.length > 2) return null;
  if (/^#{1,6}(\s|\*|_|$)/.test(first) || /^<h[1-6]\b/i.test(first)) return 2;
  // A line wholly in bold ("**The service meets the requirements …**"), or in <b>/<strong>.
  const bold =
    /^(\*\*|__)[^*_]+(\*\*|__)[:.]?$/.test(first) ||
    /^<(b|strong)>[^<]+<\/(b|strong)>[:.]?$/i.test(first);
  // (Not a name or a role standing alone in bold, as a signature is.)
  if (bold && words >= 4 && words <= 20) return 2;
  // A part of a council's report ("2. Inspection findings").
  if (paragraph.number !== null && !paragraph.number.includes('.') && words <= 6 && unfinished)
    return 2;
  return null;
}

/** Builds a block's runs from its lines' characters, split where a span or bold begins or ends. */
class RunBuilder {
  private readonly runs: Run[] = [];
  private lastSpace = true;

  constructor(
    private readonly spanOf: Int32Array,
    private readonly strong: Uint8Array,
  ) {}

  private push(finding: number | null, part: TextPart): void {
    let run = this.runs[this.runs.length - 1];
    if (!run || run.finding !== finding) {
      run = { finding, parts: [] };
      this.runs.push(run);
    }
    const prev = run.parts[run.parts.length - 1];
    if (prev && !prev.br && !prev.sep && !part.br && !part.sep && prev.strong === part.strong)
      prev.text += part.text;
    else run.parts.push(part);
  }

  /** Adds characters; whitespace collapses to one space, dropped at a block's start. */
  add(mapped: Mapped): void {
    for (let i = 0; i < mapped.text.length; i += 1) {
      const char = mapped.text[i]!;
      const origin = mapped.origin[i]!;
      const span = this.spanOf[origin] ?? -1;
      const finding = span >= 0 ? span : null;
      if (char === SEP) {
        this.trimEnd();
        if (!this.lastSpace) this.push(finding, { text: ' ', sep: true });
        this.lastSpace = true;
        continue;
      }
      if (char === '\n') {
        this.trimEnd();
        if (this.runs.length > 0) this.push(finding, { text: '', br: true });
        this.lastSpace = true;
        continue;
      }
      if (char === ' ') {
        if (this.lastSpace) continue;
        this.lastSpace = true;
      } else {
        this.lastSpace = false;
      }
      this.push(finding, { text: char, ...(this.strong[origin] ? { strong: true } : {}) });
    }
  }

  /** Drops a trailing space (before a break, a gap or the block's end). */
  private trimEnd(): void {
    for (;;) {
      const run = this.runs[this.runs.length - 1];
      const part = run?.parts[run.parts.length - 1];
      if (!run || !part) return;
      if (part.br || part.sep || !part.text.endsWith(' ')) return;
      part.text = part.text.slice(0, -1);
      if (part.text.length === 0) run.parts.pop();
      if (run.parts.length === 0) this.runs.pop();
      else return;
    }
  }

  finish(): Run[] {
    this.trimEnd();
    return this.runs.filter((run) => run.parts.length > 0);
  }
}

/**
 * Lays a letter's text out as blocks, each finding's span marked in the block that holds it.
 * A finding that runs over several paragraphs (a page break or a stray blank line inside it, as
 * converters leave them) becomes one block, with the page turn shown after it.
 */
export function letterBlocks(source: string, spans: readonly SpanOffsets[]): LetterLayout {
  const lines = splitLines(source);
  const paragraphs = groupParagraphs(lines);
  const placeable = placeableSpans(spans, source.length);
  const spanOf = new Int32Array(source.length + 1).fill(-1);
  for (const index of placeable) {
    const span = spans[index]!;
    spanOf.fill(index, span.char_start, span.char_end);
  }
  const strong = new Uint8Array(source.length + 1);
  for (const line of lines) if (!line.blank) markStrong(line.raw, line.start, strong);
  const width = fullLineLength(lines);

  // Paragraphs a span joins become one group; so do lines of an address set one under another.
  const groups: Paragraph[][] = [];
  const groupSpans: Set<number>[] = [];
  for (const paragraph of paragraphs) {
    const [from, to] = rangeOf(paragraph);
    const inside = spansIn(spanOf, from, to);
    const prevGroup = groups[groups.length - 1];
    const prevSpans = groupSpans[groupSpans.length - 1];
    const shared = prevSpans !== undefined && [...inside].some((span) => prevSpans.has(span));
    const prevParagraph = prevGroup?.[prevGroup.length - 1];
    const plain =
      prevParagraph !== undefined &&
      prevSpans !== undefined &&
      inside.size === 0 &&
      prevSpans.size === 0 &&
      !paragraph.bullet &&
      paragraph.number === null &&
      headingLevel([paragraph], paragraph.text) === null &&
      headingLevel(prevGroup!, prevParagraph.text) === null;
    // Short lines set one under another with no gap: an address, a signature, a letterhead.
    const address =
      plain &&
      !paragraph.afterGap &&
      !prevParagraph.bullet &&
      prevParagraph.number === null &&
      [...prevGroup!.flatMap((p) => p.lines), ...paragraph.lines].every(
        (line) => line.raw.trim().length <= SHORT_LINE,
      );
    // A sentence that a page break (or a stray blank line) cut in two.
    const cut =
      plain &&
      paragraph.afterGap &&
      /^[a-z]/.test(paragraph.text) &&
      !/[.!?:;]["'’”)\]]*$/.test(prevParagraph.text);
    if (prevGroup && prevSpans && (shared || address || cut)) {
      prevGroup.push(paragraph);
      for (const span of inside) prevSpans.add(span);
    } else {
      groups.push([paragraph]);
      groupSpans.push(inside);
    }
  }

  const blocks: LetterBlock[] = [];
  const turns = pageTurns(lines);
  let nextTurn = 0;
  const placed = new Set<number>();

  groups.forEach((group, g) => {
    const [start] = rangeOf(group[0]!);
    const [, end] = rangeOf(group[group.length - 1]!);
    while (nextTurn < turns.length && turns[nextTurn]!.start < start) {
      blocks.push({ kind: 'page', ...turns[nextTurn]! });
      nextTurn += 1;
    }
    const findings = [...groupSpans[g]!].sort((a, b) => a - b);
    const builder = new RunBuilder(spanOf, strong);
    let previousText = '';
    let previousLine: Line | null = null;
    group.forEach((paragraph, p) => {
      for (const line of paragraph.lines) {
        const content = lineContent(source, line);
        const text = content.text.trim();
        if (text.length === 0) continue;
        if (previousLine) {
          // Lines join with a space, or with nothing after a hyphen a line break split
          // ("multi-" + "agency"), as the pipeline joins a finding's lines; an address's lines
          // (and a letterhead's) keep their breaks.
          const hyphen = /[A-Za-z]-$/.test(previousText) && /^[a-z]/.test(text);
          const newParagraph =
            paragraph.lines[0] === line && p > 0 && !/^[a-z]/.test(paragraph.text);
          const short = findings.length === 0 && previousLine.raw.trimEnd().length < width * 0.65;
          const join = hyphen ? '' : (newParagraph && findings.length === 0) || short ? '\n' : ' ';
          if (join) builder.add({ text: join, origin: [previousLine.contentEnd] });
        }
        let shown = content;
        // Columns set side by side (`pdftotext -layout` letterheads) and links a web page set
        // between bars ("Original URL | See all dates | Help"): shown as gaps.
        if (findings.length === 0) shown = mappedReplace(content, / {6,}| +\| +/g, () => keep(SEP));
        builder.add(shown);
        previousText = text;
        previousLine = line;
      }
    });
    const runs = builder.finish();
    if (runs.length === 0) return;
    for (const run of runs) if (run.finding !== null) placed.add(run.finding);
    const text = runs
      .flatMap((run) => run.parts.map((part) => part.text))
      .join('')
      .trim();
    const first = group[0]!;
    const level = findings.length === 0 ? headingLevel(group, text) : null;
    if (level !== null) {
      blocks.push({
        kind: 'heading',
        level,
        start,
        runs: runs.map((run) => ({
          finding: run.finding,
          // A heading reads as one line, in the heading's own weight.
          parts: run.parts.map((part) => (part.br ? { text: ' ' } : { ...part, strong: false })),
        })),
      });
    } else if (first.bullet || first.number !== null) {
      blocks.push({
        kind: 'item',
        list: first.bullet ? 'bullet' : 'number',
        marker: first.bullet ? null : first.number,
        start,
        runs,
        findings,
      });
    } else {
      blocks.push({ kind: 'paragraph', start, runs, findings });
    }
    // A page that turned inside this block is shown after it.
    while (nextTurn < turns.length && turns[nextTurn]!.start < end) {
      blocks.push({ kind: 'page', ...turns[nextTurn]! });
      nextTurn += 1;
    }
  });

  const unplaced = spans.map((_, index) => index).filter((index) => !placed.has(index));
  return { blocks, unplaced };
}

/** A block's text as shown: breaks and gaps as spaces, for tests and plain-text uses. */
export function blockText(block: LetterBlock): string {
  if (block.kind === 'page') return `page ${block.page}`;
  return block.runs
    .flatMap((run) => run.parts.map((part) => (part.br ? ' ' : part.text)))
    .join('')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The text a finding's span shows, across its runs, whitespace collapsed. */
export function findingText(layout: LetterLayout, finding: number): string {
  return layout.blocks
    .flatMap((block) => (block.kind === 'page' ? [] : block.runs))
    .filter((run) => run.finding === finding)
    .flatMap((run) => run.parts.map((part) => (part.br ? ' ' : part.text)))
    .join('')
    .replace(/\s+/g, ' ')
    .trim();
}
