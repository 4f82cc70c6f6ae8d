import type { LetterFileResult } from '@/core/parse-letter-file';
import type { ReadMessage, ReadRequest } from './add-letters-worker';
import type { LetterSource } from './read-letters';

let worker: Worker | null = null;
let nextId = 1;

function startWorker(): Worker {
  worker ??= new Worker(new URL('./add-letters-worker.ts', import.meta.url), { type: 'module' });
  return worker;
}

/**
 * Reads letters in the add-letters worker, calling `onResult` with each file's documents (a
 * zip's members) as it is read; the files' bytes are handed over to the worker, not copied.
 */
export function readInWorker(
  sources: LetterSource[],
  onResult: (index: number, results: LetterFileResult[]) => void,
): Promise<LetterFileResult[][]> {
  const target = startWorker();
  const id = nextId++;
  const results: LetterFileResult[][] = new Array(sources.length);
  return new Promise((resolve, reject) => {
    const stop = () => {
      target.removeEventListener('message', onMessage);
      target.removeEventListener('error', onError);
    };
    const onMessage = (event: MessageEvent<ReadMessage>) => {
      const message = event.data;
      if (message.id !== id) return;
      if (message.type === 'result') {
        results[message.index] = message.results;
        onResult(message.index, message.results);
      } else {
        stop();
        if (message.type === 'done') resolve(results);
        else reject(new Error(message.message));
      }
    };
    const onError = (event: ErrorEvent) => {
      event.preventDefault();
      stop();
      // A worker that failed to start or crashed is dropped, so that the next batch starts afresh.
      target.terminate();
      if (worker === target) worker = null;
      reject(new Error(`The letter reader stopped: ${event.message || 'it could not start'}`));
    };
    target.addEventListener('message', onMessage);
    target.addEventListener('error', onError);
    const request: ReadRequest = { id, sources };
    const transfer = sources.flatMap((s) => ('bytes' in s ? [s.bytes.buffer as ArrayBuffer] : []));
    target.postMessage(request, transfer);
  });
}
