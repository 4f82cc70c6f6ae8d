/**
 * Rebuilds a letter's text from the positioned text runs that pdf.js reads out of a PDF: one
 * text line per printed line, a blank line between paragraphs and list items, "• " before every
 * list item, a form feed where the page turns, running headers, footers and page numbers dropped.
 *
 * Everything is read from geometry that every PDF writer leaves, not from one writer's habits:
 * - lines are runs on one baseline (superscripts join the run they touch); where a page is laid
 *   out in columns (a letterhead beside the address), each column is read on its own, left first;
 * - a list item opens at a bullet glyph (•, Word's private-use Symbol and Wingdings bullets), at a
 *   small shape drawn just left of a line (browsers draw their discs), or, where neither exists,
 *   in a block of lines indented from the body whose items end short of the right edge;
 * - a paragraph or item ends at a vertical gap, at a change of indent, or at a line that ends
 *   short of the right edge: with room for the next word, or at all where the text is justified;
 *   a line that runs to the edge goes on, across a page break too;
 * - a line is page furniture only when it repeats in the same place on most pages, or is a page
 *   number at the very top or bottom of a page.
 *
 * Pure and deterministic, roughly linear in the number of runs: it runs in Node and in a web
 * worker alike.
 */

/** One text run of pdf.js `getTextContent()`, reduced to the fields the layout reads. */
export interface PdfTextItem {
  str: string;
  /** pdf.js text matrix `[a, b, c, d, e, f]`: (e, f) is where the run's baseline starts. */
  transform: readonly number[];
  width: number;
  height: number;
  hasEOL?: boolean;
  fontName?: string;
}

/** A small shape painted on the page (a drawn bullet, say), as a box in page coordinates. */
export interface PdfMark {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  /** False for an outline (a hollow circle or square), true or absent for a filled shape. */
  filled?: boolean;
}

/**
 * One page's text runs and its box, as pdf.js gives them (`page.view` is `[x0, y0, x1, y1]`),
 * and the small shapes painted on it, where the reader looked for them.
 */
export interface PdfPageText {
  view: readonly number[];
  items: readonly PdfTextItem[];
  marks?: readonly PdfMark[];
}

/** A text run placed on the page. */
interface Run {
  text: string;
  x: number;
  right: number;
  y: number;
  size: number;
  font: string;
}

/** Runs on one baseline, left to right (superscripts included). */
interface Row {
  runs: Run[];
  y: number;
  size: number;
}

/** A row's runs between two wide gaps: the part of a row that falls in one column. */
interface Fragment {
  runs: Run[];
  x0: number;
  x1: number;
}

/** A printed line: its runs joined, where it starts and ends, and whether it opens a list item. */
interface TextLine {
  text: string;
  y: number;
  size: number;
  left: number;
  /** Where the text after a bullet starts: a hanging indent's continuation lines align here. */
  textLeft: number;
  right: number;
  bullet: boolean;
  /** Width of the line's first word, to tell whether it would have fitted on the line above. */
  firstWordWidth: number;
  /** The column a line was read in where the page is laid out in columns ("region:column"). */
  column: string | null;
}

/** A line's first run when it is a single glyph: a possible list marker and how it is set. */
interface ListMarker {
  glyph: string;
  /** Space between the glyph and the text after it. */
  gapAfter: number;
  /** True when the glyph is in another font than the text, as Word sets Symbol bullets. */
  ownFont: boolean;
}

/** A paragraph of the rebuilt text and the page breaks that stand before it. */
interface Block {
  lines: TextLine[];
  breaksBefore: number;
}

/** A page's lines in reading order, with the page's height and bottom edge. */
interface PageLines {
  lines: TextLine[];
  bottom: number;
  height: number;
}

/** Document-wide measures that decide where paragraphs break. */
interface Measures {
  /** Usual distance between baselines inside a paragraph, in font sizes, for any size. */
  lineSpacing: number;
  /** The same for each font size (rounded to half a point) that has lines enough to tell. */
  spacingBySize: Map<number, number>;
  /** Where full lines end: the text block's right edge. */
  rightEdge: number;
  /**
   * True when the text is justified: most long lines end exactly at the right edge, so a line
   * that stops short of it is the last of its paragraph or list item, whatever comes next.
   */
  justified: boolean;
  /** Where body lines start: the text block's left edge (null when there are no full lines). */
  leftEdge: number | null;
}

