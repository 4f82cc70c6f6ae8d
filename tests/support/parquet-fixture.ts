import { afterAll, beforeAll, inject } from 'vitest';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { parquetReadObjects } from 'hyparquet';
import {
  TABLE_NAMES,
  type CouncilRow,
  type FindingRow,
  type FindingThemeRow,
  type LetterRow,
  type TableName,
  type ThemeRow,
} from '@/core/schema';
import { ALL_DERIVED_TABLES_SQL } from '@/lib/derived-tables';
import { inlineParams, type SqlQuery } from '@/lib/sql';
import { runIngest } from '../helpers/run-ingest';
import { buildInputsHash, siteFolders } from './built-site';

const made = new Set<string>();

/**
 * The ingest of `data/letters`, made once for the current sources and kept beside their site
 * build (tests/support/built-site.ts): the first test file to want it runs the ingest CLI, and
 * every later one (in this run or the next, until a source changes) copies its files. The CLI is
 * deterministic (tests/pipeline/ingest-cli.test.ts checks two runs give the same bytes), so a
 * copy is what a fresh run would give. Two workers that start at once may both run it; the first
 * to finish publishes its files with one rename and the other's are dropped.
 */
function sharedIngest(): string {
  const site = inject('browserSite') as { dir: string } | undefined;
  const base = join(site?.dir ?? siteFolders(buildInputsHash()).dir, 'ingested');
  const files = join(base, 'files');
  if (existsSync(files)) return files;
  mkdirSync(base, { recursive: true });
  const work = mkdtempSync(join(base, 'run-'));
  try {
    const out = join(work, 'out');
    const run = runIngest(['--out', out, 'data/letters']);
    if (run.status !== 0) throw new Error(`ingest exited ${run.status}: ${run.stderr}`);
    for (const table of TABLE_NAMES) {
      if (!existsSync(join(out, `${table}.parquet`)))
        throw new Error(`ingest wrote no ${table}.parquet`);
    }
    // The output folder's files are links into the ingest's sets folder: keep their contents.
    const copied = join(work, 'files');
    mkdirSync(copied);
    for (const name of readdirSync(out)) copyFileSync(join(out, name), join(copied, name));
    try {
      renameSync(copied, files);
    } catch (error) {
      if (!existsSync(files)) throw error;
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return files;
}

/**
 * A folder of its own holding the pipeline's Parquet output for `data/letters` (a copy of the
 * ingest CLI's output, made once; see {@link sharedIngest}); `DASHBOARD_TEST_DATA` points at a
 * ready-made folder instead.
 */
export function ingestLetters(): string {
  const given = process.env.DASHBOARD_TEST_DATA;
  if (given) return resolve(given);
  const source = sharedIngest();
  const out = mkdtempSync(join(tmpdir(), 'dashboard-data-'));
  made.add(out);
  for (const name of readdirSync(source)) copyFileSync(join(source, name), join(out, name));
  return out;
}

/** Deletes a folder made by {@link ingestLetters}; a folder given through the environment stays. */
export function removeIngested(dir: string): void {
  if (made.delete(dir)) rmSync(dir, { recursive: true, force: true });
}

/** An in-memory DuckDB with the contract's tables loaded from the Parquet files in `dir`, and the derived tables. */
export async function openDatabase(dir: string): Promise<DuckDBConnection> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  for (const table of TABLE_NAMES) {
    await connection.run(`CREATE TABLE ${table} AS SELECT * FROM read_parquet($path)`, {
      path: join(dir, `${table}.parquet`),
    });
  }
  // The tables the dashboard derives after loading, which some SQL builders read.
  for (const statement of ALL_DERIVED_TABLES_SQL) await connection.run(statement);
  return connection;
}

function plain(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}

/**
 * Runs a builder's query as the page does, its values written into the SQL (`inlineParams`),
 * returning rows shaped as the app sees them.
 */
export async function runBuilt<Row>(connection: DuckDBConnection, built: SqlQuery): Promise<Row[]> {
  const reader = await connection.runAndReadAll(inlineParams(built));
  return reader.getRowObjectsJS().map((row) => plain(row) as Row);
}

/** Runs a builder's query with its parameters bound by DuckDB instead. */
export async function runBound<Row>(connection: DuckDBConnection, built: SqlQuery): Promise<Row[]> {
  const reader = await connection.runAndReadAll(built.sql, [...built.params] as DuckDBValue[]);
  return reader.getRowObjectsJS().map((row) => plain(row) as Row);
}

/** A Parquet file's rows read with hyparquet, independently of DuckDB, for expected values. */
export async function readRows<Row>(dir: string, table: TableName): Promise<Row[]> {
  const bytes = readFileSync(join(dir, `${table}.parquet`));
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const rows = await parquetReadObjects({ file });
  return rows.map((row) => plain(row) as Row);
}

/** The contract's tables read as plain rows, to compute expectations without SQL. */
export interface ContractTables {
  letters: LetterRow[];
  findings: FindingRow[];
  findingThemes: FindingThemeRow[];
  themes: ThemeRow[];
  councils: CouncilRow[];
}

/** Reads all five of the contract's Parquet files in `dir` as plain rows. */
export async function readContractTables(dir: string): Promise<ContractTables> {
  const [letters, findings, findingThemes, themes, councils] = await Promise.all([
    readRows<LetterRow>(dir, 'letters'),
    readRows<FindingRow>(dir, 'findings'),
    readRows<FindingThemeRow>(dir, 'finding_themes'),
    readRows<ThemeRow>(dir, 'themes'),
    readRows<CouncilRow>(dir, 'councils'),
  ]);
  return { letters, findings, findingThemes, themes, councils };
}

/** The real letters ingested into a temporary folder, opened in DuckDB and read as plain rows. */
export interface ContractFixture extends ContractTables {
  /** The folder holding the pipeline's Parquet output (see {@link ingestLetters}). */
  dir: string;
  /** An in-memory DuckDB over that folder (see {@link openDatabase}). */
  db: DuckDBConnection;
}

/**
 * Registers a `beforeAll` that ingests `data/letters`, opens the result in DuckDB and reads the
 * contract's tables, and an `afterAll` that closes the database and removes the folder; the
 * returned object's fields are filled in by that `beforeAll`, so read them inside tests only.
 */
export function useContractFixture(): ContractFixture {
  const fixture: Partial<ContractFixture> = {};
  beforeAll(async () => {
    fixture.dir = ingestLetters();
    fixture.db = await openDatabase(fixture.dir);
    Object.assign(fixture, await readContractTables(fixture.dir));
  });
  afterAll(() => {
    fixture.db?.closeSync();
    if (fixture.dir) removeIngested(fixture.dir);
  });
  return fixture as ContractFixture;
}
