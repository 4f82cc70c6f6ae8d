/// <reference lib="webworker" />
/**
 * The worker that decodes the contract's Parquet files into Arrow IPC record batches, so that
 * neither decoding nor per-row conversion runs on the page's thread.
 */
import type { ColumnType } from '@/core/schema';
import { decodeParquetToArrow } from '@/lib/parquet-to-arrow';

/** What the page asks: decode these columns of a file, given or kept from an earlier request. */
export interface DecodeRequest {
  id: number;
  /** The file's name, for messages and for the kept copy. */
  file: string;
  /** The file's bytes; absent when the worker kept them from an earlier request. */
  buffer?: ArrayBuffer;
  /** Keep the bytes for a later request (the file has columns loaded lazily). */
  keep: boolean;
  /** Columns in table order, each decoded, or sent as all nulls when listed in `placeholders`. */
  columns: [string, ColumnType][];
  placeholders: string[];
  /** Columns added to the contract later: a file that lacks them gives nulls (ADDED_COLUMNS). */
  optional?: string[];
}

/** What the worker answers: record batches as Arrow IPC streams, then done, or an error. */
export type DecodeMessage =
  | { id: number; type: 'batch'; ipc: Uint8Array; rows: number }
  | { id: number; type: 'done'; rows: number }
  | { id: number; type: 'error'; message: string };

const kept = new Map<string, ArrayBuffer>();

async function decode(request: DecodeRequest, post: (message: DecodeMessage) => void) {
  const buffer = request.buffer ?? kept.get(request.file);
  if (!buffer) throw new Error(`${request.file} is no longer held; reload the page.`);
  if (request.keep) kept.set(request.file, buffer);
  const rows = await decodeParquetToArrow(
    buffer,
    request.file,
    request.columns,
    request.placeholders,
    (ipc, batchRows) => post({ id: request.id, type: 'batch', ipc, rows: batchRows }),
    request.optional,
  );
  post({ id: request.id, type: 'done', rows });
}

const scope = self as unknown as DedicatedWorkerGlobalScope;
scope.onmessage = (event: MessageEvent<DecodeRequest>) => {
  const post = (reply: DecodeMessage) =>
    reply.type === 'batch'
      ? scope.postMessage(reply, [reply.ipc.buffer as ArrayBuffer])
      : scope.postMessage(reply);
  decode(event.data, post).catch((error: unknown) =>
    post({
      id: event.data.id,
      type: 'error',
      message: error instanceof Error ? error.message : String(error),
    }),
  );
};
