/**
 * Rebuilds a letter's text from the positioned text runs that pdf.js reads out of a PDF: one
 * text line per printed line, a blank line between paragraphs and list items, a form feed where
 * the page turns, bullets kept at the start of their line, running headers, footers and page
 * numbers dropped. Pure: it runs in Node and in a web worker alike.
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

/** One page's text runs and its box, as pdf.js gives them (`page.view` is `[x0, y0, x1, y1]`). */
export interface PdfPageText {
  view: readonly number[];
  items: readonly PdfTextItem[];
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
  /** Usual distance between baselines inside a paragraph, in font sizes. */
  lineSpacing: number;
  /** Where full lines end: the text block's right edge. */
  rightEdge: number;
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
// their code: § ▪, Ø ➢, ü ✓, v ❖, q ❑, n ■, l ●; only trusted when set in a font of their own.
const SYMBOL_FALLBACK_BULLETS = '§Øüvqnl';
const TERMINAL_RE = /[.!?:;]["'’”)\]]*$/;
const PAGE_NUMBER_RES = [
  /^page\s*\d{1,4}(\s*(of|\/)\s*\d{1,4})?$/i,
  /^\d{1,4}(\s*(of|\/)\s*\d{1,4})?$/i,
  /^[-–—]\s*\d{1,4}\s*[-–—]$/,
  /^\(?\s*\d{1,4}\s*\)?$/,
];
/** Share of the page height at the top and at the bottom where headers and footers live. */
const MARGIN_BAND = 0.12;

/** Rebuilds a PDF's text from its pages' text runs; pages are joined with form feeds. */
export function layoutPdfText(pages: readonly PdfPageText[]): string {
  const laidOut = pages.map(readPageLines);
  dropFurniture(laidOut);
  const measures = measure(laidOut);
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

/** Places a page's runs and groups them into lines from the top of the page down. */
function readPageLines(page: PdfPageText): PageLines {
  const [, y0 = 0, , y1 = 792] = page.view;
  const runs: Run[] = [];
  for (const item of page.items) {
    const [a = 1, b = 0, c = 0, d = 1, e = 0, f = 0] = item.transform;
    // Rotated runs are watermarks and margin notes, not the letter's lines.
    if (Math.abs(b) > Math.abs(a) * 0.1 || Math.abs(c) > Math.abs(d) * 0.1) continue;
    const text = item.str.replace(/[\t\u00A0]/g, ' ');
    if (text.trim().length === 0) continue;
    const size = Math.abs(d) || item.height || 10;
    runs.push({ text, x: e, right: e + item.width, y: f, size, font: item.fontName ?? '' });
  }
  runs.sort((p, q) => q.y - p.y || p.x - q.x);
  const groups: Run[][] = [];
  let current: Run[] = [];
  let baseline = Number.NaN;
  let baselineSize = 0;
  for (const run of runs) {
    // Superscripts ("7th") sit about a third of the font size above the baseline.
    if (
      current.length > 0 &&
      Math.abs(run.y - baseline) <= 0.4 * Math.max(run.size, baselineSize)
    ) {
      current.push(run);
      if (run.size > baselineSize) [baseline, baselineSize] = [run.y, run.size];
      continue;
    }
    if (current.length > 0) groups.push(current);
    current = [run];
    [baseline, baselineSize] = [run.y, run.size];
  }
  if (current.length > 0) groups.push(current);
  return {
    lines: groups.map(joinRuns).filter((line): line is TextLine => line !== null),
    bottom: y0,
    height: y1 - y0,
  };
}

/** Joins a line's runs from left to right, putting a space wherever the gap between them is one. */
function joinRuns(runs: Run[]): TextLine | null {
  const sorted = [...runs].sort((p, q) => p.x - q.x);
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
  const pieceLength = Math.max(1, firstPiece?.text.length ?? 1);
  const pieceWidth = firstPiece ? firstPiece.right - firstPiece.x : 0;
  return {
    text,
    y: main.y,
    size: main.size,
    left: first?.x ?? 0,
    textLeft,
    right: Math.max(...pieces.map((p) => p.right)),
    bullet,
    firstWordWidth: (pieceWidth * Math.min(firstWord.length, pieceLength)) / pieceLength,
  };
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

/** Folds a line for comparing headers and footers across pages: case, digits and spacing. */
function furnitureKey(text: string): string {
  return text.toLowerCase().replace(/\d+/g, '#').replace(/\s+/g, ' ').trim();
}

/** True for a line that is only a page number: "Page 2 of 4", "2", "- 2 -", "2/4". */
function isPageNumber(text: string): boolean {
  return PAGE_NUMBER_RES.some((re) => re.test(text.trim()));
}

/**
 * Drops page furniture in the top and bottom margins: page numbers, and lines that repeat at the
 * same height on other pages once digits are ignored (running headers and footers).
 */
function dropFurniture(pages: PageLines[]): void {
  type Candidate = { page: number; line: TextLine; key: string; edge: 'top' | 'bottom' };
  const candidates: Candidate[] = [];
  for (const [pageIndex, page] of pages.entries()) {
    const top = page.bottom + page.height * (1 - MARGIN_BAND);
    const bottom = page.bottom + page.height * MARGIN_BAND;
    const { lines } = page;
    for (const [i, line] of lines.entries()) {
      const edge =
        i < 4 && line.y >= top
          ? 'top'
          : i >= lines.length - 4 && line.y <= bottom
            ? 'bottom'
            : null;
      if (edge) candidates.push({ page: pageIndex, line, key: furnitureKey(line.text), edge });
    }
  }
  const furniture = new Set<TextLine>();
  for (const candidate of candidates) {
    const { line, page } = candidate;
    const lines = pages[page]?.lines ?? [];
    const index = lines.indexOf(line);
    const outermost = candidate.edge === 'top' ? index <= 1 : index >= lines.length - 2;
    if (outermost && isPageNumber(line.text)) furniture.add(line);
    const repeats = candidates.some(
      (other) =>
        other.page !== page &&
        other.edge === candidate.edge &&
        other.key === candidate.key &&
        Math.abs(other.line.y - line.y) <= Math.max(6, line.size),
    );
    if (repeats) furniture.add(line);
  }
  for (const page of pages) page.lines = page.lines.filter((line) => !furniture.has(line));
}

/** The value below which a given share of sorted numbers lie. */
function percentile(sorted: number[], share: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * share))] ?? null;
}

/** Measures the usual line spacing and the text block's right edge across the document. */
function measure(pages: PageLines[]): Measures {
  const ratios: number[] = [];
  const rights: number[] = [];
  for (const { lines } of pages) {
    for (const [i, line] of lines.entries()) {
      if (line.text.length >= 30) rights.push(line.right);
      const above = lines[i - 1];
      if (!above) continue;
      const size = Math.max(line.size, above.size);
      const ratio = (above.y - line.y) / size;
      if (ratio > 0.5 && ratio < 4) ratios.push(ratio);
    }
  }
  ratios.sort((p, q) => p - q);
  rights.sort((p, q) => p - q);
  return {
    lineSpacing: Math.min(1.6, percentile(ratios, 0.2) ?? 1.2),
    rightEdge: percentile(rights, 0.95) ?? Number.POSITIVE_INFINITY,
  };
}

/** Room left at the end of the line above once the next line's first word is put on it. */
function slack(above: TextLine, line: TextLine, measures: Measures): number {
  return measures.rightEdge - (above.right + line.size * 0.28 + line.firstWordWidth);
}

/** True when the line above was ended early: the next line's first word would have fitted. */
function endedEarly(above: TextLine, line: TextLine, measures: Measures): boolean {
  return slack(above, line, measures) > line.size;
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
  const size = Math.max(line.size, above.size);
  if (above.y - line.y > size * measures.lineSpacing * 1.2) return true;
  const indent = line.left - above.left;
  if (above === first) {
    if (first.bullet) {
      // A list item's second line sits at its hanging indent or back under the bullet.
      const hanging = Math.abs(line.left - first.textLeft) < size * 0.6;
      const underBullet = Math.abs(indent) < size * 0.6;
      if (!hanging && !underBullet) return true;
    } else if (indent > size * 0.8) {
      // Only an indent: an outdent after a plain paragraph's first line ends a first-line indent.
      return true;
    }
  } else if (Math.abs(indent) > size * 0.8) return true;
  return TERMINAL_RE.test(above.text) && endedEarly(above, line, measures);
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
  const size = Math.max(line.size, last.size);
  const room = slack(last, line, measures);
  if (room > size) return 'ends';
  const near = (x: number): boolean => Math.abs(line.left - x) < size * 0.6;
  const aligned =
    last === first
      ? near(first.left) || (first.bullet && near(first.textLeft)) || line.left < first.left
      : near(last.left);
  if (!aligned) return 'ends';
  if (Math.abs(line.size - last.size) > 0.5 || TERMINAL_RE.test(last.text)) return 'unsure';
  return room < size * 0.5 ? 'continues' : 'unsure';
}
