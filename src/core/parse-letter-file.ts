import { checkLetter } from './pipeline/check-letter';
import type { CouncilMatcher } from './pipeline/match-council';
import { parseLetter } from './pipeline/parse-letter';
import { LetterRejection } from './pipeline/read-metadata';
import { defaultTaxonomy, type Taxonomy } from './pipeline/taxonomy';
import { toLetterRows, type LetterRows } from './pipeline/to-rows';
import { readDocuments } from './read/registry';
import type { ReadContext } from './read/types';

/**
 * What reading one document gave, by the name it is recorded under (`a.zip/b.docx` for a zip's
 * member): its rows, the text they were parsed from and what looked wrong in it (one line each,
 * as in `parse_warnings`), or the one-line reason it was rejected.
 */
export type LetterFileResult =
  | {
      name: string;
      ok: true;
      rows: LetterRows;
      councilKnown: boolean;
      text: string;
      warnings: string[];
    }
  | { name: string; ok: false; reason: string };

/** What a caller provides to read letters: its own way to read a PDF's text, and the matchers. */
export interface LetterReaders extends ReadContext {
  matcher?: CouncilMatcher;
  taxonomy?: Taxonomy;
}

/** Parses and tags a letter's structured text; a document that is not a letter becomes a reason. */
export function parseLetterText(
  text: string,
  name: string,
  readers: Omit<LetterReaders, 'readPdf'> = {},
): LetterFileResult {
  try {
    const letter = parseLetter(text, name, readers.matcher);
    const warnings = checkLetter(letter);
    return {
      name,
      ok: true,
      rows: toLetterRows(letter, readers.taxonomy ?? defaultTaxonomy, warnings),
      councilKnown: letter.metadata.council !== null,
      text,
      warnings,
    };
  } catch (error) {
    if (error instanceof LetterRejection) return { name, ok: false, reason: error.message };
    throw error;
  }
}

/**
 * Reads one file as the ingest CLI and the page both do: its format's reader (src/core/read/)
 * gives structured text, which is parsed and tagged; a zip gives one result per member. Only a
 * bug throws; a document that cannot be read as a letter gives its reason.
 */
export async function parseLetterFile(
  name: string,
  bytes: Uint8Array,
  readers: LetterReaders,
): Promise<LetterFileResult[]> {
  const documents = await readDocuments(name, bytes, readers);
  return documents.map((document) =>
    document.ok
      ? parseLetterText(document.text, document.name, readers)
      : { name: document.name, ok: false, reason: document.reason },
  );
}