// Glyphs that mark a list item. Dashes are also punctuation, so they are only a marker when
// set apart from their text like one (see `readListMarker`).
const BULLET_GLYPHS = '•▪·●◦■□▫◾◼➢➤►▶✓✔‣⁃∙○*';
const DASH_GLYPHS = '-–—';
const BULLET_START_RE = new RegExp(`^[${BULLET_GLYPHS}\\-–—](?=\\s|$)`);
// Word's Symbol and Wingdings bullets come out of fonts without a Unicode map as private-use
// code points (U+F0B7 for Symbol's bullet, U+F0A7 and U+F0D8 for Wingdings' square and arrow).
const PRIVATE_USE_RE = /^[\uF020-\uF0FF](?=\s|$)/;
// Without even a private-use mapping, Wingdings' bullets read as the Latin letter that shares
// their code: § ▪, Ø ➢, ü ✓, v ❖, q ❑, n ■, l ●; Word's second-level bullet is a Courier "o".
// Only trusted when set in a font of their own and apart from the text.
const SYMBOL_FALLBACK_BULLETS = '§Øüvqnlo';
const TERMINAL_RE = /[.!?:;]["'’”)\]]*$/;
const PAGE_NUMBER_RES = [
  /^page\s*\d{1,4}(\s*(of|\/)\s*\d{1,4})?$/i,
  /^\d{1,4}(\s*(of|\/)\s*\d{1,4})?$/i,
  /^[-–—]\s*\d{1,4}\s*[-–—]$/,
  /^\(?\s*\d{1,4}\s*\)?$/,
];
/** Share of the page height at the top and at the bottom where headers and footers live. */
const MARGIN_BAND = 0.12;
/** A gap between runs on one baseline wider than this many font sizes may separate columns. */
const FRAGMENT_GAP = 2;
/** Narrowest gutter between columns, in font sizes. */
const GUTTER = 1.5;
/** Lines further apart than this many font sizes are not one block of a column. */
const COLUMN_PITCH = 1.6;

/** Rebuilds a PDF's text from its pages' text runs; pages are joined with form feeds. */
export function layoutPdfText(pages: readonly PdfPageText[]): string {
  const laidOut = pages.map(readPageLines);
  dropFurniture(laidOut);
  const measures = measure(laidOut);
  inferListItems(laidOut, measures);
  const blocks: Block[] = [];
  // Page breaks not yet placed: they go before the next paragraph that opens.
  let owed = 0;
  for (const [pageIndex, page] of laidOut.entries()) {
    if (pageIndex > 0) owed += 1;
    for (const lines of splitParagraphs(page.lines, measures)) {
      const previous = blocks[blocks.length - 1];
      const next = lines[0];
      if (!previous || !next || owed === 0) {
        blocks.push({ lines, breaksBefore: owed });
        owed = 0;
        continue;
      }
      const turn = pageTurn(previous.lines, lines, measures);
      // The letter parser carries a list item over a page break into the unmarked paragraph
      // after it. Where the layout knows better, the break moves to where that rule is
      // harmless: before the list item, or after a plain paragraph.
      const beforeItem = previous.lines[0]?.bullet === true;
      if (turn === 'continues') {
        previous.lines.push(...lines);
        if (beforeItem) {
          previous.breaksBefore += 1;
          owed -= 1;
        }
        continue;
      }
      if (turn === 'ends' && beforeItem && !next.bullet) {
        previous.breaksBefore += 1;
        owed -= 1;
      }
      blocks.push({ lines, breaksBefore: owed });
      owed = 0;
    }
  }
  const out: string[] = [];
  for (const [i, block] of blocks.entries()) {
    if (block.breaksBefore > 0) out.push(...Array.from({ length: block.breaksBefore }, () => '\f'));
    else if (i > 0) out.push('');
    out.push(...block.lines.map((line) => line.text));
  }
  if (owed > 0 && out.length > 0) out.push(...Array.from({ length: owed }, () => '\f'));
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Runs, rows and columns

/** Places a page's runs, groups them into lines and reads columns apart, top of the page down. */
function readPageLines(page: PdfPageText): PageLines {
  const [, y0 = 0, , y1 = 792] = page.view;
  const runs: Run[] = [];
  for (const item of page.items) {
    const [a = 1, b = 0, c = 0, d = 1, e = 0, f = 0] = item.transform;
    // Rotated runs are watermarks and margin notes, not the letter's lines.
    if (Math.abs(b) > Math.abs(a) * 0.1 || Math.abs(c) > Math.abs(d) * 0.1) continue;
    const text = item.str.replace(/[\t\u00A0]/g, ' ');
    if (text.trim().length === 0) continue;
    if (![e, f, item.width].every(Number.isFinite)) continue;
    const size = Math.abs(d) || Math.abs(item.height) || 10;
    if (!Number.isFinite(size)) continue;
    const width = Math.max(0, item.width);
    const font = item.fontName ?? '';
    // Text padded apart with spaces inside one run (a page typed in a fixed-width font, its
    // letterhead's columns spaced out) is split there, each part placed by its share of the
    // characters, as a fixed-width font sets them.
    const parts = text.split(/( {3,})/);
    let x = e;
    for (const part of parts) {
      const share = parts.length === 1 ? width : (width * part.length) / text.length;
      if (part.trim().length > 0) runs.push({ text: part, x, right: x + share, y: f, size, font });
      x += share;
    }
  }
  const rows = groupRows(runs);
  const marks = (page.marks ?? []).filter(
    (m) => [m.x0, m.y0, m.x1, m.y1].every(Number.isFinite) && m.x1 >= m.x0 && m.y1 >= m.y0,
  );
  const lines: TextLine[] = [];
  for (const unit of readColumns(rows)) {
    const line = joinRuns(unit.runs, unit.column);
    if (line) lines.push(markDrawnBullet(line, marks));
  }
  return { lines, bottom: y0, height: y1 - y0 };
}

/**
 * Groups runs into rows: runs on one baseline, and a smaller run raised or lowered against the
 * run it touches (a superscript "th", a footnote number). A run beside a column of other lines,
 * a few points off their baselines, stays on its own row.
 */
function groupRows(runs: Run[]): Row[] {
  const sorted = [...runs].sort((p, q) => q.y - p.y || p.x - q.x);
  const rows: Row[] = [];
  for (const run of sorted) {
    const row = rows[rows.length - 1];
    if (row && Math.abs(run.y - row.y) <= 0.15 * Math.max(run.size, row.size)) {
      row.runs.push(run);
      if (run.size > row.size) [row.y, row.size] = [run.y, run.size];
      continue;
    }
    rows.push({ runs: [run], y: run.y, size: run.size });
  }
  // A row of smaller runs that each touch a run of a neighbouring row joins that row.
  const merged: Row[] = [];
  for (const [i, row] of rows.entries()) {
    const host = [merged[merged.length - 1], rows[i + 1]]
      .filter((other): other is Row => other !== undefined && other !== row)
      .filter(
        (other) => row.size < other.size * 0.9 && Math.abs(row.y - other.y) <= 0.5 * other.size,
      )
      .find((other) => row.runs.every((run) => touches(run, other)));
    if (host) {
      host.runs.push(...row.runs);
      continue;
    }
    merged.push(row);
  }
  for (const row of merged) row.runs.sort((p, q) => p.x - q.x);
  return merged;
}

/** True when a run sits right beside or over one of a row's runs. */
function touches(run: Run, row: Row): boolean {
  return row.runs.some(
    (other) => Math.max(run.x, other.x) - Math.min(run.right, other.right) <= 0.35 * row.size,
  );
}

/** Splits a row's runs where the gap between them is wide enough to be a gutter. */
function fragments(row: Row): Fragment[] {
  const out: Fragment[] = [];
  for (const run of row.runs) {
    const last = out[out.length - 1];
    if (last && run.x - last.x1 <= FRAGMENT_GAP * row.size) {
      last.runs.push(run);
      last.x1 = Math.max(last.x1, run.right);
      continue;
    }
    out.push({ runs: [run], x0: run.x, x1: run.right });
  }
  return out;
}

/** Intervals covered by text, merged, left to right. */
type Cover = [number, number][];

/** Adds intervals to a cover, merging any that overlap. */
function addToCover(cover: Cover, parts: readonly Fragment[]): Cover {
  const all: [number, number][] = [...cover, ...parts.map((f): [number, number] => [f.x0, f.x1])];
  all.sort((p, q) => p[0] - q[0]);
  const out: Cover = [];
  for (const [a, b] of all) {
    const last = out[out.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

/** The gaps of a cover at least `width` wide: white stripes that may run between columns. */
function gutters(cover: Cover, width: number): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 1; i < cover.length; i += 1) {
    const left = cover[i - 1]![1];
    const right = cover[i]![0];
    if (right - left >= width) out.push([left, right]);
  }
  return out;
}

/** A piece of text to become one line, with the column it was read in. */
interface Unit {
  runs: Run[];
  column: string | null;
}

/**
 * Puts a page's rows in reading order. Where consecutive rows leave a white stripe between
 * them (a gutter) with text on both sides that runs side by side, the rows form a region of
 * columns: each column is read top to bottom, the left one first, as separate paragraphs. Rows
 * whose columns share every baseline across a narrow gutter (a table of labels and values) stay
 * whole, and so does a single row with a wide gap in it.
 */
function readColumns(rows: Row[]): Unit[] {
  const parts = rows.map(fragments);
  const units: Unit[] = [];
  const whole = (k: number): void => {
    units.push({ runs: rows[k]!.runs, column: null });
  };
  let done = 0;
  let i = 0;
  let region = 0;
  while (i < rows.length) {
    // Grow a band of rows from i while their text leaves a gutter, starting afresh at a row
    // while no gutter has opened yet.
    let start = i;
    let cover = addToCover([], parts[i]!);
    let size = rows[i]!.size;
    let j = i + 1;
    for (; j < rows.length; j += 1) {
      const width = GUTTER * Math.max(size, rows[j]!.size);
      const next = addToCover(cover, parts[j]!);
      const had = gutters(cover, width).length > 0;
      const has = gutters(next, width).length > 0;
      if (had && !has) break;
      if (!had && !has) {
        start = j;
        cover = addToCover([], parts[j]!);
        size = rows[j]!.size;
        continue;
      }
      cover = next;
      size = Math.max(size, rows[j]!.size);
    }
    const found =
      j - start >= 2
        ? columnRegion(rows, parts, {
            done,
            start,
            end: j,
            stripes: gutters(cover, GUTTER * size),
            size,
          })
        : null;
    if (!found) {
      i = Math.max(i + 1, j);
      continue;
    }
    for (let k = done; k < found.from; k += 1) whole(k);
    region += 1;
    for (const [c, column] of found.columns.entries())
      for (const runs of column) units.push({ runs, column: `${region}:${c}` });
    done = found.to;
    i = found.to;
  }
  for (let k = done; k < rows.length; k += 1) whole(k);
  return units;
}

/** A region of columns: rows `from` to `to` (exclusive), each column's lines top to bottom. */
interface ColumnRegion {
  from: number;
  to: number;
  columns: Run[][][];
}

/** A band of rows that leaves gutters: where it starts and ends, what is done before it. */
interface Band {
  /** Rows before this one are already laid out. */
  done: number;
  start: number;
  /** The first row after the band (it crosses a gutter), or the page's row count. */
  end: number;
  stripes: [number, number][];
  /** The band's largest font size. */
  size: number;
}

/**
 * Checks a band of rows for columns side by side and settles which rows the region holds: the
 * rows where two columns run side by side, the rows above them that belong to a column's head,
 * and the rows below that go on in a column at a line's distance and in line with it; a row
 * that runs into a column set close beside it is split where the column's lines start.
 */
function columnRegion(rows: Row[], parts: Fragment[][], band: Band): ColumnRegion | null {
  const { done, start, end, size } = band;
  let stripes = band.stripes;
  if (stripes.length === 0) return null;
  // Rows taken in below the band may be split afresh; the caller's fragments stay as they were.
  const split = new Map<number, Fragment[]>();
  const partsOf = (k: number): Fragment[] => split.get(k) ?? parts[k]!;
  const columnOf = (f: Fragment): number => stripes.filter(([a]) => a < f.x0).length;
  const crosses = (k: number): boolean =>
    partsOf(k).some((f) => stripes.some(([a, b]) => f.x0 < b && f.x1 > a));
  let from = start;
  while (from > done && !crosses(from - 1)) from -= 1;
  // Where each column's text starts and ends, and rows with text in several columns.
  const tops = new Map<number, number>();
  const bottoms = new Map<number, number>();
  let shared = 0;
  for (let k = from; k < end; k += 1) {
    const used = new Set(partsOf(k).map(columnOf));
    if (used.size > 1) shared += 1;
    for (const c of used) {
      tops.set(c, Math.max(tops.get(c) ?? -Infinity, rows[k]!.y));
      bottoms.set(c, Math.min(bottoms.get(c) ?? Infinity, rows[k]!.y));
    }
  }
  if (tops.size < 2) return null;
  // A table of labels and values: its columns share their baselines row after row, across a
  // narrow gutter. Columns that share baselines across a wide one are still columns: a
  // letterhead set in one size beside the address.
  const narrowest = Math.min(...stripes.map(([a, b]) => b - a));
  if (shared >= 2 && shared >= 0.6 * (end - from) && narrowest < 4 * size) return null;
  // Side by side: rows within the height of two columns' text.
  const active = (k: number): number =>
    [...tops.keys()].filter(
      (c) => rows[k]!.y <= tops.get(c)! + 0.01 && rows[k]!.y >= bottoms.get(c)! - 0.01,
    ).length;
  let first = -1;
  let last = -1;
  for (let k = from; k < end; k += 1) {
    if (active(k) < 2) continue;
    if (first < 0) first = k;
    last = k;
  }
  if (first < 0) return null;
  // Rows around the side-by-side part belong to it only where their text lines up with text of
  // the same column there (a salutation under an address is set at the page's margin, not in
  // the address's cell).
  const edges = new Map<number, number[]>();
  for (let k = first; k <= last; k += 1)
    for (const f of partsOf(k)) {
      const list = edges.get(columnOf(f)) ?? [];
      list.push(f.x0, f.x1);
      edges.set(columnOf(f), list);
    }
  const aligned = (k: number): boolean =>
    partsOf(k).every((f) =>
      (edges.get(columnOf(f)) ?? []).some((x, i) => Math.abs(x - (i % 2 === 0 ? f.x0 : f.x1)) <= 1),
    );
  // Above: a column's head (a letterhead's first lines), across a paragraph's gap in it.
  const heads = new Map<number, number>();
  for (let k = last; k >= first; k -= 1) for (const f of partsOf(k)) heads.set(columnOf(f), k);
  let top = first;
  while (top > from && aligned(top - 1)) {
    const row = rows[top - 1]!;
    const follows = partsOf(top - 1).every((f) => {
      const below = rows[heads.get(columnOf(f)) ?? top]!;
      return row.y > below.y && row.y - below.y <= 3 * Math.max(row.size, below.size);
    });
    if (!follows) break;
    top -= 1;
    for (const f of partsOf(top)) heads.set(columnOf(f), top);
  }
  // Below: rows that follow at a line's distance.
  const near = (k: number): boolean =>
    rows[k - 1]!.y - rows[k]!.y <= COLUMN_PITCH * Math.max(rows[k]!.size, rows[k - 1]!.size);
  let bottom = last;
  while (bottom + 1 < end && near(bottom + 1) && aligned(bottom + 1)) bottom += 1;
  // Past the band's end, a row that runs up to a column whose lines all start at one x is split
  // there, where a run starts at that x a gap away from the one before: a table's columns set
  // close together ("Director of Children's Services" beside "www.ofsted.gov.uk").
  if (bottom + 1 === end) {
    const starts = stripes.map(([, b]) => {
      let count = 0;
      for (let k = top; k <= bottom; k += 1)
        for (const f of partsOf(k)) if (Math.abs(f.x0 - b) <= 0.5) count += 1;
      return count >= 2;
    });
    for (let k = end; k < rows.length && near(k); k += 1) {
      const kept = stripes;
      if (crosses(k)) {
        const cut = splitAtColumns(rows[k]!, partsOf(k), stripes, starts);
        if (!cut) break;
        split.set(k, cut.parts);
        stripes = cut.stripes;
      }
      if (!aligned(k)) {
        split.delete(k);
        stripes = kept;
        break;
      }
      bottom = k;
    }
  }
  // One row alone is a line with a wide gap in it (a footer's title and page number).
  if (bottom === top) return null;
  const columns: Run[][][] = Array.from({ length: stripes.length + 1 }, () => []);
  for (let k = top; k <= bottom; k += 1) {
    const byColumn = new Map<number, Run[]>();
    for (const f of partsOf(k)) {
      const c = columnOf(f);
      byColumn.set(c, [...(byColumn.get(c) ?? []), ...f.runs]);
    }
    for (const [c, runs] of byColumn) columns[c]!.push(runs);
  }
  const filled = columns.filter((c) => c.length > 0);
  if (filled.length < 2) return null;
  return { from: top, to: bottom + 1, columns: filled };
}

/**
 * Splits a row's runs at the columns' aligned left edges (`starts` tells which gutters have
 * one) and narrows those gutters to the gap the row leaves; null when the row cannot be split
 * so that nothing crosses a gutter.
 */
function splitAtColumns(
  row: Row,
  parts: readonly Fragment[],
  stripes: readonly [number, number][],
  starts: readonly boolean[],
): { parts: Fragment[]; stripes: [number, number][] } | null {
  const runs = parts.flatMap((f) => f.runs);
  const cuts = new Set<number>();
  for (const [s, [, b]] of stripes.entries()) {
    if (!starts[s]) continue;
    const at = runs.findIndex(
      (run, i) =>
        i > 0 && Math.abs(run.x - b) <= 0.5 && run.x - runs[i - 1]!.right >= 0.25 * row.size,
    );
    if (at > 0) cuts.add(at);
  }
  const out: Fragment[] = [];
  for (const [i, run] of runs.entries()) {
    const last = out[out.length - 1];
    const cut = cuts.has(i) || (last !== undefined && run.x - last.x1 > FRAGMENT_GAP * row.size);
    if (last && !cut) {
      last.runs.push(run);
      last.x1 = Math.max(last.x1, run.right);
    } else out.push({ runs: [run], x0: run.x, x1: run.right });
  }
  const narrowed = stripes.map(([a, b]): [number, number] => {
    let left = a;
    for (const f of out) if (f.x1 > left && f.x1 <= b && f.x0 < b) left = f.x1;
    return [left, b];
  });
  if (out.some((f) => narrowed.some(([a, b]) => f.x0 < b && f.x1 > a))) return null;
  return { parts: out, stripes: narrowed };
}

// ---------------------------------------------------------------------------------------------
// Lines and list markers

/** Joins a line's runs from left to right, putting a space wherever the gap between them is one. */
function joinRuns(runs: Run[], column: string | null): TextLine | null {
  const sorted = [...runs].sort((p, q) => p.x - q.x);
  if (sorted.length === 0) return null;
  const main = sorted.reduce((best, run) => (run.size > best.size ? run : best));
  const pieces: { text: string; x: number; right: number; font: string }[] = [];
  for (const run of sorted) {
    const last = pieces[pieces.length - 1];
    // Fake bold draws the same run twice, a fraction of a point apart.
    if (last && last.text === run.text && Math.abs(last.x - run.x) < run.size * 0.2) continue;
    pieces.push({ text: run.text, x: run.x, right: run.right, font: run.font });
  }
  let text = '';
  let marker: ListMarker | null = null;
  for (const [i, piece] of pieces.entries()) {
    const before = pieces[i - 1];
    if (before) {
      const gap = piece.x - before.right;
      if (gap > main.size * 0.15 && !/\s$/.test(text) && !/^\s/.test(piece.text)) text += ' ';
      if (i === 1 && before.text.trim().length === 1)
        marker = {
          glyph: before.text.trim(),
          gapAfter: gap,
          ownFont: before.font !== piece.font,
        };
    }
    text += piece.text;
  }
  text = text.replace(/ {2,}/g, ' ').trim();
  if (text.length === 0) return null;
  const first = pieces[0];
  const second = pieces[1];
  const opening = readListMarker(text, marker, main.size);
  text = opening.text;
  const bullet = opening.bullet;
  let textLeft = first?.x ?? 0;
  if (bullet && marker && second) textLeft = second.x;
  else if (bullet) textLeft += main.size * 1.2;
  const firstWord = /^\S+/.exec(bullet ? text.replace(/^\S+\s+/, '') : text)?.[0] ?? '';
  const firstPiece = bullet && marker && second ? second : first;
  return {
    text,
    y: main.y,
    size: main.size,
    left: first?.x ?? 0,
    textLeft,
    right: Math.max(...pieces.map((p) => p.right)),
    bullet,
    firstWordWidth: wordWidth(firstPiece, firstWord),
    column,
  };
}

// Helvetica's advance widths (thousandths of an em) for the characters of English text: a
// word's share of its run's measured width is read with them, whatever the font, which is far
// closer than sharing the width out evenly ("communication" is wider than "illicit").
const CHAR_WIDTHS: Record<string, number> = {};
for (const [chars, width] of [
  [' ', 278],
  ['ijl', 222],
  ['ft', 278],
  ['r', 333],
  ['ckszvxy', 500],
  ['abdeghnopqu0123456789', 556],
  ['w', 722],
  ['m', 833],
  ['IJ', 278],
  ['L', 556],
  ['FTZ', 611],
  ['ABEKPSVXY', 667],
  ['CDHNRU', 722],
  ['GOQ', 778],
  ['M', 833],
  ['W', 944],
  [".,;:!'’‘/|", 250],
  ['-()[]"“”', 333],
] as const)
  for (const c of chars) CHAR_WIDTHS[c] = width;

/** A text's width in thousandths of an em, by Helvetica's widths (556 for any other character). */
function units(text: string): number {
  let sum = 0;
  for (const c of text) sum += CHAR_WIDTHS[c] ?? 556;
  return sum;
}

/** Width of a piece's first `word`, its share of the piece's measured width. */
function wordWidth(piece: { text: string; x: number; right: number } | undefined, word: string) {
  if (!piece || word.length === 0) return 0;
  const whole = units(piece.text);
  if (whole === 0) return 0;
  return ((piece.right - piece.x) * Math.min(units(word), whole)) / whole;
}

/** Tells whether a line opens a list item, writing a private-use or Wingdings bullet as "•". */
function readListMarker(
  text: string,
  marker: ListMarker | null,
  size: number,
): { text: string; bullet: boolean } {
  if (PRIVATE_USE_RE.test(text)) return { text: `•${text.slice(1)}`, bullet: true };
  if (
    marker &&
    SYMBOL_FALLBACK_BULLETS.includes(marker.glyph) &&
    marker.ownFont &&
    marker.gapAfter > size * 0.4
  )
    return { text: `•${text.slice(1)}`, bullet: true };
  // A bullet glyph set tight against its text still opens a list item.
  if (/^[\uF020-\uF0FF•▪●◦■]\S/.test(text))
    return {
      text: `${text.slice(0, 1).replace(/[\uF020-\uF0FF]/, '•')} ${text.slice(1)}`,
      bullet: true,
    };
  if (!BULLET_START_RE.test(text)) return { text, bullet: false };
  // A dash is a list marker only when set apart from its text like one, by more than a space.
  if (DASH_GLYPHS.includes(text.charAt(0)))
    return { text, bullet: marker !== null && marker.gapAfter > size * 0.45 };
  return { text, bullet: true };
}

/**
 * Opens a list item where a small shape is drawn just left of a line, at the height of its
 * letters: the disc, circle or square that browsers and some other writers draw for a bullet.
 */
function markDrawnBullet(line: TextLine, marks: readonly PdfMark[]): TextLine {
  if (line.bullet || marks.length === 0) return line;
  const size = line.size;
  const found = marks.find((m) => {
    const w = m.x1 - m.x0;
    const h = m.y1 - m.y0;
    const middle = (m.y0 + m.y1) / 2;
    return (
      w >= size * 0.12 &&
      h >= size * 0.12 &&
      w <= size * 0.8 &&
      h <= size * 0.8 &&
      w <= h * 2.5 &&
      h <= w * 2.5 &&
      m.x1 <= line.left + size * 0.1 &&
      line.left - m.x1 <= size * 2.5 &&
      middle >= line.y - size * 0.15 &&
      middle <= line.y + size * 0.75
    );
  });
  if (!found) return line;
  return { ...line, text: `• ${line.text}`, bullet: true, left: found.x0, textLeft: line.left };
}

// ---------------------------------------------------------------------------------------------
// Page furniture

/** Folds a line for comparing headers and footers across pages: case, digits and spacing. */
function furnitureKey(text: string): string {
  return text.toLowerCase().replace(/\d+/g, '#').replace(/\s+/g, ' ').trim();
}

/** True for a line that is only a page number: "Page 2 of 4", "2", "- 2 -", "2/4". */
function isPageNumber(text: string): boolean {
  return PAGE_NUMBER_RES.some((re) => re.test(text.trim()));
}

/**
 * Drops page furniture in the top and bottom margins: a page number at the very top or bottom of
 * a page, and lines that repeat at the same height on most pages once digits are ignored
 * (running headers and footers, reference numbers). A line that merely has the same words as a
 * line on a few other pages is the letter's own.
 */
function dropFurniture(pages: PageLines[]): void {
  type Candidate = { page: number; line: TextLine; key: string; edge: 'top' | 'bottom' };
  const candidates: Candidate[] = [];
  for (const [pageIndex, page] of pages.entries()) {
    const top = page.bottom + page.height * (1 - MARGIN_BAND);
    const bottom = page.bottom + page.height * MARGIN_BAND;
    const byHeight = [...page.lines].sort((p, q) => q.y - p.y);
    const highest = byHeight.slice(0, 4).filter((line) => line.y >= top);
    const lowest = byHeight.slice(-4).filter((line) => line.y <= bottom && !highest.includes(line));
    for (const [edge, lines] of [
      ['top', highest],
      ['bottom', lowest],
    ] as const) {
      for (const line of lines)
        candidates.push({ page: pageIndex, line, key: furnitureKey(line.text), edge });
    }
    // Page numbers: the outermost two lines at either edge.
    for (const line of [...highest.slice(0, 2), ...lowest.slice(-2)])
      if (isPageNumber(line.text)) line.text = '';
  }
  // Repeats: lines of the same key at the same edge and height, counted once per page.
  const needed = Math.max(2, Math.ceil(pages.length / 2));
  const groups = new Map<string, Candidate[]>();
  for (const candidate of candidates) {
    const key = `${candidate.edge}\u0000${candidate.key}`;
    const group = groups.get(key);
    if (group) group.push(candidate);
    else groups.set(key, [candidate]);
  }
  for (const group of groups.values()) {
    if (group.length < needed) continue;
    // A window over the group's heights: the lines within a few points of each line.
    group.sort((p, q) => p.line.y - q.line.y);
    const onPage = new Map<number, number>();
    const count = (c: Candidate, by: number): void => {
      const n = (onPage.get(c.page) ?? 0) + by;
      if (n === 0) onPage.delete(c.page);
      else onPage.set(c.page, n);
    };
    let low = 0;
    let high = 0;
    for (const candidate of group) {
      const tolerance = Math.max(3, candidate.line.size * 0.3);
      while (high < group.length && group[high]!.line.y <= candidate.line.y + tolerance)
        count(group[high++]!, 1);
      while (group[low]!.line.y < candidate.line.y - tolerance) count(group[low++]!, -1);
      if (onPage.size >= needed) candidate.line.text = '';
    }
  }
  for (const page of pages) page.lines = page.lines.filter((line) => line.text.length > 0);
}

// ---------------------------------------------------------------------------------------------
// Measures and paragraphs

/** The value below which a given share of sorted numbers lie. */
function percentile(sorted: number[], share: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * share))] ?? null;
}

