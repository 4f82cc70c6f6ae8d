import type {
  DocumentInitParameters,
  PDFPageProxy,
  TextItem,
} from 'pdfjs-dist/types/src/display/api';
import type { getDocument as pdfGetDocument } from 'pdfjs-dist';
import { layoutPdfText, type PdfMark, type PdfPageText } from './pdf-layout';

import { UnreadableFileError } from './types';

/** Why a PDF cannot be read as a letter: a scan, a corrupt file or a locked one. */
export class UnreadablePdfError extends UnreadableFileError {
  override name = 'UnreadablePdfError';
}

/** pdf.js's `getDocument`, from whichever build the caller runs (legacy in Node, browser in a page). */
export type GetPdfDocument = typeof pdfGetDocument;

/**
 * Reads a PDF's text layer with pdf.js and lays it out as a letter's text, pages joined by form
 * feeds; `extra` adds the caller's own pdf.js settings (its worker in a browser).
 */
export async function pdfToText(
  bytes: Uint8Array,
  getDocument: GetPdfDocument,
  extra: Partial<DocumentInitParameters> = {},
): Promise<string> {
  // The copy is because pdf.js takes ownership of the buffer it is given. No fonts or character
  // maps are fetched and no code is compiled: the text layer needs neither, and nothing may leave
  // the machine.
  const task = getDocument({
    data: new Uint8Array(bytes),
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    useWorkerFetch: false,
    stopAtErrors: false,
    verbosity: 0,
    ...extra,
  });
  try {
    const doc = await task.promise;
    const pages: PdfPageText[] = [];
    for (let n = 1; n <= doc.numPages; n += 1) {
      const page = await doc.getPage(n);
      const content = await page.getTextContent();
      const items = content.items.filter((item): item is TextItem => 'str' in item);
      // Drawn shapes are read only where there is text and no list glyph: a page whose lists
      // are typed (Word's Symbol bullets) has no drawn ones to find, and reading the shapes is
      // the dearer half of reading a page.
      const text = items.some((item) => item.str.trim().length > 0);
      const glyphs = items.some((item) => LIST_GLYPH_RE.test(item.str));
      const marks = text && !glyphs ? await readMarks(page) : [];
      pages.push({ view: page.view, items, marks });
      page.cleanup();
    }
    if (!pages.some((page) => page.items.some((item) => item.str.trim().length > 0)))
      throw new UnreadablePdfError('no text layer (a scanned PDF?)');
    return layoutPdfText(pages);
  } catch (error) {
    throw error instanceof UnreadablePdfError ? error : describeFailure(error);
  } finally {
    await task.destroy();
  }
}

/** A run that is a list glyph alone (the text follows in a run of its own, as writers set it). */
const LIST_GLYPH_RE = /^\s*[•▪●◦■\uF0A7\uF0B7\uF0D8\uF076\uF0FC]\s*$/;

// pdf.js operator codes (`OPS` in pdf.js, the same in every build since 2.x) that the mark reader
// follows: the graphics state stack, the current transform, forms and painted paths.
const OP_SAVE = 10;
const OP_RESTORE = 11;
const OP_TRANSFORM = 12;
const OP_STROKE = 20;
const OP_CLOSE_EO_FILL_STROKE = 27;
const OP_CONSTRUCT_PATH = 91;
const OP_FORM_BEGIN = 74;
const OP_FORM_END = 75;
// Path drawing codes inside a constructed path (pdf.js `DrawOPS`): how many numbers follow each.
const DRAW_ARGS = [2, 2, 6, 4, 0];
/** Largest side of a shape that can be a list marker, in points; far larger than any bullet. */
const MARK_MAX = 24;
/** At most this many marks per page: a chart's thousands of dots say nothing about lists. */
const MARKS_PER_PAGE = 4000;

type Matrix = [number, number, number, number, number, number];

/** `m` then `n`, as PDF concatenates a transform onto the current one. */
function multiply(n: readonly number[], m: Matrix): Matrix {
  const [a = 1, b = 0, c = 0, d = 1, e = 0, f = 0] = n;
  return [
    a * m[0] + b * m[2],
    a * m[1] + b * m[3],
    c * m[0] + d * m[2],
    c * m[1] + d * m[3],
    e * m[0] + f * m[2] + m[4],
    e * m[1] + f * m[3] + m[5],
  ];
}

