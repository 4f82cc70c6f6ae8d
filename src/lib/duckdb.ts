import { TABLE_NAMES, TABLES, type ColumnType, type TableName } from '@/core/schema';
import { parquetUrl } from '@/lib/data-config';
import type { SqlParam, SqlQuery } from '@/lib/sql';
import mvpWasm from '@duckdb/duckdb-wasm/dist/duckdb-mvp.wasm?url';
import mvpWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-mvp.worker.js?url';
import ehWasm from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import ehWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js?url';
import type { AsyncDuckDB, AsyncDuckDBConnection } from '@duckdb/duckdb-wasm';
import type * as Arrow from 'apache-arrow';

/** Where the engine is: the app shows this to the user and the browser tests wait on `ready`. */
export type EngineStatus =
  | { state: 'idle' }
  | { state: 'loading'; step: string }
  | { state: 'ready'; readyMs: number; rowCounts: Record<TableName, number> }
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
}

type ColumnValues = unknown[];

let enginePromise: Promise<Engine> | null = null;
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
    enginePromise = boot(started).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      setStatus({ state: 'error', message });
      document.documentElement.dataset.duckdb = 'error';
      enginePromise = null;
      throw error instanceof DataLoadError ? error : new DataLoadError(message);
    });
  }
  return enginePromise;
}

/** Forgets a failed or finished engine so that the next query starts afresh (the Retry button). */
export async function resetDuckDb(): Promise<void> {
  const previous = enginePromise;
  enginePromise = null;
  delete document.documentElement.dataset.duckdb;
  setStatus({ state: 'idle' });
  if (previous) {
    const engine = await previous.catch(() => null);
    engine?.worker.terminate();
  }
}

/** Runs one prepared statement and returns plain objects (numbers, not BigInt; dates as ISO). */
export async function query<Row>(sql: string, params: readonly SqlParam[] = []): Promise<Row[]> {
  const engine = await startDuckDb();
  const statement = await engine.conn.prepare(sql);
  try {
    const table = await statement.query(...params);
    return toPlainRows<Row>(table, engine.arrow);
  } finally {
    await statement.close();
  }
}

/** Runs a builder's query: `query` with the builder's SQL and parameters. */
export function runQuery<Row>(built: SqlQuery): Promise<Row[]> {
  return query<Row>(built.sql, built.params);
}

async function boot(started: number): Promise<Engine> {
  document.documentElement.dataset.duckdb = 'loading';
  setStatus({ state: 'loading', step: 'Starting the data engine' });
  // The files download and decode while the engine instantiates: neither waits for the other.
  const decoded = TABLE_NAMES.map((table) => ({ table, columns: fetchAndDecode(table) }));
  decoded.forEach((d) => d.columns.catch(() => undefined));
  const engine = await instantiate();
  try {
    const rowCounts = {} as Record<TableName, number>;
    for (const { table, columns } of decoded) {
      setStatus({ state: 'loading', step: `Loading ${table}` });
      rowCounts[table] = await insertTable(engine, table, await columns);
    }
    const readyMs = Math.round(performance.now() - started);
    document.documentElement.dataset.duckdb = 'ready';
    setStatus({ state: 'ready', readyMs, rowCounts });
    return engine;
  } catch (error) {
    engine.worker.terminate();
    throw error;
  }
}

async function instantiate(): Promise<Engine> {
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

async function fetchAndDecode(table: TableName): Promise<Map<string, ColumnValues>> {
  const file = `${table}.parquet`;
  const url = parquetUrl(table);
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
  const { parquetRead } = await import('hyparquet');
  const chunks = new Map<string, { rowStart: number; values: ArrayLike<unknown> }[]>();
  try {
    await parquetRead({
      file: buffer,
      columns: Object.keys(TABLES[table]),
      // Dates stay as day numbers: turned into ISO text here and cast back to DATE in DuckDB.
      parsers: { dateFromDays: (days: number) => days },
      onChunk: ({ columnName, columnData, rowStart }) => {
        const list = chunks.get(columnName) ?? [];
        list.push({ rowStart, values: columnData });
        chunks.set(columnName, list);
      },
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new DataLoadError(`${file} is not a readable Parquet file: ${reason}`);
  }
  const missing = Object.keys(TABLES[table]).filter((column) => !chunks.has(column));
  if (missing.length > 0) {
    throw new DataLoadError(
      `${file} lacks the column(s) ${missing.join(', ')} that the data contract requires.`,
    );
  }
  const columns = new Map<string, ColumnValues>();
  for (const [name, list] of chunks) {
    list.sort((a, b) => a.rowStart - b.rowStart);
    columns.set(
      name,
      list.flatMap((chunk) => Array.from(chunk.values)),
    );
  }
  return columns;
}

function toArrowVector(arrow: typeof Arrow, type: ColumnType, values: ColumnValues): Arrow.Vector {
  const int = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  switch (type) {
    case 'VARCHAR':
      return arrow.vectorFromArray(
        values.map((v) => (v === null || v === undefined ? null : String(v))),
        new arrow.Utf8(),
      );
    case 'INTEGER':
      return arrow.vectorFromArray(values.map(int), new arrow.Int32());
    case 'BOOLEAN':
      return arrow.vectorFromArray(
        values.map((v) => (v === null || v === undefined ? null : Boolean(v))),
        new arrow.Bool(),
      );
    case 'DATE':
      return arrow.vectorFromArray(values.map(dayToIso), new arrow.Utf8());
    case 'INTEGER[]':
      return arrow.vectorFromArray(
        values.map((v) => (Array.isArray(v) ? v.map(int) : null)),
        new arrow.List(new arrow.Field('item', new arrow.Int32(), true)),
      );
  }
}

function dayToIso(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'string') return value.slice(0, 10);
  return new Date(Number(value) * 86_400_000).toISOString().slice(0, 10);
}

async function insertTable(
  engine: Engine,
  table: TableName,
  columns: Map<string, ColumnValues>,
): Promise<number> {
  const spec = Object.entries(TABLES[table]) as [string, ColumnType][];
  const rowCount = columns.get(spec[0]![0])?.length ?? 0;
  const stage = `stage_${table}`;
  try {
    await engine.conn.query(`DROP TABLE IF EXISTS ${table}`);
    if (rowCount === 0) {
      const ddl = spec.map(([name, type]) => `${name} ${type}`).join(', ');
      await engine.conn.query(`CREATE TABLE ${table} (${ddl})`);
      return 0;
    }
    const vectors: Record<string, Arrow.Vector> = {};
    for (const [name, type] of spec) {
      vectors[name] = toArrowVector(engine.arrow, type, columns.get(name) ?? []);
    }
    await engine.conn.insertArrowTable(new engine.arrow.Table(vectors), {
      name: stage,
      create: true,
    });
    // Cast through the contract's types so every table has exactly the declared schema.
    const select = spec.map(([name, type]) => `CAST(${name} AS ${type}) AS ${name}`).join(', ');
    await engine.conn.query(`CREATE TABLE ${table} AS SELECT ${select} FROM ${stage}`);
    await engine.conn.query(`DROP TABLE ${stage}`);
    return rowCount;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new DataLoadError(`Could not load ${table}.parquet into the data engine: ${reason}`);
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