/** Measures the usual line spacing and the text block's edges across the document. */
function measure(pages: PageLines[]): Measures {
  const ratios: number[] = [];
  const bySize = new Map<number, number[]>();
  const rights: number[] = [];
  for (const { lines } of pages) {
    for (const [i, line] of lines.entries()) {
      if (line.text.length >= 30 && line.column === null) rights.push(line.right);
      const above = lines[i - 1];
      if (!above || above.column !== line.column) continue;
      const size = Math.max(line.size, above.size);
      const ratio = (above.y - line.y) / size;
      if (ratio > 0.5 && ratio < 4) {
        ratios.push(ratio);
        const key = sizeKey(size);
        const list = bySize.get(key);
        if (list) list.push(ratio);
        else bySize.set(key, [ratio]);
      }
    }
  }
  ratios.sort((p, q) => p - q);
  rights.sort((p, q) => p - q);
  const lineSpacing = Math.min(1.6, percentile(ratios, 0.2) ?? 1.2);
  // Each size's own leading where it has lines enough: a letterhead set in a smaller size with
  // more space between its lines is not a column of one-line paragraphs.
  const spacingBySize = new Map<number, number>();
  for (const [key, list] of bySize)
    if (list.length >= 4) {
      list.sort((p, q) => p - q);
      spacingBySize.set(key, Math.min(1.6, Math.max(lineSpacing, percentile(list, 0.2)!)));
    }
  const rightEdge = percentile(rights, 0.95) ?? Number.POSITIVE_INFINITY;
  const atEdge = rights.filter((right) => right >= rightEdge - 1).length;
  const justified = rights.length >= 8 && atEdge >= rights.length * 0.3;
  // The body's left edge: the leftmost x where a good share of the lines start and some line
  // runs to the right edge (list items stand further right; a letterhead's short lines or a
  // stray line further left do not count).
  const lefts = new Map<number, { lines: number; full: boolean }>();
  for (const { lines } of pages)
    for (const line of lines)
      if (line.column === null && !line.bullet) {
        const x = Math.round(line.left / 2) * 2;
        const entry = lefts.get(x) ?? { lines: 0, full: false };
        entry.lines += 1;
        entry.full ||= isFull(line, rightEdge);
        lefts.set(x, entry);
      }
  const most = Math.max(0, ...[...lefts.values()].map((e) => e.lines));
  const edges = [...lefts]
    .filter(([, e]) => e.full && e.lines >= Math.max(2, most * 0.15))
    .map(([x]) => x);
  return {
    lineSpacing,
    spacingBySize,
    rightEdge,
    justified,
    leftEdge: edges.length > 0 ? Math.min(...edges) : null,
  };
}

