import {
  parseLetterFile,
  parseLetterText,
  type LetterFileResult,
  type LetterReaders,
} from '@/core/parse-letter-file';

/**
 * A letter to read: a file as picked (read in the worker, so the page's thread never copies its
 * bytes), its bytes, or the text of a letter remembered earlier.
 */
export type LetterSource =
  | { name: string; file: Blob }
  | { name: string; bytes: Uint8Array }
  | { name: string; text: string };

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
    const results = await readSource(source, readers);
    all.push(results);
    onResult(index, results);
  }
  return all;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

async function readSource(
  source: LetterSource,
  readers: LetterReaders,
): Promise<LetterFileResult[]> {
  let bytes: Uint8Array;
  if ('text' in source) bytes = new Uint8Array(0);
  else if ('bytes' in source) bytes = source.bytes;
  else {
    try {
      bytes = new Uint8Array(await source.file.arrayBuffer());
    } catch (error) {
      // Moved or deleted since it was picked, or a folder.
      return [{ name: source.name, ok: false, reason: `could not be opened: ${message(error)}` }];
    }
  }
  try {
    return 'text' in source
      ? [parseLetterText(source.text, source.name, readers)]
      : await parseLetterFile(source.name, bytes, readers);
  } catch (error) {
    return [{ name: source.name, ok: false, reason: `could not be read: ${message(error)}` }];
  }
}
