import {
  parseLetterFile,
  parseLetterText,
  type LetterFileResult,
  type LetterReaders,
} from '@/core/parse-letter-file';

/** A letter to read: a file's bytes as picked, or the text of a letter remembered earlier. */
export type LetterSource = { name: string; bytes: Uint8Array } | { name: string; text: string };

/**
 * The add-letters worker's work without the worker: reads each source in turn with the stage
 * code the ingest CLI runs, reporting each source's documents (several for a zip) as they come;
 * a failure of one file (even a bug) becomes that file's reason and the others still go through.
 */
export async function readLetterSources(
  sources: readonly LetterSource[],
  readers: LetterReaders,
  onResult: (index: number, results: LetterFileResult[]) => void = () => undefined,
): Promise<LetterFileResult[][]> {
  const all: LetterFileResult[][] = [];
  for (const [index, source] of sources.entries()) {
    let results: LetterFileResult[];
    try {
      results =
        'text' in source
          ? [parseLetterText(source.text, source.name, readers)]
          : await parseLetterFile(source.name, source.bytes, readers);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      results = [{ name: source.name, ok: false, reason: `could not be read: ${message}` }];
    }
    all.push(results);
    onResult(index, results);
  }
  return all;
}