/** Font sizes to half a point, to look up a size's own leading. */
function sizeKey(size: number): number {
  return Math.round(size * 2) / 2;
}

/** The distance between baselines beyond which two lines of this size are paragraphs apart. */
function paragraphGap(size: number, measures: Measures): number {
  return size * (measures.spacingBySize.get(sizeKey(size)) ?? measures.lineSpacing) * 1.2;
}

/** Room left at the end of the line above once the next line's first word is put on it. */
function slack(above: TextLine, line: TextLine, measures: Measures): number {
  return measures.rightEdge - (above.right + line.size * 0.28 + line.firstWordWidth);
}

/** True when the line above was ended early: the next line's first word would have fitted. */
function endedEarly(above: TextLine, line: TextLine, measures: Measures): boolean {
  return slack(above, line, measures) > line.size;
}

/** True when a line runs (nearly) to the text block's right edge. */
function isFull(line: TextLine, rightEdge: number): boolean {
  return rightEdge - line.right < line.size * 1.5;
}

/** True when justified text stops short of the right edge: its paragraph or item ends there. */
function stopsShort(line: TextLine, measures: Measures): boolean {
  return measures.justified && line.right < measures.rightEdge - Math.max(1.5, line.size * 0.15);
}

/**
 * Where a list has neither glyphs nor drawn bullets, its items are indented from the body's
 * left edge and their lines all start at one x; an item ends before a gap, where justified text
 * stops short of the right edge, where ragged text leaves room for the next word, or (in an
 * unspaced, ragged list) at a sentence's end short of the edge before a capital. Such a block
 * of two or more items, with full lines in it or after a line that ends in a colon, is a list:
 * each item's first line gets "• ". Not where the document indents its paragraphs' first lines,
 * nor in lines that go on from a marked item or from the line above (a hanging indent).
 */
