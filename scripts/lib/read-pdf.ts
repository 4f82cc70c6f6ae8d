import type { TextItem } from 'pdfjs-dist/types/src/display/api';
import { layoutPdfText, type PdfPageText } from '../../src/core/pdf-layout';

/** Why a PDF cannot be read as a letter: a scan, a corrupt file or a locked one. */
export class UnreadablePdfError extends Error {
  override name = 'UnreadablePdfError';
}

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');

let pdfjs: Promise<PdfJs> | null = null;

/** Loads pdf.js once, on the first PDF, so that text-only runs never pay for it. */
function loadPdfJs(): Promise<PdfJs> {
  pdfjs ??= import('pdfjs-dist/legacy/build/pdf.mjs');
  return pdfjs;
}

/** Reads a PDF's text layer and lays it out as a letter's text, pages joined by form feeds. */
export async function pdfToText(bytes: Uint8Array): Promise<string> {
  const { getDocument } = await loadPdfJs();
  // In Node pdf.js runs its worker on the main thread by itself; the copy is because it takes
  // ownership of the buffer it is given. No fonts or character maps are fetched: the text layer
  // needs neither, and nothing may leave the machine.
  const task = getDocument({
    data: new Uint8Array(bytes),
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    useWorkerFetch: false,
    stopAtErrors: false,
    verbosity: 0,
  });
  try {
    const doc = await task.promise;
    const pages: PdfPageText[] = [];
    for (let n = 1; n <= doc.numPages; n += 1) {
      const page = await doc.getPage(n);
      const content = await page.getTextContent();
      pages.push({
        view: page.view,
        items: content.items.filter((item): item is TextItem => 'str' in item),
      });
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

/** Turns a pdf.js failure into the reason a reader can act on. */
function describeFailure(error: unknown): UnreadablePdfError {
  // pdf.js rebuilds its exceptions when they cross from the worker, so they are told apart by
  // name rather than by class.
  const name = error instanceof Error ? error.name : '';
  if (name === 'PasswordException') return new UnreadablePdfError('password-protected PDF');
  const message = error instanceof Error ? error.message : String(error);
  return new UnreadablePdfError(`corrupt PDF: ${message.replace(/\s+/g, ' ').trim()}`);
}