/**
 * The page's small painted shapes (filled or stroked paths no larger than a glyph), in page
 * coordinates: the list bullets that browsers and some other writers draw instead of typing a
 * character. Any failure gives no marks rather than no letter.
 */
async function readMarks(page: PDFPageProxy): Promise<PdfMark[]> {
  try {
    const list = await page.getOperatorList();
    return marksFromOperators(list.fnArray, list.argsArray);
  } catch {
    return [];
  }
}

/** Reads painted shapes out of a pdf.js operator list (exported for tests). */
export function marksFromOperators(
  fnArray: readonly number[],
  argsArray: readonly unknown[],
): PdfMark[] {
  const marks: PdfMark[] = [];
  const stack: Matrix[] = [];
  let ctm: Matrix = [1, 0, 0, 1, 0, 0];
  for (const [i, fn] of fnArray.entries()) {
    const args = argsArray[i];
    if (fn === OP_SAVE) stack.push(ctm);
    else if (fn === OP_RESTORE) ctm = stack.pop() ?? ctm;
    else if (fn === OP_TRANSFORM && Array.isArray(args)) ctm = multiply(args as number[], ctm);
    else if (fn === OP_FORM_BEGIN) {
      stack.push(ctm);
      const matrix = Array.isArray(args) ? (args[0] as unknown) : null;
      if (Array.isArray(matrix) || ArrayBuffer.isView(matrix))
        ctm = multiply(Array.from(matrix as ArrayLike<number>), ctm);
    } else if (fn === OP_FORM_END) ctm = stack.pop() ?? ctm;
    else if (fn === OP_CONSTRUCT_PATH && Array.isArray(args)) {
      const paint = args[0];
      if (typeof paint !== 'number' || paint < OP_STROKE || paint > OP_CLOSE_EO_FILL_STROKE)
        continue;
      const data = Array.isArray(args[1]) ? (args[1] as unknown[])[0] : null;
      if (!ArrayBuffer.isView(data)) continue;
      for (const box of subpathBoxes(data as unknown as ArrayLike<number>, ctm)) {
        if (marks.length >= MARKS_PER_PAGE) return marks;
        marks.push({ ...box, filled: paint !== OP_STROKE && paint !== 21 });
      }
    }
  }
  return marks;
}

/** The page-space boxes of a path's subpaths that are small enough to be a marker. */
function subpathBoxes(
  data: ArrayLike<number>,
  ctm: Matrix,
): { x0: number; y0: number; x1: number; y1: number }[] {
  const boxes: { x0: number; y0: number; x1: number; y1: number }[] = [];
  let box: { x0: number; y0: number; x1: number; y1: number } | null = null;
  const flush = (): void => {
    if (!box) return;
    const w = box.x1 - box.x0;
    const h = box.y1 - box.y0;
    if (w > 0 && h > 0 && w <= MARK_MAX && h <= MARK_MAX) boxes.push(box);
    box = null;
  };
  let i = 0;
  while (i < data.length) {
    const code = data[i] ?? -1;
    const count = DRAW_ARGS[code];
    if (count === undefined) return boxes;
    if (code === 0) flush();
    for (let k = 0; k < count; k += 2) {
      const x = data[i + 1 + k] ?? 0;
      const y = data[i + 2 + k] ?? 0;
      const px = ctm[0] * x + ctm[2] * y + ctm[4];
      const py = ctm[1] * x + ctm[3] * y + ctm[5];
      if (!Number.isFinite(px) || !Number.isFinite(py)) continue;
      if (!box) box = { x0: px, y0: py, x1: px, y1: py };
      else {
        box.x0 = Math.min(box.x0, px);
        box.y0 = Math.min(box.y0, py);
        box.x1 = Math.max(box.x1, px);
        box.y1 = Math.max(box.y1, py);
      }
    }
    i += 1 + count;
  }
  flush();
  return boxes;
}
/** Turns a pdf.js failure into the reason a reader can act on. */
function describeFailure(error: unknown): UnreadablePdfError {
  // pdf.js rebuilds its exceptions when they cross from its worker, so they are told apart by
  // name rather than by class.
  const name = error instanceof Error ? error.name : '';
  if (name === 'PasswordException') return new UnreadablePdfError('password-protected PDF');
  const message = error instanceof Error ? error.message : String(error);
  return new UnreadablePdfError(`corrupt PDF: ${message.replace(/\s+/g, ' ').trim()}`);
}
