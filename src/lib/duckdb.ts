import { ADDED_COLUMNS, TABLE_NAMES, TABLES, type ColumnType, type TableName } from '@/core/schema';
import { parquetUrl } from '@/lib/data-config';
import { whenIdle } from '@/lib/idle';
import {
  ADDED_LETTERS,
  DERIVED_TABLES_SQL,
  ON_DEMAND_TABLES_SQL,
  SURE_TABLES_SQL,
} from '@/lib/derived-tables';
import type { DecodeMessage, DecodeRequest } from '@/lib/parquet-worker';
import ParquetWorker from '@/lib/parquet-worker?worker';
import { inlineParams, type SqlParam, type SqlQuery } from '@/lib/sql';
import mvpWasm from '@duckdb/duckdb-wasm/dist/duckdb-mvp.wasm?url';
import mvpWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-mvp.worker.js?url';
import ehWasm from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import ehWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js?url';
import type { AsyncDuckDB, AsyncDuckDBConnection } from '@duckdb/duckdb-wasm';
import type * as Arrow from 'apache-arrow';

/** One query as the view profiler sees it: when it was sent, answered and turned into rows. */
export interface QueryLogEntry {
  sql: string;
  started: number;
  answered: number;
  converted: number;
  rows: number;
}

declare global {
  /** Set by `npm run bench:view` before the page loads; every query's timings are pushed to it. */
  var __duckdbQueryLog: QueryLogEntry[] | undefined;
  /** {@link query}, for the view profiler to time statements of its own; set only beside the log. */
  var __duckdbQuery: typeof query | undefined;
}

/** Where the engine is: the app shows this to the user and the browser tests wait on `ready`. */
export type EngineStatus =
  | { state: 'idle' }
  | { state: 'loading'; step: string }
  | {
      state: 'ready';
      readyMs: number;
      rowCounts: Record<TableName, number>;
      /** Letters added in this browser session, among `rowCounts.letters`. */
      addedLetters?: number;
    }
  | { state: 'error'; message: string };

/** A failure to start the engine or load a file, with a message meant for the user. */
export class DataLoadError extends Error {
  override name = 'DataLoadError';
}

interface Engine {
  db: AsyncDuckDB;
  conn: AsyncDuckDBConnection;
  worker: Worker;
  arrow: typeof Arrow;
  decoders: DecoderPool;
  /** Lazy columns loaded so far, or being loaded, by table. */
  lazyLoads: Map<TableName, Promise<void>>;
  /** On-demand derived tables built so far, or being built, by name. */
  onDemandBuilds: Map<string, Promise<void>>;
}

/** A column left out of the start-up load and loaded when a query first names it. */
interface LazyColumns {
  columns: string[];
  /** The columns that identify a row, to match the loaded values to their rows. */
  key: string[];
  /** A query whose SQL matches this needs the columns. */
  pattern: RegExp;
}

/**
 * The long texts only the letter view reads stay out of the start-up load (a million findings
 * come with some 250 MB of letter text); the table holds nulls until a query names the column
 * (or {@link loadAllColumns} is called).
 */
const LAZY_COLUMNS: Partial<Record<TableName, LazyColumns>> = {
  letters: { columns: ['source_text'], key: ['letter_id'], pattern: /\bsource_text\b/i },
};

/** Performance marks the benchmark reads: engine start, engine up (no data yet), tables loaded. */
export const DUCKDB_MARKS = {
  start: 'duckdb-start',
  engineUp: 'duckdb-engine-up',
  ready: 'duckdb-ready',
} as const;

let enginePromise: Promise<Engine> | null = null;
/** The engine once it has started and loaded the tables: queries then go to it at once. */
let readyEngine: Engine | null = null;
/** Lazy-column loads and on-demand builds that have finished. */
const settled = new WeakSet<Promise<void>>();

function markSettled(work: Promise<void>): Promise<void> {
  work.then(
    () => settled.add(work),
    () => undefined,
  );
  return work;
}
let status: EngineStatus = { state: 'idle' };
const listeners = new Set<() => void>();

function setStatus(next: EngineStatus): void {
  status = next;
  listeners.forEach((listener) => listener());
}

