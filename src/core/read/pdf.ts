import type { ReadFormat } from './types';

/**
 * A PDF through its text layer. pdf.js differs between Node (legacy build) and the page (browser
 * build in its own worker), so the caller's context reads it; both then run `layoutPdfText`.
 */
export const readPdfFile: ReadFormat = (bytes, context) => context.readPdf(bytes);
