import type { CouncilMatcher } from '@/core/pipeline/match-council';
import { parseLetterFile } from '@/core/parse-letter-file';
import type { LetterRows } from '@/core/pipeline/to-rows';
import { UnreadableFileError } from '@/core/read/types';
import { describeFsError, type InputFile, readInput } from './read-inputs';
import { pdfToText } from './read-pdf';

/**
 * What reading one input gave: its rows and what looked wrong in it (one line per problem, as in
 * `parse_warnings`), or the one-line reason it was rejected. Sent from worker threads as it is.
 */
export type FileResult =
  | { ok: true; rows: LetterRows; councilKnown: boolean; warnings: string[] }
  | { ok: false; reason: string };

/**
 * Reads, parses and tags one input document with the stage code the page also runs
 * (src/core/parse-letter-file.ts); a document that is not a letter becomes a reason. Never
 * throws: a file that breaks a reader (a bug there, found by the fuzz test if it can be) is
 * rejected by name like any other, so that one bad file never stops a run.
 */
export async function parseFile(file: InputFile, matcher: CouncilMatcher): Promise<FileResult> {
  // Read synchronously: a letter is a few kilobytes, and the promise API's four thread-pool
  // round trips per file cost ten times the read itself.
  let bytes: Uint8Array;
  try {
    bytes = readInput(file);
  } catch (error) {
    if (error instanceof UnreadableFileError) return { ok: false, reason: error.message };
    return { ok: false, reason: `could not be read: ${describeFsError(error)}` };
  }
  try {
    // Zips were opened when the inputs were listed: each input here is one document.
    const [result] = await parseLetterFile(file.name, bytes, { readPdf: pdfToText, matcher });
    if (!result) return { ok: false, reason: 'no document in the file' };
    // The text read is kept only by the page (to remember letters); a big run holds no second copy.
    return result.ok
      ? {
          ok: true,
          rows: result.rows,
          councilKnown: result.councilKnown,
          warnings: result.warnings,
        }
      : result;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, reason: `could not be read (the reader failed: ${oneLine(message)})` };
  }
}

/** A message on one line, cut to a readable length. */
function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}
