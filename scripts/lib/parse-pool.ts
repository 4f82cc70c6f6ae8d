import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { buildCouncilMatcher } from '@/core/pipeline/match-council';
import { type FileResult, parseFile } from './parse-file';
import type { InputFile } from './read-inputs';

/** Below this many files a pool costs more to start than it saves. */
const POOL_THRESHOLD = 40;

/**
 * Parses every file, in worker threads when there are many and more than one core, calling
 * `onResult` as each finishes; results come back indexed like `files`.
 */
export async function parseFiles(
  files: InputFile[],
  onResult: (index: number, result: FileResult) => void,
): Promise<FileResult[]> {
  const results: FileResult[] = new Array(files.length);
  const threads = Math.min(availableParallelism(), 4);
  if (files.length < POOL_THRESHOLD || threads < 2) {
    const matcher = buildCouncilMatcher();
    for (const [index, file] of files.entries()) {
      results[index] = await parseFile(file, matcher);
      onResult(index, results[index]);
    }
    return results;
  }
  let next = 0;
  let failure: Error | null = null;
  // The entry registers tsx in the worker before loading the TypeScript worker module.
  const workers = Array.from(
    { length: threads },
    () => new Worker(new URL('./parse-worker-entry.mjs', import.meta.url)),
  );
  try {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const send = () => {
              if (failure || next >= files.length) return resolve();
              const index = next;
              next += 1;
              worker.postMessage({ index, file: files[index] });
            };
            worker.on('message', (m: { index: number; result?: FileResult; error?: string }) => {
              if (m.error !== undefined || !m.result) {
                failure = new Error(`${files[m.index]?.name}: ${m.error ?? 'no result'}`);
                return reject(failure);
              }
              results[m.index] = m.result;
              onResult(m.index, m.result);
              send();
            });
            worker.on('error', reject);
            send();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}
