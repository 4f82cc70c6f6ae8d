import { decodeText, NotTextError } from './decode-text';
import type { CouncilMatcher } from './pipeline/match-council';
import { parseLetter } from './pipeline/parse-letter';
import { LetterRejection } from './pipeline/read-metadata';
import { defaultTaxonomy, type Taxonomy } from './pipeline/taxonomy';
import { toLetterRows, type LetterRows } from './pipeline/to-rows';
import { extensionOf, unsupportedTypeReason } from './letter-file-types';
import { UnreadablePdfError } from './pdf-text';

/**
 * What reading one file gave: its rows and the text they were parsed from, or the one-line
 * reason it was rejected.
 */
export type LetterFileResult =
  | { ok: true; rows: LetterRows; councilKnown: boolean; text: string }
  | { ok: false; reason: string };

/** What a caller provides to read letters: its own way to read a PDF's text, and the matchers. */
export interface LetterReaders {
  /** A PDF's text layer laid out as text (pdf.js from the caller's build, then `layoutPdfText`). */
  readPdf: (bytes: Uint8Array) => Promise<string>;
  matcher?: CouncilMatcher;
  taxonomy?: Taxonomy;
}

/** Parses and tags a letter's text; a document that is not a letter becomes a reason. */
export function parseLetterText(
  text: string,
  name: string,
  readers: Omit<LetterReaders, 'readPdf'> = {},
): LetterFileResult {
  try {
    const letter = parseLetter(text, name, readers.matcher);
    return {
      ok: true,
      rows: toLetterRows(letter, readers.taxonomy ?? defaultTaxonomy),
      councilKnown: letter.metadata.council !== null,
      text,
    };
  } catch (error) {
    if (error instanceof LetterRejection) return { ok: false, reason: error.message };
    throw error;
  }
}

/**
 * Reads one letter file as the ingest CLI and the page both do: a PDF through its text layer,
 * other files decoded as text, then parsed and tagged. Only a bug throws; a file that cannot be
 * read as a letter gives its reason.
 */
export async function parseLetterFile(
  name: string,
  bytes: Uint8Array,
  readers: LetterReaders,
): Promise<LetterFileResult> {
  const unsupported = unsupportedTypeReason(name);
  if (unsupported) return { ok: false, reason: unsupported };
  let text: string;
  try {
    text = extensionOf(name) === '.pdf' ? await readers.readPdf(bytes) : decodeText(bytes);
  } catch (error) {
    if (error instanceof NotTextError || error instanceof UnreadablePdfError)
      return { ok: false, reason: error.message };
    throw error;
  }
  return parseLetterText(text, name, readers);
}
