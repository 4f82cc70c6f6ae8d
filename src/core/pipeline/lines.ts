import { collapseWhitespace, foldForMatching } from './normalise-text';

/** One line of a normalised document with its markup and list marker peeled off. */
export interface Line {
  /** Index of the line in the document. */
  index: number;
  /** Offset of the line's first character in the source text. */
  start: number;
  /** The line as written. */
  raw: string;
  /** Offset in the source text where the content starts (after indentation, markup and marker). */
  contentStart: number;
  /** Offset in the source text where the content ends (before trailing markup). */
  contentEnd: number;
  /** The content without markup, whitespace collapsed. */
  text: string;
  /** True when the line opens with a bullet glyph or a list tag. */
  bullet: boolean;
  /** A paragraph number such as `2.4` when the line opens with one. */
  number: string | null;
  /** True for blank lines and page furniture (page numbers, running headers). */
  blank: boolean;
  /** True for a page break or page furniture: evidence that the page turned here. */
  pageBreak: boolean;
  /** A running title at a page's head or foot (`isRunningTitle`), blanked as furniture. */
  runningTitle?: boolean;
}

// Glyphs that open a list item in Word exports, PDF-to-text output and markdown. U+F0B7 is the
// Symbol-font bullet that Word's PDF export leaves in the private use area.
const BULLET_GLYPHS = '•▪·●◦■□▫◾◼➢➤►▶✓✔→‣⁃∙○\uF0B7\uF0A7\uF076\uF0D8\uF0FC*+\\-–—';
const BULLET_RE = new RegExp(`^[${BULLET_GLYPHS}]+(?=\\s|$)\\s*`);
// A lower-case "o" is Word's second-level bullet when it stands alone before a capital, or on an
// indented line before any word (a sub-list: "   o  core assessments are completed …").
const O_BULLET_RE = /^o\s+(?=[A-Z"'‘“(])/;
const INDENTED_O_BULLET_RE = /^o\s+(?=[a-z])/;
const NUMBER_RE = /^\(?(\d{1,2}(?:\.\d{1,2}){0,3})[.)]?\s+(?=\S)/;
const LETTER_ITEM_RE = /^\(?([a-hj-z]|[ivxl]{1,7})\)\s+/i;
// A lower-case letter or roman numeral with a full stop ("i. ", "iv. ", "b. "), as Word numbers a
// list's items; no sentence opens so ("i.e." has no space after its first stop).
const DOTTED_ITEM_RE = /^([a-h]|i{1,3}|iv|vi{0,3}|ix|xi{0,3}|xiv|xvi{0,3}|xix|xx)\.\s+(?=\S)/;
// A markdown table's cell walls, as PDF-to-markdown converters draw a table's rows.
const MD_TABLE_RE = /^\|\s*/;
const TRAILING_CELL_WALL_RE = /\s*\|\s*$/;
const HTML_TAG_RE = /^<\/?[a-zA-Z][^>]*>\s*/;
const MD_HEADING_RE = /^#{1,6}\s*/;
const MD_QUOTE_RE = /^>\s+/;
const EMPHASIS_RE = /^(\*\*|__)\s*/;
const TRAILING_MARKUP_RE = /(\s|\*\*|__|<\/?[a-zA-Z][^>]*>|#+|\|)+$/;

/** Strips markup that can sit inside a line: HTML tags, emphasis markers, markdown escapes. */
export function stripInlineMarkup(text: string): string {
  // Each replacement below needs one of these characters to match anything.
  if (!/[<&*_\\]/.test(text)) return text;
  return text
    .replace(/<\/?[a-zA-Z][^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&#39;|&rsquo;|&apos;/g, "'")
    .replace(/\*\*|__/g, '')
    .replace(/(^|\s)[*_](?=\S)|(?<=\S)[*_](?=\s|$|[.,;:])/g, '$1')
    .replace(/\\([\\`*_{}[\]()#+\-.!])/g, '$1');
}

/** Peels indentation, markup and a list marker off the front of a line. */
function peelLine(raw: string): { offset: number; bullet: boolean; number: string | null } {
  let offset = 0;
  let bullet = false;
  let number: string | null = null;
  for (let guard = 0; guard < 12; guard += 1) {
    const rest = raw.slice(offset);
    const space = /^\s+/.exec(rest);
    if (space) {
      offset += space[0].length;
      continue;
    }
    const tag = HTML_TAG_RE.exec(rest);
    if (tag) {
      if (/^<li\b/i.test(tag[0])) bullet = true;
      offset += tag[0].length;
      continue;
    }
    const peeled =
      MD_HEADING_RE.exec(rest) ??
      MD_QUOTE_RE.exec(rest) ??
      EMPHASIS_RE.exec(rest) ??
      MD_TABLE_RE.exec(rest) ??
      null;
    if (peeled && peeled[0].length > 0) {
      offset += peeled[0].length;
      continue;
    }
    if (!bullet && number === null) {
      const glyph =
        BULLET_RE.exec(rest) ??
        O_BULLET_RE.exec(rest) ??
        (offset > 0 ? INDENTED_O_BULLET_RE.exec(rest) : null);
      if (glyph) {
        bullet = true;
        offset += glyph[0].length;
        continue;
      }
      const num = NUMBER_RE.exec(rest);
      // "29 July 2009" opens with a number too: a paragraph number needs a dot or bracket.
      if (num && /[.)]/.test(num[0]) && !/^\d{1,2}\s+[A-Z][a-z]+\s+\d{4}/.test(rest)) {
        number = num[1] ?? null;
        offset += num[0].length;
        continue;
      }
      const letter = LETTER_ITEM_RE.exec(rest) ?? DOTTED_ITEM_RE.exec(rest);
      if (letter) {
        bullet = true;
        offset += letter[0].length;
        continue;
      }
    }
    break;
  }
  return { offset, bullet, number };
}

const PAGE_NUMBER_RE = /^page\s+\d+(\s*(of|\/)\s*\d+)?$/i;
const PAGE_FURNITURE_RES = [
  PAGE_NUMBER_RE,
  /^-?\s*\d{1,3}\s*-?$/,
  /^\d{1,3}\s*(of|\/)\s*\d{1,3}$/i,
  /^\[?page break\]?$/i,
  /^-{3,}$|^_{3,}$|^\*{3,}$|^={3,}$/,
  // A markdown table's rule under its head row ("| --- | :---: |").
  /^(?=.*-{3})(?=.*\|)[|:\-\s]+$/,
  // Letterhead and footer remnants that a PDF export leaves on every page.
  /^(www\.\S+|https?:\/\/\S+|\S+@\S+\.\S+)$/i,
  // A web page's own links, kept by an archived copy of the letter.
  /^(\^\s*)?(back to (the )?top( of (the )?page)?|return to (the )?top|top of (the )?page|skip to (the )?(main )?content|print (this )?page|share this page|was this page (useful|helpful)\??( tell us\.?)?)$/i,
  /^(protect|protect - inspection|restricted|official|official-sensitive|unclassified|in confidence|confidential)$/i,
  /^(t|f|tel|fax|direct t|direct f|direct tel)\.?:?\s*[\d\s-]{6,}$/i,
];

/**
 * A running footer or header as printed: a short title and the page number, set apart by a wide
 * gap, a tab or a bar ("Stockport MBC unannounced inspection 2011      Page 2 of 2"). Matched on
 * the line as it stands, before its spaces are collapsed.
 */
const RUNNING_FOOTER_RES = [
  /^[^.!?]{1,100}?(\s{3,}|\t|\s[|\u2013\u2014]\s)\s*page\s+\d+(\s*(of|\/)\s*\d+)?$/i,
  /^page\s+\d+(\s*(of|\/)\s*\d+)?(\s{3,}|\t|\s[|\u2013\u2014]\s)\s*[^.!?]{1,100}$/i,
];

/**
 * The inspection's own name, as a running title or a letter's heading gives it ("Unannounced
 * inspection of contact, referral and assessment arrangements"); matched on folded text. Without
 * "arrangements", so that the first line of a title that wrapped before that word is matched too.
 */
export const INSPECTION_NAME_RE = /unannounced inspection|contact,? referral and assessment/i;

/**
 * True for a running title printed at a page's head or foot straight after a finished sentence or
 * a page number ("Stockport MBC unannounced inspection 2011"): short, no sentence of its own,
 * naming the inspection, shaped as a title. The letter's own title follows "Dear …", an address
 * or an empty line, not a finished sentence.
 */
function isRunningTitle(text: string, previous: Line | undefined): boolean {
  if (previous === undefined) return false;
  if (!previous.pageBreak && !/[.!?]["')\u2019\u201d]?$/.test(previous.text)) return false;
  if (/[.!?:;,]$/.test(text) || text.split(' ').length > 12) return false;
  const folded = foldForMatching(text);
  if (!INSPECTION_NAME_RE.test(folded)) return false;
  // Shaped as a title, not as a wrapped line of a sentence about those arrangements ("Contact,
  // referral and assessment arrangements are effective, and thresholds are"): a year, the
  // council's name before a colon, the inspection's own name first, or every word capitalised.
  return (
    /\b(19|20)\d\d\b/.test(folded) ||
    /^[^:]{2,60}:\s*(annual )?unannounced inspection/i.test(folded) ||
    /^(annual )?unannounced inspection\b/i.test(folded) ||
    folded.split(' ').every((w) => /^([A-Z0-9&(]|of$|and$|the$|in$|for$|within$|on$)/.test(w))
  );
}

/** The second line of a running title that wrapped. */
const RUNNING_TITLE_END_RE =
  /^(arrangements|(within )?[\w' ]{0,60}children'?s services|(within )?[\w' ]{0,40}(council|borough|county)[\w' ]{0,40})$/i;

/** True for a line that is page furniture whatever else the document holds. */
export function isPageFurniture(text: string): boolean {
  return PAGE_FURNITURE_RES.some((re) => re.test(text));
}

/** Splits normalised text into lines, peeling markup and list markers and blanking furniture. */
export function splitLines(source: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  const rawLines = source.split('\n');
  rawLines.forEach((raw, index) => {
    const peel = peelLine(raw);
    const trailing = TRAILING_MARKUP_RE.exec(raw.slice(peel.offset));
    const contentLength = raw.length - peel.offset - (trailing ? trailing[0].length : 0);
    const text = collapseWhitespace(
      stripInlineMarkup(raw.slice(peel.offset)).replace(TRAILING_CELL_WALL_RE, ''),
    );
    lines.push({
      index,
      start,
      raw,
      contentStart: start + peel.offset,
      contentEnd: start + peel.offset + Math.max(0, contentLength),
      text,
      bullet: peel.bullet && text.length > 0,
      number: peel.number,
      blank: false,
      pageBreak:
        raw.includes('\f') ||
        isPageFurniture(collapseWhitespace(raw)) ||
        (!peel.bullet && RUNNING_FOOTER_RES.some((re) => re.test(raw.trim()))) ||
        (!peel.bullet && text.length > 0 && isPageFurniture(text)) ||
        // A page number that a list's mark ran into ("• Page 3 of 4") is no list item.
        (peel.bullet && PAGE_NUMBER_RE.test(text)),
    });
    const line = lines[lines.length - 1];
    if (line && !line.pageBreak && !peel.bullet && isRunningTitle(text, lines[lines.length - 2]))
      line.pageBreak = line.runningTitle = true;
    else if (line && !line.pageBreak && lines[lines.length - 2]?.runningTitle === true)
      // The rest of a running title that wrapped onto a second line ("… referral and assessment"
      // then "arrangements").
      line.pageBreak = RUNNING_TITLE_END_RE.test(text);
    if (line) line.blank = line.pageBreak || text.length === 0;
    start += raw.length + 1;
  });
  const spaced = withoutDoubleSpacing(lines);
  blankRepeatedFurniture(spaced);
  return spaced;
}

/**
 * Drops the empty line after every line of a double-spaced document (some PDF-to-text tools
 * write one): there a single empty line is no paragraph break, two or more are. A document is
 * double-spaced when its lines are almost never next to each other, many single gaps fall inside
 * a sentence (no end mark before, a lower-case word after), and wider gaps exist to mark the
 * paragraphs; a letter with one paragraph per line has no gaps inside sentences and is left alone.
 */
function withoutDoubleSpacing(lines: Line[]): Line[] {
  const empty = (line: Line | undefined): boolean =>
    line !== undefined && line.raw.trim() === '' && !line.raw.includes('\f');
  let adjacent = 0;
  let single = 0;
  let insideSentence = 0;
  let wider = 0;
  for (let i = 0; i + 1 < lines.length; i += 1) {
    const line = lines[i] as Line;
    const next = lines[i + 1] as Line;
    if (empty(line)) {
      if (!empty(lines[i - 1]) && empty(next)) wider += 1;
      continue;
    }
    if (!empty(next)) {
      adjacent += 1;
      continue;
    }
    const after = lines[i + 2];
    if (after === undefined || empty(after)) continue;
    single += 1;
    if (!/[.!?:;]$/.test(line.text) && /^[a-z]/.test(after.text)) insideSentence += 1;
  }
  const doubled =
    single >= 10 &&
    adjacent <= single * 0.1 &&
    wider >= 1 &&
    insideSentence >= Math.max(3, single * 0.15);
  if (!doubled) return lines;
  return lines.filter((line, i) => !(empty(line) && !empty(lines[i - 1]) && !empty(lines[i + 1])));
}

/** Folds a line's text for comparing repeated lines (running headers and footers). */
function furnitureKey(text: string): string {
  return foldForMatching(text)
    .toLowerCase()
    .replace(/\bpage\s+\d+(\s*(of|\/)\s*\d+)?\b/g, '')
    .replace(/\d+\s*(of|\/)\s*\d+$/, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/**
 * Blanks lines that repeat verbatim through the document, such as running headers that repeat
 * the title on every page; headings are kept because a section heading may legitimately recur.
 */
function blankRepeatedFurniture(lines: Line[]): void {
  const counts = new Map<string, number>();
  // Only a line standing alone between blank lines can be a header or footer; a repeated line
  // inside a paragraph is hard-wrapped text ("previous inspection." ends many findings).
  const isolated = lines.map(
    (line, i) => !line.blank && (lines[i - 1]?.blank ?? true) && (lines[i + 1]?.blank ?? true),
  );
  for (const [i, line] of lines.entries()) {
    if (!isolated[i] || line.bullet) continue;
    const key = furnitureKey(line.text);
    if (key.length === 0 || line.text.length > 200) continue;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  for (const [i, line] of lines.entries()) {
    if (!isolated[i] || line.bullet || line.text.length > 200) continue;
    const key = furnitureKey(line.text);
    if (key.length === 0) {
      line.blank = true;
      line.pageBreak = true;
      continue;
    }
    if ((counts.get(key) ?? 0) >= 2 && !isKeptRepeat(line.text)) {
      line.blank = true;
      line.pageBreak = true;
    }
  }
}

/** Repeated lines that carry structure and must survive furniture removal. */
function isKeptRepeat(text: string): boolean {
  const folded = foldForMatching(text).toLowerCase();
  return /strength|satisfactor|requirement|development|priority|yours|copy|dear\b/.test(folded);
}
