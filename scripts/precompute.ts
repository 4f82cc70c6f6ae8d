/**
 * `npm run precompute -- [DIR]`: answers the default overview's queries over the Parquet files in
 * DIR (default public/data) with the dashboard's own SQL builders and writes DIR/overview.json,
 * which the page paints from while DuckDB-WASM starts.
 */
import { createHash } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { defaultTaxonomy } from '../src/core/pipeline/taxonomy';
import { CONTRACT_VERSION, TABLE_NAMES } from '../src/core/schema';
import { PRECOMPUTED_QUERIES } from '../src/shell/precomputed-queries';
import { DERIVED_TABLES_SQL } from '../src/lib/derived-tables';
import { PRECOMPUTED_FILE, type PrecomputedFile } from '../src/lib/precomputed';

/** A value as the dashboard's query() returns it: numbers, not BigInt; dates as ISO text. */
function plain(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

/**
 * Loads the contract's tables from `dir` into an in-memory DuckDB, with the derived tables, as the
 * page does.
 */
export async function openParquetDir(dir: string): Promise<DuckDBConnection> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  for (const table of TABLE_NAMES)
    await connection.run(`CREATE TABLE ${table} AS SELECT * FROM read_parquet($path)`, {
      path: path.join(dir, `${table}.parquet`),
    });
  for (const statement of DERIVED_TABLES_SQL) await connection.run(statement);
  return connection;
}

/** Runs every precomputed query over the tables on `connection`. */
export async function precompute(connection: DuckDBConnection): Promise<PrecomputedFile> {
  const tables: Record<string, number> = {};
  for (const table of TABLE_NAMES) {
    const reader = await connection.runAndReadAll(`SELECT count(*) AS n FROM ${table}`);
    tables[table] = Number(reader.getRowObjectsJS()[0]!.n);
  }
  const queries: Record<string, unknown[]> = {};
  for (const [key, build] of Object.entries(PRECOMPUTED_QUERIES)) {
    const built = build();
    const reader = await connection.runAndReadAll(built.sql, [...built.params] as DuckDBValue[]);
    queries[key] = reader.getRowObjectsJS().map(plain);
  }
  return { format: 1, tables, queries };
}

/**
 * The data's version: the contract's and the taxonomy's versions and the first 12 hex digits of a
 * SHA-256 over the five Parquet files' bytes, in the contract's table order.
 */
export async function dataVersionOf(dir: string): Promise<string> {
  const hash = createHash('sha256');
  for (const table of TABLE_NAMES) hash.update(await readFile(path.join(dir, `${table}.parquet`)));
  return `contract ${CONTRACT_VERSION} · taxonomy ${defaultTaxonomy.version} · data ${hash.digest('hex').slice(0, 12)}`;
}

/** The build day: SOURCE_DATE_EPOCH's (reproducible builds) or today's, as `YYYY-MM-DD`. */
function buildDay(): string {
  const epoch = Number(process.env.SOURCE_DATE_EPOCH);
  return (Number.isFinite(epoch) && epoch > 0 ? new Date(epoch * 1000) : new Date())
    .toISOString()
    .slice(0, 10);
}

/** Writes DIR/overview.json for the Parquet files in DIR, replacing it atomically. */
export async function writePrecomputed(dir: string): Promise<string> {
  const connection = await openParquetDir(dir);
  try {
    const file = path.join(dir, PRECOMPUTED_FILE);
    const tmp = `${file}.tmp-${process.pid}`;
    const answers = await precompute(connection);
    const stamped: PrecomputedFile = {
      ...answers,
      data_version: await dataVersionOf(dir),
      built_on: buildDay(),
    };
    await writeFile(tmp, `${JSON.stringify(stamped)}\n`);
    await rename(tmp, file);
    return file;
  } finally {
    connection.closeSync();
  }
}

async function main(): Promise<void> {
  const dir = process.argv[2] ?? 'public/data';
  const file = await writePrecomputed(dir);
  process.stderr.write(`precompute: wrote ${file}\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    process.stderr.write(
      `precompute: ${error instanceof Error ? error.message : String(error)} (run the ingest first?)\n`,
    );
    process.exit(1);
  });
}
