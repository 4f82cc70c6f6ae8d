import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { buildCouncilMatcher } from '@/core/pipeline/match-council';
import { extensionOf } from '@/core/read/registry';
import { type FileResult, parseFile } from './parse-file';
import type { InputFile } from './read-inputs';
import { bundleParseWorker } from './worker-bundle';

/**
 * What a file costs to read, parse and tag, in text letters (2-3 ms each on this project's
 * machine): measured per format on the committed fixtures, a PDF through pdf.js or a .docx
 * through mammoth some 8 times as much.
 */
const WORK_BY_EXTENSION: Readonly<Record<string, number>> = {
  '.pdf': 8,
  '.docx': 8,
  '.docm': 8,
  '.dotx': 8,
  '.html': 2,
  '.htm': 2,
  '.xhtml': 2,
  '.odt': 1.5,
  '.fodt': 1.5,
  '.rtf': 1.5,
};

/** A file's cost in text letters ({@link WORK_BY_EXTENSION}; 1 for the rest). */
export function workOf(file: InputFile): number {
  return WORK_BY_EXTENSION[extensionOf(file.name)] ?? 1;
}

/**
 * Work (in text letters) that pays for a worker thread: one takes some 0.3-0.5 s of CPU to start
 * (its module, the lemmatiser's word lists, the taxonomy) and runs slowly for its first letters
 * while the JIT warms up, on a core that the main thread does not use.
 */
const WORK_PER_WORKER = 400;
/** More workers than this would outrun the main thread, which stages every result. */
const MAX_WORKERS = 4;
/** Files sent ahead to each worker, so that it never waits for a busy main thread. */
const IN_FLIGHT = 4;

/**
 * Worker threads for files whose work (in text letters, {@link workOf}) adds up to `work`: none
 * on one core, otherwise one per spare core (the main thread parses as well), at most one per
 * `WORK_PER_WORKER` and `MAX_WORKERS` in all. Asked again once the workers' module is ready,
 * with the work the main thread has not taken meanwhile.
 */
export function workerCount(work: number, cores = availableParallelism()): number {
  return Math.max(0, Math.min(cores - 1, MAX_WORKERS, Math.floor(work / WORK_PER_WORKER)));
}

/** Where the pool may write its worker module (a folder removed after the run). */
export interface ParseOptions {
  scratchDir: string;
  /** Worker threads to use beside the main thread, in place of {@link workerCount}'s choice. */
  workers?: number;
}

/**
 * Parses every file, calling `onResult` as each finishes (in no set order): on the main thread
 * and, for big runs, in worker threads too, each taking the next file as it becomes free. Nothing
 * is kept here, so that a caller can stage each result and let it go. If `onResult` throws or a
 * worker fails, no further file is started and the promise rejects once the others are done.
 */
export async function parseFiles(
  files: readonly InputFile[],
  onResult: (index: number, result: FileResult) => void,
  options: ParseOptions,
): Promise<void> {
  let next = 0;
  let failure: unknown = null;
  const fail = (error: unknown) => {
    failure ??= error;
  };
  const take = (): number => (failure === null && next < files.length ? next++ : -1);

  const workers: Worker[] = [];
  const workLeft = () => {
    let work = 0;
    for (let i = next; i < files.length; i += 1) work += workOf(files[i] as InputFile);
    return work;
  };
  const wanted =
    options.workers === undefined
      ? workerCount(workLeft())
      : Math.max(0, Math.min(options.workers, files.length));
  const pooled = wanted > 0;
  const mainLane = async () => {
    const matcher = buildCouncilMatcher();
    try {
      for (let index = take(); index >= 0; index = take()) {
        const file = files[index] as InputFile;
        onResult(index, await parseFile(file, matcher));
        // Let the event loop hand results from workers in (and send them more) between files.
        if (pooled) await new Promise((resolve) => setImmediate(resolve));
      }
    } catch (error) {
      fail(error);
    }
  };

  const workerLanes = async () => {
    if (!pooled) return;
    const url = await workerModule(options.scratchDir);
    // The main thread has read files while the module was being built: fewer may be needed.
    const spare =
      options.workers === undefined
        ? Math.min(wanted, workerCount(workLeft()))
        : Math.min(wanted, files.length - next);
    for (let i = 0; i < spare && failure === null; i += 1) workers.push(new Worker(url));
    await Promise.all(workers.map((worker) => runWorker(worker, files, take, onResult, fail)));
  };

  try {
    await Promise.all([mainLane(), workerLanes().catch(fail)]);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  if (failure !== null) throw failure;
}

/** The worker's module: bundled plain JavaScript, or else the entry that registers tsx. */
async function workerModule(scratchDir: string): Promise<URL> {
  return (
    (await bundleParseWorker(scratchDir)) ?? new URL('./parse-worker-entry.mjs', import.meta.url)
  );
}

/** Feeds one worker files until none are left; resolves when its last result is in. */
function runWorker(
  worker: Worker,
  files: readonly InputFile[],
  take: () => number,
  onResult: (index: number, result: FileResult) => void,
  fail: (error: unknown) => void,
): Promise<void> {
  return new Promise<void>((resolve) => {
    let pending = 0;
    let done = false;
    const finish = (error?: unknown) => {
      if (done) return;
      done = true;
      if (error !== undefined) fail(error);
      resolve();
    };
    const refill = () => {
      while (pending < IN_FLIGHT) {
        const index = take();
        if (index < 0) break;
        pending += 1;
        worker.postMessage({ index, file: files[index] });
      }
      if (pending === 0) finish();
    };
    worker.on('message', (m: { index: number; result?: FileResult; error?: string }) => {
      if (done) return;
      pending -= 1;
      if (m.error !== undefined || !m.result)
        return finish(new Error(`${files[m.index]?.name}: ${m.error ?? 'no result'}`));
      try {
        onResult(m.index, m.result);
      } catch (error) {
        return finish(error);
      }
      refill();
    });
    worker.on('error', (error) => finish(error));
    worker.on('exit', (code) => finish(new Error(`a parse worker stopped (exit code ${code})`)));
    refill();
  });
}
