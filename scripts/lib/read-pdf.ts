import { pdfToText as layoutPdf } from '@/core/read/pdf-text';

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');

let pdfjs: Promise<PdfJs> | null = null;

/** Loads pdf.js once, on the first PDF, so that text-only runs never pay for it. */
function loadPdfJs(): Promise<PdfJs> {
  pdfjs ??= import('pdfjs-dist/legacy/build/pdf.mjs');
  return pdfjs;
}

/**
 * Reads a PDF's text layer and lays it out as a letter's text (src/core/pdf-text.ts), with the
 * legacy build that runs on Node; pdf.js runs its worker on the main thread by itself there.
 */
export async function pdfToText(bytes: Uint8Array): Promise<string> {
  const { getDocument } = await loadPdfJs();
  return layoutPdf(bytes, getDocument);
}
