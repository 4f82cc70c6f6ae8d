/// <reference lib="webworker" />
/**
 * The module worker that reads added letters off the page's thread: the files' bytes, text
 * decoding, pdf.js (in its own nested worker, served from this build) and the letter pipeline,
 * as the CLI runs them; then the rows of the letters the page keeps, laid out as Arrow IPC for the
 * engine. The page sees only what it reports (names, ids, warnings) and the texts it remembers.
 */
// Bundled as a worker script of this build (a `.js` file, which every static host serves as
// JavaScript; some serve `.mjs` as bytes, and a module worker then refuses to start).
import pdfWorkerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?worker&url';
import type { PDFWorker } from 'pdfjs-dist';
import type { LetterFileResult } from '@/core/parse-letter-file';
import type { LetterRows } from '@/core/pipeline/to-rows';
import type { LetterRow } from '@/core/schema';
import { pdfToText, type GetPdfDocument } from '@/core/read/pdf-text';
import { buildCouncilMatcher, type CouncilMatcher } from '@/core/pipeline/match-council';
import { rememberLetters } from './added-letters-store';
import { lettersToChunks, type StagedChunk } from './letter-ipc';
import { readLetterSources, type LetterSource } from './read-letters';

/** What the page needs of a letter read: its report line and what deduplication looks at. */
export type LetterSummary = Pick<
  LetterRow,
  | 'letter_id'
  | 'council_name'
  | 'inspection_start'
  | 'finding_count'
  | 'source_file'
  | 'document_kind'
>;

/**
 * One document as the page sees it: a read letter without its findings, themes and text (they
 * stay in the worker until the page says which letters to keep), or the reason it was rejected.
 */
export type ReadResult =
  | {
      name: string;
      ok: true;
      rows: { letter: LetterSummary };
      councilKnown: boolean;
      warnings: string[];
    }
  | { name: string; ok: false; reason: string };

/**
 * What the page asks: read these letters; then lay out the kept ones (by source and document
 * index, in the order they go in) as Arrow IPC chunks; once they are in, remember their texts in
 * this browser (IndexedDB, one transaction); or forget a batch.
 */
export type WorkerRequest =
  | { id: number; type: 'read'; sources: LetterSource[] }
  | { id: number; type: 'stage'; keep: [source: number, document: number][] }
  | { id: number; type: 'remember'; addedAt: string }
  | { id: number; type: 'forget' };

/**
 * What the worker answers: for a read, one message per source as it is read (its documents:
 * several for a zip), then done; for a stage, the chunks; or a failure.
 */
export type WorkerMessage =
  | { id: number; type: 'result'; index: number; results: ReadResult[] }
  | { id: number; type: 'done' }
  | { id: number; type: 'staged'; chunks: StagedChunk[] }
  | { id: number; type: 'remembered' }
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

/** A letter read: its rows and the text they were parsed from. */
interface ReadLetter {
  rows: LetterRows;
  text: string;
}

/** Each batch's letters, by source and document (null for a rejected document), until staged. */
const batches = new Map<number, (ReadLetter | null)[][]>();
/** Each staged batch's letters, in the order they went in, until remembered or forgotten. */
const staged = new Map<number, ReadLetter[]>();

function summary(result: LetterFileResult): ReadResult {
  if (!result.ok) return result;
  const { letter } = result.rows;
  return {
    name: result.name,
    ok: true,
    rows: {
      letter: {
        letter_id: letter.letter_id,
        council_name: letter.council_name,
        inspection_start: letter.inspection_start,
        finding_count: letter.finding_count,
        source_file: letter.source_file,
        document_kind: letter.document_kind,
      },
    },
    councilKnown: result.councilKnown,
    warnings: result.warnings,
  };
}

function stage(id: number, keep: [number, number][]): StagedChunk[] {
  const read = batches.get(id);
  if (!read) throw new Error('the letters read were not kept');
  batches.delete(id);
  const letters = keep.map(([source, document]) => {
    const letter = read[source]?.[document];
    if (!letter) throw new Error(`no letter read at ${source}/${document}`);
    return letter;
  });
  staged.set(id, letters);
  return lettersToChunks(letters.map((l) => l.rows));
}

/** Remembers a staged batch's letters in this browser (structured-cloned here, not in the page). */
async function remember(id: number, addedAt: string): Promise<void> {
  const letters = staged.get(id) ?? [];
  staged.delete(id);
  await rememberLetters(
    letters.map(({ rows, text }) => ({
      letter_id: rows.letter.letter_id,
      name: rows.letter.source_file,
      text,
      added_at: addedAt,
    })),
  );
}

const scope = self as unknown as DedicatedWorkerGlobalScope;
scope.onmessage = (event: MessageEvent<WorkerRequest>) => {
  const request = event.data;
  const { id } = request;
  const post = (message: WorkerMessage, transfer: Transferable[] = []) =>
    scope.postMessage(message, transfer);
  const fail = (error: unknown) =>
    post({ id, type: 'error', message: error instanceof Error ? error.message : String(error) });
  if (request.type === 'forget') {
    batches.delete(id);
    staged.delete(id);
    return;
  }
  if (request.type === 'remember') {
    remember(id, request.addedAt).then(() => post({ id, type: 'remembered' }), fail);
    return;
  }
  if (request.type === 'stage') {
    try {
      const chunks = stage(id, request.keep);
      const buffers = chunks.flatMap((c) =>
        Object.values(c.ipc).flatMap((ipc) => (ipc ? [ipc.buffer as ArrayBuffer] : [])),
      );
      post({ id, type: 'staged', chunks }, buffers);
    } catch (error) {
      fail(error);
    }
    return;
  }
  matcher ??= buildCouncilMatcher();
  const read: (ReadLetter | null)[][] = [];
  batches.set(id, read);
  readLetterSources(request.sources, { readPdf, matcher }, (index, results) => {
    read[index] = results.map((r) => (r.ok ? { rows: r.rows, text: r.text } : null));
    post({ id, type: 'result', index, results: results.map(summary) });
  }).then(() => post({ id, type: 'done' }), fail);
};
