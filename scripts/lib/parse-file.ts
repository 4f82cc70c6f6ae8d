import type { CouncilMatcher } from '@/core/pipeline/match-council';
import { parseLetter } from '@/core/pipeline/parse-letter';
import { LetterRejection } from '@/core/pipeline/read-metadata';
import { defaultTaxonomy } from '@/core/pipeline/taxonomy';
import { type LetterRows, toLetterRows } from '@/core/pipeline/to-rows';
import { type InputFile, NotTextError, readLetterFile } from './read-inputs';
import { UnreadablePdfError } from './read-pdf';

/** What reading one input gave: its rows, or the one-line reason it was rejected. */
export type FileResult =
  { ok: true; rows: LetterRows; councilKnown: boolean } | { ok: false; reason: string };

/** Reads, parses and tags one input file; a document that is not a letter becomes a reason. */
export async function parseFile(file: InputFile, matcher: CouncilMatcher): Promise<FileResult> {
  try {
    const letter = parseLetter(await readLetterFile(file), file.name, matcher);
    return {
      ok: true,
      rows: toLetterRows(letter, defaultTaxonomy),
      councilKnown: letter.metadata.council !== null,
    };
  } catch (error) {
    if (
      error instanceof LetterRejection ||
      error instanceof NotTextError ||
      error instanceof UnreadablePdfError
    )
      return { ok: false, reason: error.message };
    throw error;
  }
}
