import type { DocumentInitParameters, TextItem } from 'pdfjs-dist/types/src/display/api';
import type { getDocument as pdfGetDocument } from 'pdfjs-dist';
import { layoutPdfText, type PdfPageText } from './pdf-layout';

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
  // pdf.js rebuilds its exceptions when they cross from its worker, so they are told apart by
  // name rather than by class.
  const name = error instanceof Error ? error.name : '';
  if (name === 'PasswordException') return new UnreadablePdfError('password-protected PDF');
  const message = error instanceof Error ? error.message : String(error);
  return new UnreadablePdfError(`corrupt PDF: ${message.replace(/\s+/g, ' ').trim()}`);
}