function inferListItems(pages: PageLines[], measures: Measures): void {
  const { leftEdge } = measures;
  if (leftEdge === null) return;
  const flow = pages.flatMap((page) => page.lines.filter((line) => line.column === null));
  // A document that indents its paragraphs' first lines has no lists to find this way.
  let firstLineIndents = 0;
  for (const [i, line] of flow.entries()) {
    const next = flow[i + 1];
    if (
      next &&
      !line.bullet &&
      line.left > leftEdge + line.size * 0.8 &&
      Math.abs(next.left - leftEdge) < line.size * 0.3 &&
      isFull(line, measures.rightEdge) &&
      !TERMINAL_RE.test(line.text)
    )
      firstLineIndents += 1;
  }
  if (firstLineIndents >= 2) return;
  let i = 0;
  while (i < flow.length) {
    const head = flow[i]!;
    const x = head.left;
    const previous = flow[i - 1];
    if (head.bullet || x <= leftEdge + head.size * 0.8) {
      i += 1;
      continue;
    }
    let j = i + 1;
    while (j < flow.length) {
      const line = flow[j]!;
      const above = flow[j - 1]!;
      if (line.bullet || Math.abs(line.left - x) > line.size * 0.3) break;
      if (Math.abs(line.size - head.size) > 0.5) break;
      // Lines far apart on one page are not one block.
      if (above.y > line.y && above.y - line.y > line.size * 3) break;
      j += 1;
    }
    const block = flow.slice(i, j);
    // Lines that go on from a marked list item are its own: that list marks every item. Lines
    // that go on from the line just above, mid-sentence and without room for their first word
    // there, are the rest of its paragraph: a numbered paragraph's hanging indent.
    const markedAbove = previous?.bullet && Math.abs(previous.textLeft - x) < head.size * 0.3;
    const hangingAbove =
      previous !== undefined &&
      previous.y > head.y &&
      previous.y - head.y <= paragraphGap(Math.max(previous.size, head.size), measures) &&
      !TERMINAL_RE.test(previous.text) &&
      !endedEarly(previous, head, measures) &&
      !stopsShort(previous, measures);
    if (markedAbove || hangingAbove) {
      i = j;
      continue;
    }
    // Where a list spaces its items apart, a line that follows without a gap is its item's own.
    const gapAfter = (k: number): boolean =>
      block[k]!.y > block[k + 1]!.y &&
      block[k]!.y - block[k + 1]!.y >
        paragraphGap(Math.max(block[k]!.size, block[k + 1]!.size), measures);
    const spaced = block.some((_, k) => k + 1 < block.length && gapAfter(k));
    const starts = [0];
    for (let k = 1; k < block.length; k += 1) {
      const line = block[k]!;
      const above = block[k - 1]!;
      const size = Math.max(line.size, above.size);
      if (gapAfter(k - 1)) starts.push(k);
      else if (stopsShort(above, measures)) starts.push(k);
      // Inside a list, lines end short only where an item ends: 0.4 of a font size of room
      // for the next line's first word is enough to tell.
      else if (slack(above, line, measures) > size * 0.4) starts.push(k);
      // Unspaced and ragged, a sentence that ends short of the edge before a capital most often
      // ends its item: items end with their sentence, and a sentence inside an item rarely ends
      // just where its line does.
      else if (
        !spaced &&
        TERMINAL_RE.test(above.text) &&
        !isFull(above, measures.rightEdge) &&
        /^[A-Z0-9"'‘“(]/.test(line.text)
      )
        starts.push(k);
    }
    const listLike =
      block.some((line) => isFull(line, measures.rightEdge)) ||
      (previous !== undefined && /:\s*$/.test(previous.text));
    if (starts.length >= 2 && listLike)
      for (const k of starts) {
        const line = block[k]!;
        line.text = `• ${line.text}`;
        line.bullet = true;
        line.textLeft = line.left;
      }
    i = j;
  }
}

/** Splits a page's lines into paragraphs: a list item, a gap, an indent or a short last line. */
function splitParagraphs(lines: TextLine[], measures: Measures): TextLine[][] {
  const paragraphs: TextLine[][] = [];
  let current: TextLine[] = [];
  for (const line of lines) {
    const above = current[current.length - 1];
    if (above && !startsParagraph(above, current[0] ?? above, line, measures)) {
      if (
        !line.bullet &&
        DASH_GLYPHS.includes(line.text.charAt(0)) &&
        /^\S\s/.test(line.text) &&
        !TERMINAL_RE.test(above.text)
      ) {
        // A dash that wrapped to the start of a line is punctuation, not a list marker: it moves
        // to the end of the line before, so that the text reads the same and no bullet appears.
        above.text = `${above.text} ${line.text.charAt(0)}`;
        current.push({ ...line, text: line.text.slice(2) });
      } else current.push(line);
      continue;
    }
    if (current.length > 0) paragraphs.push(current);
    current = [line];
  }
  if (current.length > 0) paragraphs.push(current);
  return paragraphs;
}

/** True when `line` opens a new paragraph after `above`, the last line of the paragraph `first` opened. */
function startsParagraph(
  above: TextLine,
  first: TextLine,
  line: TextLine,
  measures: Measures,
): boolean {
  if (line.bullet) return true;
  if (line.column !== above.column) return true;
  const size = Math.max(line.size, above.size);
  if (above.y - line.y > paragraphGap(size, measures)) return true;
  // A line above the one before it: the text went on elsewhere (a column, a text box).
  if (line.y > above.y + size * 0.5) return true;
  const indent = line.left - above.left;
  if (above === first) {
    if (first.bullet) {
      // A list item's second line sits at its hanging indent or back under the bullet.
      const hanging = Math.abs(line.left - first.textLeft) < size * 0.6;
      const underBullet = Math.abs(indent) < size * 0.6;
      if (!hanging && !underBullet) return true;
    } else if (indent > size * 0.8 && endedEarly(first, line, measures)) {
      // A line indented under a first line that had room for its first word opens a paragraph
      // of its own; under one that had not, it is a hanging indent (a numbered paragraph). An
      // outdent after a plain paragraph's first line ends a first-line indent.
      return true;
    }
  } else if (Math.abs(indent) > size * 0.8) return true;
  return (
    TERMINAL_RE.test(above.text) &&
    (endedEarly(above, line, measures) || stopsShort(above, measures))
  );
}

/**
 * Whether the paragraph that ends a page goes on in the first paragraph of the next: it ends when
 * the next page opens a list item, when its last line was ended early (lines end short only at a
 * paragraph's end), or when the next line does not sit where its lines do; it goes on when its
 * last line was full and stopped mid-sentence; otherwise the letter parser decides.
 */
function pageTurn(
  previous: TextLine[],
  next: TextLine[],
  measures: Measures,
): 'continues' | 'ends' | 'unsure' {
  const first = previous[0];
  const last = previous[previous.length - 1];
  const line = next[0];
  if (!first || !last || !line || line.bullet) return 'ends';
  if (line.column !== null || last.column !== null) return 'ends';
  const size = Math.max(line.size, last.size);
  const room = slack(last, line, measures);
  if (room > size || stopsShort(last, measures)) return 'ends';
  const near = (x: number): boolean => Math.abs(line.left - x) < size * 0.6;
  const aligned =
    last === first
      ? near(first.left) || (first.bullet && near(first.textLeft)) || line.left < first.left
      : near(last.left);
  if (!aligned) return 'ends';
  if (Math.abs(line.size - last.size) > 0.5 || TERMINAL_RE.test(last.text)) return 'unsure';
  return room < size * 0.5 ? 'continues' : 'unsure';
}
