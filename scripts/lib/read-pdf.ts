import { pdfToText as layoutPdf } from '@/core/read/pdf-text';

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');

let pdfjs: Promise<PdfJs> | null = null;

/**
 * The thread's own built-ins that pdf.js's legacy build (the one that runs on Node 20) replaces
 * with core-js polyfills for the whole thread, as it loads and again as its worker code loads on
 * the first document: taken before pdf.js is ever loaded, and put back after it has run.
 * pdf.js needs nothing that the polyfills add on Node 20, and the polyfilled `push` alone made
 * every push of the rest of the run slower (tagging a finding by a fifth).
 */
const BUILT_INS = {
  push: Object.getOwnPropertyDescriptor(Array.prototype, 'push'),
  parse: JSON.parse,
  stringify: JSON.stringify,
};

function restoreBuiltIns(): void {
  if (BUILT_INS.push && Array.prototype.push !== BUILT_INS.push.value)
    Object.defineProperty(Array.prototype, 'push', BUILT_INS.push);
  JSON.parse = BUILT_INS.parse;
  JSON.stringify = BUILT_INS.stringify;
}

/** Loads pdf.js once, on the first PDF, so that text-only runs never pay for it. */
function loadPdfJs(): Promise<PdfJs> {
  pdfjs ??= import('pdfjs-dist/legacy/build/pdf.mjs').finally(restoreBuiltIns);
  return pdfjs;
}

/**
 * Reads a PDF's text layer and lays it out as a letter's text (src/core/pdf-text.ts), with the
 * legacy build that runs on Node; pdf.js runs its worker on the main thread by itself there.
 */
export async function pdfToText(bytes: Uint8Array): Promise<string> {
  const { getDocument } = await loadPdfJs();
  try {
    return await layoutPdf(bytes, getDocument);
  } finally {
    restoreBuiltIns();
  }
}
