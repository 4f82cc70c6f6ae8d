import { abortError } from './cancelled';
import type { StagedChunk } from './letter-ipc';
import type { ReadResult, WorkerMessage, WorkerRequest } from './add-letters-worker';
import type { LetterSource } from './read-letters';

/** A worker with no batch in hand, kept for the next batch (its council matcher is built). */
let idle: Worker | null = null;
let nextId = 1;

function startWorker(): Worker {
  const ready = idle;
  idle = null;
  if (ready) ready.onerror = null;
  return (
    ready ?? new Worker(new URL('./add-letters-worker.ts', import.meta.url), { type: 'module' })
  );
}

/** Keeps a worker for the next batch, unless one is kept already; one that fails is dropped. */
function keepIdle(worker: Worker): void {
  if (idle) {
    worker.terminate();
    return;
  }
  idle = worker;
  worker.onerror = (event) => {
    event.preventDefault();
    worker.terminate();
    if (idle === worker) idle = null;
  };
}

/** One batch's use of a letter-reading worker: read the files, then lay out the kept letters. */
export interface WorkerBatch {
  /**
   * Reads the sources, calling `onResult` with each source's documents (a zip's members) as it is
   * read; the files go to the worker as they are (a picked file's bytes are read there).
   */
  read(
    sources: LetterSource[],
    onResult: (index: number, results: ReadResult[]) => void,
  ): Promise<ReadResult[][]>;
  /** The kept letters' rows (by source and document index, in this order) as Arrow IPC chunks. */
  stage(keep: [number, number][]): Promise<StagedChunk[]>;
  /** Remembers the staged letters' texts in this browser, in one IndexedDB transaction. */
  remember(addedAt: string): Promise<void>;
  /** Done with the worker: it goes back to be reused, its rows of this batch forgotten. */
  release(): void;
}

/**
 * Takes a worker for one batch. When `signal` aborts, the worker is stopped at once (whatever it
 * was reading, pdf.js included) and the pending call rejects with {@link abortError}; the next
 * batch starts a worker afresh.
 */
export function openWorkerBatch(signal?: AbortSignal): WorkerBatch {
  if (signal?.aborted) throw abortError();
  const worker = startWorker();
  const id = nextId++;
  let stopped = false;
  let pending: ((message: WorkerMessage) => void) | null = null;
  let failPending: ((error: unknown) => void) | null = null;

  const stop = () => {
    stopped = true;
    worker.terminate();
    worker.removeEventListener('message', onMessage);
    worker.removeEventListener('error', onError);
    signal?.removeEventListener('abort', onAbort);
  };
  const onMessage = (event: MessageEvent<WorkerMessage>) => {
    if (event.data.id === id) pending?.(event.data);
  };
  const onError = (event: ErrorEvent) => {
    event.preventDefault();
    stop();
    failPending?.(new Error(`The letter reader stopped: ${event.message || 'it could not start'}`));
  };
  const onAbort = () => {
    stop();
    failPending?.(abortError());
  };
  worker.addEventListener('message', onMessage);
  worker.addEventListener('error', onError);
  signal?.addEventListener('abort', onAbort);

  /** Sends a request and collects its messages until `settle` gives a value. */
  const ask = <T>(
    request: WorkerRequest,
    transfer: Transferable[],
    settle: (message: WorkerMessage) => { value: T } | null,
  ): Promise<T> => {
    if (stopped) return Promise.reject(signal?.aborted ? abortError() : new Error('stopped'));
    return new Promise<T>((resolve, reject) => {
      const done = () => {
        pending = null;
        failPending = null;
      };
      failPending = (error) => {
        done();
        reject(error instanceof Error ? error : new Error(String(error)));
      };
      pending = (message) => {
        if (message.type === 'error') {
          done();
          reject(new Error(message.message));
          return;
        }
        const settled = settle(message);
        if (settled) {
          done();
          resolve(settled.value);
        }
      };
      worker.postMessage(request, transfer);
    });
  };

  return {
    read(sources, onResult) {
      const results: ReadResult[][] = new Array(sources.length);
      const transfer = sources.flatMap((s) =>
        'bytes' in s ? [s.bytes.buffer as ArrayBuffer] : [],
      );
      return ask({ id, type: 'read', sources }, transfer, (message) => {
        if (message.type === 'result') {
          results[message.index] = message.results;
          onResult(message.index, message.results);
          return null;
        }
        return message.type === 'done' ? { value: results } : null;
      });
    },
    stage(keep) {
      return ask({ id, type: 'stage', keep }, [], (message) =>
        message.type === 'staged' ? { value: message.chunks } : null,
      );
    },
    remember(addedAt) {
      return ask({ id, type: 'remember', addedAt }, [], (message) =>
        message.type === 'remembered' ? { value: undefined } : null,
      );
    },
    release() {
      if (stopped) return;
      worker.removeEventListener('message', onMessage);
      worker.removeEventListener('error', onError);
      signal?.removeEventListener('abort', onAbort);
      stopped = true;
      const request: WorkerRequest = { id, type: 'forget' };
      worker.postMessage(request);
      keepIdle(worker);
    },
  };
}