/** The engine's current status. */
export function getEngineStatus(): EngineStatus {
  return status;
}

/** Calls `listener` whenever the engine's status changes; returns the unsubscribe function. */
export function subscribeEngineStatus(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Starts DuckDB-WASM and loads the Parquet files, once; every caller shares the same promise. */
export function startDuckDb(): Promise<Engine> {
  if (!enginePromise) {
    const started = performance.now();
    enginePromise = boot(started).then(
      (engine) => (readyEngine = engine),
      (error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        setStatus({ state: 'error', message });
        document.documentElement.dataset.duckdb = 'error';
        enginePromise = null;
        throw error instanceof DataLoadError ? error : new DataLoadError(message);
      },
    );
  }
  return enginePromise;
}

/** Forgets a failed or finished engine so that the next query starts afresh (the Retry button). */
export async function resetDuckDb(): Promise<void> {
  const previous = enginePromise;
  enginePromise = null;
  readyEngine = null;
  delete document.documentElement.dataset.duckdb;
  setStatus({ state: 'idle' });
  if (previous) {
    const engine = await previous.catch(() => null);
    engine?.worker.terminate();
    engine?.decoders.terminate();
  }
}

if (globalThis.__duckdbQueryLog) globalThis.__duckdbQuery = query;

/**
 * Runs one statement and returns plain objects (numbers, not BigInt; dates as ISO).
 * Once the engine is up and the tables the statement names are there, the statement is sent to
 * the engine's worker before this returns (no await first): a filter change's queries, started
 * before the page re-renders, then run while it renders.
 */
export function query<Row>(sql: string, params: readonly SqlParam[] = []): Promise<Row[]> {
  if (held) return held.then(() => query<Row>(sql, params));
  const engine = readyEngine;
  if (engine && tablesReady(engine, sql)) return run<Row>(engine, sql, params);
  return (async () => {
    const started = await startDuckDb();
    await loadLazyColumns(started, sql);
    await buildOnDemandTables(started, onDemandTablesNamed(sql));
    return run<Row>(started, sql, params);
  })();
}

/** Work that {@link query} waits for before sending anything; null when there is none. */
let held: Promise<void> | null = null;

/**
 * Holds every {@link query} until `work` settles, so that no view answers from tables about to
 * change: the saved themes a page opens with are written into the theme tables first
 * (src/app/saved-themes). Work on connections of its own ({@link withOwnConnection},
 * {@link sideConnection}) is not held, so `work` may use those.
 */
export function holdQueriesUntil(work: Promise<unknown>): void {
  const hold = work.then(
    () => undefined,
    () => undefined,
  );
  held = hold;
  void hold.then(() => {
    if (held === hold) held = null;
  });
}

/**
 * The derived tables built the first time a query names one: the on-demand tables, then the
 * sure twins of the theme tables (src/lib/derived-tables.ts), in an order where a table comes
 * after those it is built from.
 */
const BUILT_ON_DEMAND: Readonly<Record<string, readonly string[]>> = {
  ...ON_DEMAND_TABLES_SQL,
  ...SURE_TABLES_SQL,
};
const ON_DEMAND_ORDER = Object.keys(BUILT_ON_DEMAND);

/** A whole-word match of a table's name: `sure_x` does not name `x`. */
const NAME_PATTERNS = new Map(ON_DEMAND_ORDER.map((t) => [t, new RegExp(`\\b${t}\\b`)]));

/** The on-demand tables each one is built from (named in its statements). */
const BUILT_FROM = new Map(
  ON_DEMAND_ORDER.map((table) => [
    table,
    ON_DEMAND_ORDER.filter(
      (other) =>
        other !== table &&
        BUILT_ON_DEMAND[table]!.some((statement) => NAME_PATTERNS.get(other)!.test(statement)),
    ),
  ]),
);

/**
 * The on-demand derived tables a statement needs, in the order they are built: those it names,
 * and those they are built from.
 */
function onDemandTablesNamed(sql: string): string[] {
  const needed = new Set<string>();
  const add = (table: string) => {
    if (needed.has(table)) return;
    needed.add(table);
    BUILT_FROM.get(table)?.forEach(add);
  };
  for (const table of ON_DEMAND_ORDER) if (NAME_PATTERNS.get(table)!.test(sql)) add(table);
  return ON_DEMAND_ORDER.filter((table) => needed.has(table));
}

/** Whether every lazy column and on-demand table `sql` needs is loaded or built already. */
function tablesReady(engine: Engine, sql: string): boolean {
  for (const table of TABLE_NAMES) {
    const lazy = LAZY_COLUMNS[table];
    if (!lazy || !lazy.pattern.test(sql)) continue;
    const load = engine.lazyLoads.get(table);
    if (!load || !settled.has(load)) return false;
  }
  return onDemandTablesNamed(sql).every((table) => {
    const build = engine.onDemandBuilds.get(table);
    return build !== undefined && settled.has(build);
  });
}

/** Queries sent and not yet answered, and when the last one was answered. */
let running = 0;
let lastAnswered = 0;
/** When the engine's present busy spell began: a statement sent while none was running. */
let spellStarted = 0;
/**
 * The last few whole spells (typically a view's statements for one state of the filters): when
 * each ended and how long it lasted, newest last.
 */
const recentSpells: { end: number; ms: number }[] = [];
const RECENT_SPELLS = 5;

/** Whether a statement sent through {@link query} is still unanswered. */
export function engineBusy(): boolean {
  return running > 0;
}

/**
 * The median length of the engine's last few busy spells that ended after `since` (each from the
 * first statement sent to the last answered), and the last one's; null when there is none: what
 * one state's statements of the open view cost, the median steady against a spell drawn out by
 * other work on the page's main thread.
 */
export function recentBusySpells(since: number): { typicalMs: number; lastMs: number } | null {
  const spells = recentSpells.filter((spell) => spell.end > since).map((spell) => spell.ms);
  if (spells.length === 0) return null;
  const sorted = [...spells].sort((a, b) => a - b);
  return { typicalMs: sorted[Math.floor(sorted.length / 2)]!, lastMs: spells.at(-1)! };
}
/**
 * How long the engine must have had nothing to do before background work (the warm-up,
 * src/lib/engine-warm-up.ts) sends it a statement: such a statement then never delays a query
 * someone is waiting for, as they change one filter after another.
 */
const QUIET_MS = 150;

/**
 * Resolves once the page's main thread is idle and no query has been running for
 * {@link QUIET_MS}: the moment for one small piece of background work.
 */
export async function engineQuiet(): Promise<void> {
  for (;;) {
    await whenIdle();
    const quietFor = performance.now() - lastAnswered;
    if (running === 0 && quietFor >= QUIET_MS) return;
    await new Promise((resolve) => setTimeout(resolve, Math.max(20, QUIET_MS - quietFor)));
  }
}

/**
 * A second connection to the started engine, for background work with its own settings (its
 * own default schema): the views' connection is left as it is.
 */
export async function sideConnection(): Promise<AsyncDuckDBConnection> {
  const engine = await startDuckDb();
  return engine.db.connect();
}

/**
 * Sends one statement, its values written into it ({@link inlineParams}): DuckDB plans it once,
 * with its values, and runs it (a prepared statement run with parameters is planned each time it
 * runs, and its preparation is one planning more).
 */
function run<Row>(engine: Engine, sql: string, params: readonly SqlParam[]): Promise<Row[]> {
  let text: string;
  try {
    text = inlineParams({ sql, params });
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
  const started = performance.now();
  if (running === 0) spellStarted = started;
  running++;
  return engine.conn
    .query(text)
    .then((table) => {
      const answered = performance.now();
      const rows = toPlainRows<Row>(table, engine.arrow);
      globalThis.__duckdbQueryLog?.push({
        sql,
        started,
        answered,
        converted: performance.now(),
        rows: rows.length,
      });
      return rows;
    })
    .finally(() => {
      running--;
      lastAnswered = performance.now();
      if (running === 0) {
        recentSpells.push({ end: lastAnswered, ms: lastAnswered - spellStarted });
        if (recentSpells.length > RECENT_SPELLS) recentSpells.shift();
      }
    });
}

/** The engine's files the page chose for this browser (its WebAssembly module and worker). */
let engineFileUrls: string[] = [];

/** The engine files this browser uses, once the engine has started; none before. */
export function engineFiles(): readonly string[] {
  return engineFileUrls;
}

/** Runs a builder's query: `query` with the builder's SQL and parameters. */
export function runQuery<Row>(built: SqlQuery): Promise<Row[]> {
  return query<Row>(built.sql, built.params);
}

async function boot(started: number): Promise<Engine> {
  document.documentElement.dataset.duckdb = 'loading';
  setStatus({ state: 'loading', step: 'Starting the data engine' });
  performance.mark(DUCKDB_MARKS.start);
  // The files download and decode (in workers) while the engine instantiates: neither waits for
  // the other, and the page's own thread stays free to paint.
  let decoders: DecoderPool;
  try {
    decoders = new DecoderPool();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new DataLoadError(`The data engine (DuckDB-WASM) could not start: ${reason}`);
  }
  const decoded = TABLE_NAMES.map((table) => ({ table, batches: fetchAndDecode(decoders, table) }));
  decoded.forEach((d) => d.batches.done.catch(() => undefined));
  let engine: Engine;
  try {
    engine = {
      ...(await instantiate()),
      decoders,
      lazyLoads: new Map(),
      onDemandBuilds: new Map(),
    };
  } catch (error) {
    decoders.terminate();
    throw error;
  }
  performance.mark(DUCKDB_MARKS.engineUp);
  try {
    setStatus({ state: 'loading', step: 'Loading the data' });
    const counts = await Promise.all(
      decoded.map(({ table, batches }) =>
        insertTable(
          engine,
          table,
          Object.entries(TABLES[table]) as [string, ColumnType][],
          batches,
        ),
      ),
    );
    const rowCounts = Object.fromEntries(
      decoded.map(({ table }, i) => [table, counts[i]!]),
    ) as Record<TableName, number>;
    setStatus({ state: 'loading', step: 'Preparing the data' });
    await buildDerivedTables(engine);
    performance.mark(DUCKDB_MARKS.ready);
    const readyMs = Math.round(performance.now() - started);
    document.documentElement.dataset.duckdb = 'ready';
    setStatus({ state: 'ready', readyMs, rowCounts });
    return engine;
  } catch (error) {
    engine.worker.terminate();
    decoders.terminate();
    throw error;
  }
}

async function instantiate(): Promise<Omit<Engine, 'decoders' | 'lazyLoads' | 'onDemandBuilds'>> {
  try {
    const [duckdb, arrow] = await Promise.all([
      import('@duckdb/duckdb-wasm'),
      import('apache-arrow'),
    ]);
    // Only the mvp and eh bundles: the threaded build needs COOP/COEP headers static hosts lack.
    const bundle = await duckdb.selectBundle({
      mvp: { mainModule: mvpWasm, mainWorker: mvpWorker },
      eh: { mainModule: ehWasm, mainWorker: ehWorker },
    });
    engineFileUrls = [bundle.mainModule, bundle.mainWorker ?? mvpWorker].map(
      (url) => new URL(url, document.baseURI).href,
    );
    const worker = new Worker(bundle.mainWorker ?? mvpWorker);
    const db = new duckdb.AsyncDuckDB(new duckdb.ConsoleLogger(duckdb.LogLevel.WARNING), worker);
    await db.instantiate(bundle.mainModule, bundle.pthreadWorker);
    const conn = await db.connect();
    // Offline, an autoloaded extension fails late and obscurely; nothing here needs one.
    await conn.query('SET autoinstall_known_extensions = false');
    await conn.query('SET autoload_known_extensions = false');
    return { db, conn, worker, arrow };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new DataLoadError(`The data engine (DuckDB-WASM) could not start: ${reason}`);
  }
}

/** Record batches (Arrow IPC streams) of one table as a decoder worker makes them. */
class BatchStream {
  private readonly queue: Uint8Array[] = [];
  private wake: (() => void) | null = null;
  private finished = false;
  private failure: Error | null = null;
  /** Settles when the last batch has arrived, with the row count, or with the failure. */
  readonly done: Promise<number>;
  private settle!: { resolve: (rows: number) => void; reject: (error: Error) => void };

  constructor() {
    this.done = new Promise((resolve, reject) => (this.settle = { resolve, reject }));
    // A failure reaches whoever reads the batches (next() throws it); a stream whose `done` no
    // one awaits must not also make it an unhandled rejection (an uncaught error in the page).
    this.done.catch(() => undefined);
  }

  push(ipc: Uint8Array): void {
    this.queue.push(ipc);
    this.wake?.();
  }

  end(rows: number): void {
    this.finished = true;
    this.settle.resolve(rows);
    this.wake?.();
  }

  fail(error: Error): void {
    this.failure = error;
    this.settle.reject(error);
    this.wake?.();
  }

  /** The next batch, or null after the last one; throws the decoding failure. */
  async next(): Promise<Uint8Array | null> {
    for (;;) {
      if (this.failure) throw this.failure;
      const ipc = this.queue.shift();
      if (ipc) return ipc;
      if (this.finished) return null;
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = null;
    }
  }
}

/** A few workers that decode Parquet into Arrow batches; each request goes to the least busy. */
class DecoderPool {
  private readonly workers: { worker: Worker; pendingBytes: number }[];
  private readonly streams = new Map<number, { batches: BatchStream; bytes: number }>();
  private nextId = 1;
  /** Which worker keeps each table's file, for its lazy columns. */
  readonly keptBy = new Map<TableName, number>();

  // One core is left to DuckDB's worker (compiling its wasm, then inserting) and the page: on two
  // cores a second decoder made loading no faster and the first chart slower.
  constructor(size = Math.max(1, Math.min(2, (navigator.hardwareConcurrency || 2) - 1))) {
    this.workers = Array.from({ length: size }, () => {
      const entry = { worker: new ParquetWorker(), pendingBytes: 0 };
      entry.worker.onmessage = (event: MessageEvent<DecodeMessage>) => {
        const message = event.data;
        const request = this.streams.get(message.id);
        if (!request) return;
        if (message.type === 'batch') return request.batches.push(message.ipc);
        entry.pendingBytes -= request.bytes;
        this.streams.delete(message.id);
        if (message.type === 'done') request.batches.end(message.rows);
        else request.batches.fail(new DataLoadError(message.message));
      };
      entry.worker.onerror = (event) => {
        event.preventDefault();
        for (const request of this.streams.values())
          request.batches.fail(new DataLoadError(`The Parquet decoder stopped: ${event.message}`));
        this.streams.clear();
      };
      return entry;
    });
  }

  /**
   * Sends a request to the worker with the fewest bytes still to decode (or to `workerIndex`,
   * the one that kept the file); returns its batches.
   */
  decode(
    request: Omit<DecodeRequest, 'id'>,
    workerIndex?: number,
  ): { batches: BatchStream; workerIndex: number } {
    const index =
      workerIndex ??
      this.workers.reduce(
        (best, w, i) => (w.pendingBytes < this.workers[best]!.pendingBytes ? i : best),
        0,
      );
    const entry = this.workers[index]!;
    const id = this.nextId++;
    const batches = new BatchStream();
    const bytes = request.buffer?.byteLength ?? 0;
    this.streams.set(id, { batches, bytes });
    entry.pendingBytes += bytes;
    entry.worker.postMessage({ ...request, id }, request.buffer ? [request.buffer] : []);
    return { batches, workerIndex: index };
  }

  terminate(): void {
    this.workers.forEach((w) => w.worker.terminate());
  }
}

function fetchAndDecode(decoders: DecoderPool, table: TableName): BatchStream {
  const stream = new BatchStream();
  const file = `${table}.parquet`;
  const url = parquetUrl(table);
  const lazy = LAZY_COLUMNS[table];
  void (async () => {
    let response: Response;
    try {
      response = await fetch(url);
    } catch {
      throw new DataLoadError(`Could not download ${file}: the network request failed (${url}).`);
    }
    if (!response.ok) {
      throw new DataLoadError(
        `Could not download ${file}: the server answered ${response.status} ${response.statusText} (${url}).`,
      );
    }
    const buffer = await response.arrayBuffer();
    const { batches, workerIndex } = decoders.decode({
      file,
      buffer,
      keep: Boolean(lazy),
      columns: Object.entries(TABLES[table]) as [string, ColumnType][],
      placeholders: lazy?.columns ?? [],
      // Files written before a column was added to the contract (or by other tools) still load.
      optional: [...(ADDED_COLUMNS[table] ?? [])] as string[],
    });
    if (lazy) decoders.keptBy.set(table, workerIndex);
    for (let ipc = await batches.next(); ipc; ipc = await batches.next()) stream.push(ipc);
    stream.end(await batches.done);
  })().catch((error: unknown) =>
    stream.fail(error instanceof Error ? error : new DataLoadError(String(error))),
  );
  return stream;
}

/** Creates `table` from its decoded batches, inserted one by one as they arrive. */
async function insertTable(
  engine: Engine,
  table: string,
  spec: [string, ColumnType][],
  batches: BatchStream,
): Promise<number> {
  try {
    await engine.conn.query(`DROP TABLE IF EXISTS ${table}`);
    let first = true;
    for (let ipc = await batches.next(); ipc; ipc = await batches.next()) {
      // Arrow types match the contract's (Utf8, Int32, Bool, Date32, List<Int32>): no cast.
      await engine.conn.insertArrowFromIPCStream(ipc, { name: table, create: first });
      first = false;
    }
    if (first) {
      const ddl = spec.map(([name, type]) => `${name} ${type}`).join(', ');
      await engine.conn.query(`CREATE TABLE ${table} (${ddl})`);
    }
    return await batches.done;
  } catch (error) {
    if (error instanceof DataLoadError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new DataLoadError(`Could not load ${table}.parquet into the data engine: ${reason}`);
  }
}

async function buildDerivedTables(engine: Engine): Promise<void> {
  try {
    for (const statement of DERIVED_TABLES_SQL) await engine.conn.query(statement);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new DataLoadError(`Could not prepare the loaded data: ${reason}`);
  }
}

/**
 * Rebuilds the derived tables (src/lib/derived-tables.ts) after rows were added to or removed
 * from the contract's tables in this session; queries made meanwhile wait for it.
 */
export async function refreshDerivedTables(): Promise<void> {
  const engine = await startDuckDb();
  await buildDerivedTables(engine);
  // The status line counts what the session holds now, not what the start-up loaded.
  if (status.state === 'ready') {
    const counts = (
      await engine.conn.query(
        `SELECT ${TABLE_NAMES.map((t) => `(SELECT count(*) FROM ${t})::INTEGER AS ${t}`).join(', ')},
          (SELECT count(*) FROM ${ADDED_LETTERS})::INTEGER AS added`,
      )
    ).toArray()[0] as Record<string, number>;
    const rowCounts = Object.fromEntries(TABLE_NAMES.map((t) => [t, Number(counts[t])])) as Record<
      TableName,
      number
    >;
    setStatus({ ...status, rowCounts, addedLetters: Number(counts.added) });
  }
  // On-demand tables built before (sure twins included) are built again from the changed rows,
  // each after those it is built from; the others wait.
  const built = ON_DEMAND_ORDER.filter((table) => engine.onDemandBuilds.has(table));
  engine.onDemandBuilds.clear();
  await buildOnDemandTables(engine, built);
}

/**
 * Builds the named on-demand derived tables (src/lib/derived-tables.ts), once each; later
 * queries wait on the same build.
 */
function buildOnDemandTables(engine: Engine, tables: readonly string[]): Promise<void> {
  // One after another, in the order given: a table may be built from one before it.
  let previous: Promise<void> = Promise.resolve();
  for (const table of tables) {
    let build = engine.onDemandBuilds.get(table);
    if (!build) {
      const statements = BUILT_ON_DEMAND[table] ?? [];
      build = previous.then(async () => {
        try {
          for (const statement of statements) await engine.conn.query(statement);
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          throw new DataLoadError(`Could not prepare the loaded data (${table}): ${reason}`);
        }
      });
      engine.onDemandBuilds.set(table, markSettled(build));
      build.catch(() => engine.onDemandBuilds.delete(table));
    }
    previous = build;
  }
  return previous;
}

/**
 * Runs `work` on a connection of its own, with the engine's Arrow module, for rows added or
 * replaced in this session inside one transaction (src/features/add-letters); closed after.
 */
export async function withOwnConnection<T>(
  work: (conn: AsyncDuckDBConnection, arrow: typeof Arrow) => Promise<T>,
): Promise<T> {
  const engine = await startDuckDb();
  const conn = await engine.db.connect();
  try {
    return await work(conn, engine.arrow);
  } finally {
    await conn.close();
  }
}

/** Loads the lazy columns that `sql` names, once per table; later queries wait on the same load. */
function loadLazyColumns(engine: Engine, sql: string): Promise<void> {
  return loadLazyTables(engine, (lazy) => lazy.pattern.test(sql));
}

/**
 * Loads every column left out of the start-up load, for code that reads whole tables without
 * naming their columns (`SELECT *`, e.g. to export them): until then such columns hold nulls.
 */
export async function loadAllColumns(): Promise<void> {
  await loadLazyTables(await startDuckDb(), () => true);
}

async function loadLazyTables(
  engine: Engine,
  wanted: (lazy: LazyColumns) => boolean,
): Promise<void> {
  const loads: Promise<void>[] = [];
  for (const table of TABLE_NAMES) {
    const lazy = LAZY_COLUMNS[table];
    if (!lazy || !wanted(lazy)) continue;
    let load = engine.lazyLoads.get(table);
    if (!load) {
      load = markSettled(loadLazyTable(engine, table, lazy));
      engine.lazyLoads.set(table, load);
      load.catch(() => engine.lazyLoads.delete(table));
    }
    loads.push(load);
  }
  await Promise.all(loads);
}

async function loadLazyTable(engine: Engine, table: TableName, lazy: LazyColumns): Promise<void> {
  const spec = Object.entries(TABLES[table]) as [string, ColumnType][];
  const columns = spec.filter(([name]) => lazy.key.includes(name) || lazy.columns.includes(name));
  const { batches } = engine.decoders.decode(
    { file: `${table}.parquet`, keep: true, columns, placeholders: [] },
    engine.decoders.keptBy.get(table),
  );
  const stage = `lazy_${table}`;
  await insertTable(engine, stage, columns, batches);
  // Rows added in this session (not from the file) keep their own values.
  const set = lazy.columns.map((c) => `${c} = coalesce(z.${c}, ${table}.${c})`).join(', ');
  const on = lazy.key.map((k) => `${table}.${k} = z.${k}`).join(' AND ');
  try {
    await engine.conn.query(`UPDATE ${table} SET ${set} FROM ${stage} AS z WHERE ${on}`);
  } finally {
    await engine.conn.query(`DROP TABLE IF EXISTS ${stage}`);
  }
}

function toPlainRows<Row>(table: Arrow.Table, arrow: typeof Arrow): Row[] {
  const fields = table.schema.fields;
  const columns = fields.map((_, i) => table.getChildAt(i));
  const rows: Row[] = [];
  for (let r = 0; r < table.numRows; r++) {
    const row: Record<string, unknown> = {};
    fields.forEach((field, i) => {
      row[field.name] = toPlain(columns[i]?.get(r), field.type, arrow);
    });
    rows.push(row as Row);
  }
  return rows;
}

function toPlain(value: unknown, type: Arrow.DataType, arrow: typeof Arrow): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return Number(value);
  if (arrow.DataType.isDate(type)) {
    const ms = value instanceof Date ? value.getTime() : Number(value);
    return new Date(ms).toISOString().slice(0, 10);
  }
  if (arrow.DataType.isTimestamp(type)) {
    return new Date(value instanceof Date ? value.getTime() : Number(value)).toISOString();
  }
  if (arrow.DataType.isDecimal(type)) {
    return Number(String(value)) / 10 ** (type as Arrow.Decimal).scale;
  }
  if (arrow.DataType.isList(type)) {
    const child = (type as Arrow.List).children[0]!.type;
    return Array.from(value as Iterable<unknown>, (v) => toPlain(v, child, arrow));
  }
  if (arrow.DataType.isStruct(type)) {
    const struct = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const child of (type as Arrow.Struct).children) {
      out[child.name] = toPlain(struct[child.name], child.type, arrow);
    }
    return out;
  }
  return value;
}
