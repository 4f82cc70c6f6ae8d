import { copyFile, mkdir, readdir, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { totalmem } from 'node:os';
import path from 'node:path';
import { type DuckDBAppender, DuckDBInstance, INTEGER, LIST } from '@duckdb/node-api';
import { TABLES, TABLE_NAMES, type ColumnType, type TableName } from '../../src/core/schema';
import type { ContractRows, LetterRows } from '@/core/pipeline/to-rows';

/** Quotes an identifier for DuckDB; names come from the schema constants, never from input. */
function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Quotes a string literal for DuckDB (file paths). */
function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** The type a column is staged as: dates go in as ISO text and are cast on the way out. */
function stagedType(type: ColumnType): string {
  return type === 'DATE' ? 'VARCHAR' : type;
}

type Connection = Awaited<ReturnType<DuckDBInstance['connect']>>;
type Columns = [string, ColumnType][];

/** The three per-letter tables, staged as letters are read. */
export const LETTER_TABLES = ['letters', 'findings', 'finding_themes'] as const;
export type LetterTable = (typeof LETTER_TABLES)[number];

// Staging-only columns, never written out: which input a row came from, where the row stands
// within its letter, and (at the end) where the letter stands in the output.
const FILE = '_file';
const SEQ = '_seq';
const RANK = '_rank';

/** Folder name prefix of a run's staging folder inside the output folder. */
const STAGE_PREFIX = '.ingest-';
/** A staging folder's name: the prefix, the process id and a time stamp. */
const STAGE_NAME_RE = /^\.ingest-(\d+)-\d+$/;

/** While letters are appended, DuckDB spills staged rows to its file beyond this. */
const APPEND_MEMORY = '128MB';
/**
 * DuckDB's memory while it sorts a table's staged rows into the output order and writes them.
 * It holds a whole Parquet row group in memory while writing one (up to 122,880 rows): for
 * `letters` that is every letter's text at once, which 512 MB holds for 50,000 letters; the
 * other tables' row groups are small. A run that still runs out is retried with DuckDB's own
 * default limit (80% of the machine's memory, what an in-memory database has).
 */
const WRITE_MEMORY: Record<LetterTable, string> = {
  letters: '512MB',
  findings: '128MB',
  finding_themes: '128MB',
};
const FALLBACK_MEMORY = `${Math.floor((totalmem() * 0.8) / 2 ** 20)}MiB`;

/** Appends one value of a column to an appender. */
function appendValue(appender: DuckDBAppender, type: ColumnType, value: unknown): void {
  if (value === null || value === undefined) appender.appendNull();
  else if (type === 'VARCHAR' || type === 'DATE') appender.appendVarchar(String(value));
  else if (type === 'INTEGER') appender.appendInteger(Number(value));
  else if (type === 'DOUBLE') appender.appendDouble(Number(value));
  else if (type === 'BOOLEAN') appender.appendBoolean(Boolean(value));
  else appender.appendList((value as number[]).map(Number), LIST(INTEGER));
}

/** Appends rows of a contract table (in the order given) to an appender. */
function appendTableRows(
  appender: DuckDBAppender,
  columns: Columns,
  rows: readonly object[],
): void {
  for (const row of rows as Record<string, unknown>[]) {
    for (const [name, type] of columns) appendValue(appender, type, row[name]);
    appender.endRow();
  }
}

/** `SELECT` list of a contract table, casting staged dates back to DATE. */
function selectList(columns: Columns): string {
  return columns
    .map(([n, t]) => (t === 'DATE' ? `CAST(${ident(n)} AS DATE) AS ${ident(n)}` : ident(n)))
    .join(', ');
}

/** Copies a query's rows to a SNAPPY Parquet file. */
async function copyToParquet(connection: Connection, query: string, file: string): Promise<void> {
  await connection.run(`COPY (${query}) TO ${literal(file)} (FORMAT parquet, COMPRESSION snappy)`);
}

/**
 * A run's output being built: letters' rows are appended to a DuckDB file in a staging folder
 * inside the output folder as they are read, so that a big run never holds them all in memory;
 * `commit` writes the contract's Parquet files in letter-id order and moves them into place in
 * one step, and nothing in the output folder changes unless it succeeds.
 */
export class ParquetStage {
  private readonly appenders: Record<LetterTable, DuckDBAppender>;
  private readonly columns: Record<TableName, Columns>;
  private closed = false;
  private committed = false;

  private constructor(
    private readonly dir: string,
    private readonly tmp: string,
    private readonly createdDir: boolean,
    private readonly instance: DuckDBInstance,
    private readonly connection: Connection,
    appenders: Record<LetterTable, DuckDBAppender>,
  ) {
    this.appenders = appenders;
    this.columns = Object.fromEntries(
      TABLE_NAMES.map((t) => [t, Object.entries(TABLES[t]) as Columns]),
    ) as Record<TableName, Columns>;
  }

  /** Opens a staging folder (and DuckDB file) inside `dir`, creating `dir` if need be. */
  static async open(dir: string): Promise<ParquetStage> {
    const createdDir = !(await stat(dir).catch(() => null));
    await mkdir(dir, { recursive: true });
    await removeStaleStages(dir);
    const tmp = path.join(dir, `${STAGE_PREFIX}${process.pid}-${Date.now()}`);
    await mkdir(tmp);
    let instance: DuckDBInstance | null = null;
    try {
      instance = await DuckDBInstance.create(path.join(tmp, 'stage.duckdb'), {
        // One thread: the Parquet files come out the same on every machine and every run.
        threads: '1',
        memory_limit: APPEND_MEMORY,
        preserve_insertion_order: 'true',
      });
      const connection = await instance.connect();
      const appenders = {} as Record<LetterTable, DuckDBAppender>;
      for (const table of LETTER_TABLES) {
        const columns = Object.entries(TABLES[table]) as Columns;
        const defs = [
          ...[FILE, SEQ].map((n) => `${ident(n)} INTEGER`),
          ...columns.map(([n, t]) => `${ident(n)} ${stagedType(t)}`),
        ];
        await connection.run(`CREATE TABLE ${ident(`stage_${table}`)} (${defs.join(', ')})`);
        appenders[table] = await connection.createAppender(`stage_${table}`);
      }
      return new ParquetStage(dir, tmp, createdDir, instance, connection, appenders);
    } catch (error) {
      instance?.closeSync();
      await rm(tmp, { recursive: true, force: true });
      if (createdDir) await rmdir(dir).catch(() => undefined);
      throw error;
    }
  }

  /** The staging folder, for other scratch files of the run (removed with it). */
  get scratchDir(): string {
    return this.tmp;
  }

  /** Stages one letter's rows under the index of the file it was read from. */
  append(fileIndex: number, rows: LetterRows): void {
    this.appendRows(fileIndex, 'letters', [rows.letter]);
    this.appendRows(fileIndex, 'findings', rows.findings);
    this.appendRows(fileIndex, 'finding_themes', rows.findingThemes);
  }

  /** Stages rows of a per-letter table under a file index; they keep the order given. */
  appendRows(fileIndex: number, table: LetterTable, rows: readonly object[]): void {
    const appender = this.appenders[table];
    const columns = this.columns[table];
    rows.forEach((row, seq) => {
      appender.appendInteger(fileIndex);
      appender.appendInteger(seq);
      for (const [name, type] of columns)
        appendValue(appender, type, (row as Record<string, unknown>)[name]);
      appender.endRow();
    });
  }

  /**
   * Writes the Parquet files with the letters of `order` (file indexes, in output order; other
   * staged letters are left out), the `themes` and `councils` rows and the `extra` files (name →
   * content), and moves them all into the output folder together.
   */
  async commit(
    order: readonly number[],
    tables: Pick<ContractRows, 'themes' | 'councils'>,
    extra: Record<string, string> = {},
  ): Promise<string[]> {
    const { connection } = this;
    try {
      for (const table of LETTER_TABLES) {
        this.appenders[table].flushSync();
        this.appenders[table].closeSync();
      }
      await connection.run(
        `CREATE TABLE ${ident('stage_order')} (${ident(FILE)} INTEGER, ${ident(RANK)} INTEGER)`,
      );
      const orderAppender = await connection.createAppender('stage_order');
      order.forEach((fileIndex, rank) => {
        orderAppender.appendInteger(fileIndex);
        orderAppender.appendInteger(rank);
        orderAppender.endRow();
      });
      orderAppender.flushSync();
      orderAppender.closeSync();
      const parquetFile = (table: TableName) => path.join(this.tmp, `${table}.parquet`);
      for (const table of ['themes', 'councils'] as const)
        await writeSmallTable(
          connection,
          table,
          this.columns[table],
          tables[table],
          parquetFile(table),
        );
      for (const table of LETTER_TABLES) {
        const query = `SELECT ${selectList(this.columns[table])} FROM ${ident(`stage_${table}`)} JOIN ${ident('stage_order')} USING (${ident(FILE)}) ORDER BY ${ident(RANK)}, ${ident(SEQ)}`;
        await connection.run(`SET memory_limit = '${WRITE_MEMORY[table]}'`);
        try {
          await copyToParquet(connection, query, parquetFile(table));
        } catch (error) {
          if (!/out of memory/i.test(error instanceof Error ? error.message : '')) throw error;
          await connection.run(`SET memory_limit = '${FALLBACK_MEMORY}'`);
          await copyToParquet(connection, query, parquetFile(table));
        }
      }
      for (const [name, content] of Object.entries(extra))
        await writeFile(path.join(this.tmp, name), content);
      const names = [...TABLE_NAMES.map((t) => `${t}.parquet`), ...Object.keys(extra)];
      this.close();
      await swapIn(this.tmp, this.dir, names);
      this.committed = true;
      return names;
    } finally {
      await this.discard();
    }
  }

  /** Drops everything staged; the output folder is left as it was. */
  async discard(): Promise<void> {
    this.close();
    await rm(this.tmp, { recursive: true, force: true });
    if (this.createdDir && !this.committed) await rmdir(this.dir).catch(() => undefined);
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

/** Stages a small table (themes, councils) whole and copies it out as Parquet. */
async function writeSmallTable(
  connection: Connection,
  table: TableName,
  columns: Columns,
  rows: readonly object[],
  file: string,
): Promise<void> {
  const stage = `stage_${table}`;
  await connection.run(
    `CREATE TABLE ${ident(stage)} (${columns.map(([n, t]) => `${ident(n)} ${stagedType(t)}`).join(', ')})`,
  );
  const appender = await connection.createAppender(stage);
  appendTableRows(appender, columns, rows);
  appender.flushSync();
  appender.closeSync();
  await copyToParquet(connection, `SELECT ${selectList(columns)} FROM ${ident(stage)}`, file);
}

/**
 * Removes staging folders left in `dir` by runs that were killed (their process is gone), so
 * that an interrupted big run does not leave its staged rows behind for good.
 */
async function removeStaleStages(dir: string): Promise<void> {
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const pid = STAGE_NAME_RE.exec(name)?.[1];
    if (pid === undefined || Number(pid) === process.pid || isRunning(Number(pid))) continue;
    await rm(path.join(dir, name), { recursive: true, force: true });
  }
}

/** True when a process with this id exists (signal 0 only checks). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Writes the contract's tables as SNAPPY Parquet files into `dir`, rows in the order given,
 * atomically like a run of the CLI (see `ParquetStage`); `extra` files (name → content) are
 * moved in the same step.
 */
export async function writeParquetFiles(
  rows: ContractRows,
  dir: string,
  extra: Record<string, string> = {},
): Promise<string[]> {
  const stage = await ParquetStage.open(dir);
  try {
    for (const table of LETTER_TABLES) stage.appendRows(0, table, rows[table]);
  } catch (error) {
    await stage.discard();
    throw error;
  }
  return stage.commit([0], rows, extra);
}

/**
 * Moves the new files from `tmp` into `dir`. The previous files are first copied aside, so that
 * if any move fails the earlier set is put back whole rather than left half-replaced.
 */
async function swapIn(tmp: string, dir: string, names: string[]): Promise<void> {
  const backup = path.join(tmp, '.previous');
  await mkdir(backup);
  const previous: string[] = [];
  for (const name of names) {
    const target = path.join(dir, name);
    if (await stat(target).catch(() => null)) {
      await copyFile(target, path.join(backup, name));
      previous.push(name);
    }
  }
  try {
    for (const name of names) await rename(path.join(tmp, name), path.join(dir, name));
  } catch (error) {
    for (const name of names) {
      if (previous.includes(name)) await copyFile(path.join(backup, name), path.join(dir, name));
      else await rm(path.join(dir, name), { force: true });
    }
    throw error;
  }
}
