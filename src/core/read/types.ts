/**
 * What every format reader shares: the structured text a reader gives, the context it runs in
 * (Node or the page's worker) and the one error a file that cannot be read raises.
 *
 * Structured text is what the letter pipeline reads: one line per heading, a blank line between
 * paragraphs, list items opened by "• ", a form feed where a page turns.
 */

/** Why a file's bytes cannot be read as a document: the message is the reason shown by name. */
export class UnreadableFileError extends Error {
  override name = 'UnreadableFileError';
}

/** What a reader may need from the environment it runs in. */
export interface ReadContext {
  /**
   * A PDF's text layer laid out as structured text: pdf.js from the caller's build (legacy in
   * Node, the browser build with its worker in a page) and then `layoutPdfText`.
   */
  readPdf: (bytes: Uint8Array) => Promise<string>;
}

/** A format's reader: a file's bytes to structured text; a file it cannot read throws UnreadableFileError. */
export type ReadFormat = (bytes: Uint8Array, context: ReadContext) => Promise<string> | string;
