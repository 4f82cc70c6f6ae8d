/// <reference lib="webworker" />
/**
 * The module worker that reads added letters off the page's thread: text decoding, pdf.js (in
 * its own nested worker, served from this build) and the letter pipeline, as the CLI runs them.
 */
// Bundled as a worker script of this build (a `.js` file, which every static host serves as
// JavaScript; some serve `.mjs` as bytes, and a module worker then refuses to start).
import pdfWorkerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?worker&url';
import type { PDFWorker } from 'pdfjs-dist';
import type { LetterFileResult } from '@/core/parse-letter-file';
import { pdfToText, type GetPdfDocument } from '@/core/read/pdf-text';
import { buildCouncilMatcher, type CouncilMatcher } from '@/core/pipeline/match-council';
import { readLetterSources, type LetterSource } from './read-letters';

/** What the page asks: read these letters. */
export interface ReadRequest {
  id: number;
  sources: LetterSource[];
}

/**
 * What the worker answers: one message per source as it is read (its documents: several for a
 * zip), then done, or a failure.
 */
export type ReadMessage =
  | { id: number; type: 'result'; index: number; results: LetterFileResult[] }
  | { id: number; type: 'done' }
  | { id: number; type: 'error'; message: string };

let pdfjs: Promise<{ getDocument: GetPdfDocument; worker: PDFWorker }> | null = null;

/**
 * Starts pdf.js's own worker and waits for its "ready": pdf.js cannot start it by itself inside a
 * worker (it reads `window.location`), and a worker script that fails to load must not hang.
 */
function startPdfWorker(): Promise<Worker> {
  return new Promise((resolve, reject) => {
    const port = new Worker(pdfWorkerUrl, { type: 'module', name: 'pdf.js' });
    const stop = () => {
      port.removeEventListener('message', onMessage);
      port.removeEventListener('error', onError);
    };
    const onMessage = (event: MessageEvent<{ action?: string }>) => {
      if (event.data?.action !== 'ready') return;
      stop();
      resolve(port);
    };
    const onError = (event: ErrorEvent) => {
      event.preventDefault();
      stop();
      port.terminate();
      reject(new Error(event.message || 'its worker script did not load'));
    };
    port.addEventListener('message', onMessage);
    port.addEventListener('error', onError);
  });
}

/** Loads pdf.js on the first PDF only, with one pdf.js worker kept for every later file. */
function loadPdfJs(): Promise<{ getDocument: GetPdfDocument; worker: PDFWorker }> {
  pdfjs ??= Promise.all([import('pdfjs-dist'), startPdfWorker()]).then(([lib, port]) => {
    // The pdf.js types declare `port` as null only; a Worker is what it takes.
    const params = { port, verbosity: 0 } as unknown as ConstructorParameters<
      typeof lib.PDFWorker
    >[0];
    return { getDocument: lib.getDocument, worker: new lib.PDFWorker(params) };
  });
  return pdfjs;
}

async function readPdf(bytes: Uint8Array): Promise<string> {
  let loaded: { getDocument: GetPdfDocument; worker: PDFWorker };
  try {
    loaded = await loadPdfJs();
  } catch (error) {
    // A reader that cannot start is no fault of the file: say so rather than "corrupt PDF", and
    // try again for the next file.
    pdfjs = null;
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`the PDF reader (pdf.js) could not start: ${reason}`, { cause: error });
  }
  return pdfToText(bytes, loaded.getDocument, { worker: loaded.worker });
}

let matcher: CouncilMatcher | null = null;

const scope = self as unknown as DedicatedWorkerGlobalScope;
scope.onmessage = (event: MessageEvent<ReadRequest>) => {
  const { id, sources } = event.data;
  const post = (message: ReadMessage) => scope.postMessage(message);
  matcher ??= buildCouncilMatcher();
  readLetterSources(sources, { readPdf, matcher }, (index, results) =>
    post({ id, type: 'result', index, results }),
  ).then(
    () => post({ id, type: 'done' }),
    (error: unknown) =>
      post({ id, type: 'error', message: error instanceof Error ? error.message : String(error) }),
  );
};
