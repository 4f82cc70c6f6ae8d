import type { AsyncDuckDBConnection } from '@duckdb/duckdb-wasm';
import { sideConnection } from '@/lib/duckdb';
import type { Filters } from '@/lib/filters';
import { inlineParams } from '@/lib/sql';
import type { SearchEngine } from './search-engine';
import type {
  IndexInfo,
  SearchAnswers,
  SearchQuestion,
  SearchReply,
  ThemeQuery,
} from './search-protocol';
import { buildSearchFindingsSql } from './search-rows';
import SearchWorker from './search-worker?worker';

/**
 * The page's side of search: the findings' index is built and queried in a worker
 * (search-worker.ts), so that neither building it nor answering blocks the page. The rows go to
 * the worker as the Arrow IPC bytes the data engine answers with, untouched by the page's thread.
 * Should the worker fail (it cannot start, or it stops), the same engine runs in the page
 * instead: the questions asked meanwhile are answered there, and the page says where search runs
 * (`<html data-search-index="worker|page">`).
 */

/** Where the index is held and queried. */
export type SearchPlace = 'worker' | 'page';

/** The index as built: how many findings, how long it took, where, and which build it is. */
export interface PreparedIndex extends IndexInfo {
  where: SearchPlace;
  /** Goes up with every rebuild: answers are cached under it. */
  generation: number;
}

/** The worker stopped or could not start: the question goes to the page's own engine. */
class WorkerFailed extends Error {}

/** What the data engine's rows for search are, in one hash: a new one means a rebuild. */
async function fingerprintOf(conn: AsyncDuckDBConnection): Promise<string> {
  const rows = buildSearchFindingsSql();
  const table = await conn.query(`
    SELECT count(*)::VARCHAR || ':' || coalesce(bit_xor(hash(finding_id, text, letter_id,
      section, position, council_name, reporting_year, region, la_type, document_kind,
      inspection_start, letter_date, added)), 0)::VARCHAR AS fingerprint
    FROM (${inlineParams(rows)})`);
  return String(table.toArray()[0]?.fingerprint ?? '');
}

/** The rows for search as the engine's Arrow IPC bytes, never decoded on the page's thread. */
function ipcOf(conn: AsyncDuckDBConnection): Promise<Uint8Array> {
  const text = inlineParams(buildSearchFindingsSql());
  return conn.useUnsafe((db, id) => db.runQuery(id, text));
}

class SearchClient {
  /** Undefined until first needed; null once it failed (or could not start). */
  private worker: Worker | null | undefined;
  private local: SearchEngine | null = null;
  private readonly pending = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (error: Error) => void }
  >();
  private nextId = 1;
  private current: { fingerprint: string; prepared: PreparedIndex } | null = null;
  private generation = 0;
  private queue: Promise<unknown> = Promise.resolve();

  /**
   * Builds the index over the data engine's findings as they are now, unless it is built over
   * these already; one build at a time.
   */
  prepare(): Promise<PreparedIndex> {
    const run = this.queue.then(() => this.prepareNow());
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async prepareNow(): Promise<PreparedIndex> {
    // Started first: its code (the dictionary of word forms among it) loads while the engine
    // starts and reads the rows.
    const worker = this.startWorker();
    const conn = await sideConnection();
    try {
      const fingerprint = await fingerprintOf(conn);
      if (this.current?.fingerprint === fingerprint) return this.current.prepared;
      let info: IndexInfo | null = null;
      let where: SearchPlace = 'worker';
      if (worker) {
        try {
          const ipc = await ipcOf(conn);
          info = await this.post<'load'>(worker, { type: 'load', ipc }, [
            ipc.buffer as ArrayBuffer,
          ]);
        } catch (error) {
          if (!(error instanceof WorkerFailed)) throw error;
        }
      }
      if (info === null) {
        where = 'page';
        info = (await this.localEngine()).loadIpc(await ipcOf(conn));
      }
      this.generation += 1;
      const prepared: PreparedIndex = { ...info, where, generation: this.generation };
      this.current = { fingerprint, prepared };
      document.documentElement.dataset.searchIndex = where;
      return prepared;
    } finally {
      await conn.close();
    }
  }

  /** The findings matching a query under the filters, counted, with the first `limit` listed. */
  search(query: string, filters: Filters, limit: number): Promise<SearchAnswers['search']> {
    return this.ask<'search'>({ type: 'search', query, filters, limit });
  }

  /** The findings most like one (by id), with the words they share. */
  similar(findingId: string, limit: number): Promise<SearchAnswers['similar']> {
    return this.ask<'similar'>({ type: 'similar', findingId, limit });
  }

  /** The saved themes' tags on every finding. */
  themeTags(themes: ThemeQuery[]): Promise<SearchAnswers['themes']> {
    return this.ask<'themes'>({ type: 'themes', themes });
  }

  private async ask<K extends keyof SearchAnswers>(
    question: SearchQuestion & { type: K },
  ): Promise<SearchAnswers[K]> {
    // After any build under way, and over an index that exists.
    await this.queue;
    if (!this.current) await this.prepare();
    const worker = this.worker;
    if (worker) {
      try {
        return await this.post<K>(worker, question);
      } catch (error) {
        if (!(error instanceof WorkerFailed)) throw error;
        // Built again in the page, then answered there.
        await this.prepare();
      }
    }
    const engine = this.local;
    if (!engine) throw new Error('The search index could not be built.');
    return engine.answer(question).value as SearchAnswers[K];
  }

  private post<K extends keyof SearchAnswers>(
    worker: Worker,
    question: SearchQuestion,
    transfer: Transferable[] = [],
  ): Promise<SearchAnswers[K]> {
    // A worker that failed since it was picked (while the rows were read, say) answers nothing.
    if (this.worker !== worker) return Promise.reject(new WorkerFailed('it stopped'));
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      try {
        worker.postMessage({ ...question, id }, transfer);
      } catch (error) {
        this.pending.delete(id);
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  private startWorker(): Worker | null {
    if (this.worker !== undefined) return this.worker;
    try {
      const worker = new SearchWorker();
      worker.onmessage = (event: MessageEvent<SearchReply>) => {
        const reply = event.data;
        const waiting = this.pending.get(reply.id);
        if (!waiting) return;
        this.pending.delete(reply.id);
        if (reply.ok) waiting.resolve(reply.value);
        else waiting.reject(new Error(reply.message));
      };
      worker.onerror = (event) => {
        event.preventDefault();
        this.workerFailed(event.message || 'it stopped');
      };
      worker.onmessageerror = () => this.workerFailed('a message could not be read');
      this.worker = worker;
    } catch (error) {
      this.workerFailed(error instanceof Error ? error.message : String(error));
    }
    return this.worker ?? null;
  }

  /** Gives up on the worker: what it was asked goes to the page's engine, built afresh. */
  private workerFailed(reason: string): void {
    console.warn(`Search runs in the page: its worker failed (${reason}).`);
    this.worker?.terminate();
    this.worker = null;
    if (this.current?.prepared.where === 'worker') this.current = null;
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const w of waiting) w.reject(new WorkerFailed(reason));
  }

  private async localEngine(): Promise<SearchEngine> {
    if (!this.local) {
      const { SearchEngine } = await import('./search-engine');
      this.local ??= new SearchEngine();
    }
    return this.local;
  }
}

let client: SearchClient | null = null;

/** The page's search client, made on first use. */
export function searchClient(): SearchClient {
  client ??= new SearchClient();
  return client;
}

export type { SearchClient };
