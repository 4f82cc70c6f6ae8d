import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { totalmem } from 'node:os';
import path from 'node:path';
import { type DuckDBAppender, DuckDBInstance, INTEGER, LIST } from '@duckdb/node-api';
import { TABLES, TABLE_NAMES, type ColumnType, type TableName } from '../../src/core/schema';
import type { ContractRows, LetterRows } from '@/core/pipeline/to-rows';
import { pauseAt } from './fault-hook';
import { OutputDir } from './output-dir';

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

/** The letters' column kept out of the database until the end (`TextFile`). */
const TEXT_COLUMN = 'source_text';

// Staging-only columns, never written out: which input a row came from, where the row stands
// within its letter, and (at the end) where the letter stands in the output.
const FILE = '_file';
const SEQ = '_seq';
const RANK = '_rank';

/** While letters are appended, DuckDB spills staged rows to its file beyond this. */
const APPEND_MEMORY = '128MB';
/** Characters of text (letters' and findings') that the appenders may hold before a flush. */
const FLUSH_CHARS = 16 * 2 ** 20;
/**
 * DuckDB's memory while it sorts a table's staged rows into the output order and writes them
 * (a Parquet row group is held whole while it is written). A run that still runs out is retried
 * with DuckDB's own default limit (80% of the machine's memory, what an in-memory database has).
 * Letters' texts are kept out of the sort (`TextFile`): DuckDB sorts long strings only in
 * memory, and the texts of 50,000 letters came to 364 MB.
 */
const WRITE_MEMORY = '128MB';
/**
 * Rows per row group of `letters.parquet`: some 15-30 MB of text, written as they come; the
 * other tables keep DuckDB's default (122,880 rows, a few MB to some 40 MB).
 */
const LETTERS_ROW_GROUP = 2048;
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

/** Copies a query's rows to a SNAPPY Parquet file, in row groups of `rowGroup` rows if given. */
async function copyToParquet(
  connection: Connection,
  query: string,
  file: string,
  rowGroup?: number,
): Promise<void> {
  const options = rowGroup === undefined ? '' : `, ROW_GROUP_SIZE ${rowGroup}`;
  await connection.run(
    `COPY (${query}) TO ${literal(file)} (FORMAT parquet, COMPRESSION snappy${options})`,
  );
}

/**
 * The letters' texts, staged in a file of their own beside the database as they come (UTF-8,
 * one after the other) rather than in it: at the end they are handed to DuckDB in the output
 * order, so that its sort never carries them. Kept: where each letter's text is, by file index
 * and row.
 */
class TextFile {
  private readonly fd: number;
  private size = 0;
  /** File index → the row's offset and byte length, two numbers per row (-1: no text). */
  private readonly spans = new Map<number, number[]>();

  constructor(readonly file: string) {
    this.fd = openSync(file, 'w+');
  }

  /** Keeps the text of a row of the letters staged under `fileIndex`. */
  add(fileIndex: number, seq: number, text: string | null): void {
    let list = this.spans.get(fileIndex);
    if (!list) this.spans.set(fileIndex, (list = []));
    if (text === null) {
      list[seq * 2] = -1;
      list[seq * 2 + 1] = -1;
      return;
    }
    const bytes = Buffer.from(text, 'utf8');
    writeSync(this.fd, bytes, 0, bytes.length, this.size);
    list[seq * 2] = this.size;
    list[seq * 2 + 1] = bytes.length;
    this.size += bytes.length;
  }

  /** Appends the texts of the rows of `order`'s letters, in that order, one row each. */
  appendInOrder(order: readonly number[], appender: DuckDBAppender): void {
    let held = 0;
    for (const fileIndex of order) {
      const list = this.spans.get(fileIndex) ?? [];
      for (let k = 0; k < list.length; k += 2) {
        const offset = list[k] as number;
        const length = list[k + 1] as number;
        if (offset < 0) appender.appendNull();
        else {
          const bytes = Buffer.allocUnsafe(length);
          readSync(this.fd, bytes, 0, length, offset);
          appender.appendVarchar(bytes.toString('utf8'));
          held += length;
        }
        appender.endRow();
        if (held >= FLUSH_CHARS) {
          appender.flushSync();
          held = 0;
        }
      }
    }
    appender.flushSync();
  }

  close(): void {
    closeSync(this.fd);
  }
}

/**
 * A run's output being built: letters' rows are appended to a DuckDB file in the run's scratch
 * folder as they are read, so that a big run never holds them all in memory; `commit` writes the
 * contract's Parquet files in letter-id order into a new set beside the published one and
 * publishes it in one step (output-dir.ts). The output folder is locked from `open` to the end
 * of the run, and nothing in it changes unless `commit` succeeds.
 */
export class ParquetStage {
  private readonly appenders: Record<LetterTable, DuckDBAppender>;
  private readonly columns: Record<TableName, Columns>;
  private closed = false;
  private held = 0;

  private constructor(
    /** The output folder, locked for this run. */
    readonly output: OutputDir,
    private readonly setDir: string,
    private readonly instance: DuckDBInstance,
    private readonly connection: Connection,
    appenders: Record<LetterTable, DuckDBAppender>,
    private readonly texts: TextFile,
  ) {
    this.appenders = appenders;
    this.columns = Object.fromEntries(
      TABLE_NAMES.map((t) => [t, Object.entries(TABLES[t]) as Columns]),
    ) as Record<TableName, Columns>;
  }

  /**
   * Claims the output folder `dir` (its lock: throws `OutputLockedError` when another ingest
   * holds it) and opens a staging database in the run's scratch folder beside it.
   */
  static async open(dir: string): Promise<ParquetStage> {
    const output = await OutputDir.claim(dir);
    let instance: DuckDBInstance | null = null;
    let texts: TextFile | null = null;
    try {
      const { setDir, scratchDir } = await output.stage();
      texts = new TextFile(path.join(scratchDir, 'letters-text.bin'));
      instance = await DuckDBInstance.create(path.join(scratchDir, 'stage.duckdb'), {
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
      pauseAt('staged');
      return new ParquetStage(output, setDir, instance, connection, appenders, texts);
    } catch (error) {
      texts?.close();
      instance?.closeSync();
      await output.abandon();
      throw error;
    }
  }

  /** Stages one letter's rows under the index of the file it was read from. */
  append(fileIndex: number, rows: LetterRows): void {
    this.appendRows(fileIndex, 'letters', [rows.letter]);
    this.appendRows(fileIndex, 'findings', rows.findings);
    this.appendRows(fileIndex, 'finding_themes', rows.findingThemes);
    // Text held by the appenders since they last handed their rows to the tables.
    for (const finding of rows.findings) this.held += finding.text.length;
    if (this.held >= FLUSH_CHARS) this.flush();
  }

  /**
   * Hands the appenders' rows to the staged tables, whose data DuckDB keeps within its memory
   * limit (the rest goes to the staging file). An appender holds its rows in memory of its own
   * until it has some 200,000 of them: for `letters`, every letter's text of a run.
   */
  private flush(): void {
    for (const table of LETTER_TABLES) this.appenders[table].flushSync();
    this.held = 0;
  }

  /**
   * Stages rows of a per-letter table under a file index; they keep the order given. A letter's
   * text goes to the text file (`TextFile`), its row to the database without it.
   */
  appendRows(fileIndex: number, table: LetterTable, rows: readonly object[]): void {
    const appender = this.appenders[table];
    const columns = this.columns[table];
    rows.forEach((row, seq) => {
      appender.appendInteger(fileIndex);
      appender.appendInteger(seq);
      for (const [name, type] of columns) {
        const value = (row as Record<string, unknown>)[name];
        if (table === 'letters' && name === TEXT_COLUMN) {
          this.texts.add(
            fileIndex,
            seq,
            value === null || value === undefined ? null : String(value),
          );
          appender.appendNull();
        } else appendValue(appender, type, value);
      }
      appender.endRow();
    });
  }

  /**
   * Writes the Parquet files with the letters of `order` (file indexes, in output order; other
   * staged letters are left out), the `themes` and `councils` rows and the `extra` files (name →
   * content) into a new set, and publishes it in the output folder in one step.
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
      const parquetFile = (table: TableName) => path.join(this.setDir, `${table}.parquet`);
      for (const table of ['themes', 'councils'] as const)
        await writeSmallTable(
          connection,
          table,
          this.columns[table],
          tables[table],
          parquetFile(table),
        );
      await connection.run(`SET memory_limit = '${WRITE_MEMORY}'`);
      for (const table of LETTER_TABLES) {
        const write = () =>
          table === 'letters'
            ? this.writeLetters(order, parquetFile(table))
            : copyToParquet(
                connection,
                `SELECT ${selectList(this.columns[table])} FROM ${ident(`stage_${table}`)} JOIN ${ident('stage_order')} USING (${ident(FILE)}) ORDER BY ${ident(RANK)}, ${ident(SEQ)}`,
                parquetFile(table),
              );
        try {
          await write();
        } catch (error) {
          if (!/out of memory/i.test(error instanceof Error ? error.message : '')) throw error;
          await connection.run(`SET memory_limit = '${FALLBACK_MEMORY}'`);
          await write();
          await connection.run(`SET memory_limit = '${WRITE_MEMORY}'`);
        }
        if (table === LETTER_TABLES[0]) pauseAt('writing');
      }
      for (const [name, content] of Object.entries(extra))
        await writeFile(path.join(this.setDir, name), content);
      const names = [...TABLE_NAMES.map((t) => `${t}.parquet`), ...Object.keys(extra)];
      this.close();
      await this.output.publish(this.setDir, names);
      return names;
    } finally {
      await this.discard();
    }
  }

  /**
   * Writes `letters.parquet`: the staged rows without their texts sorted into the output order,
   * the texts appended to a table of their own in that same order, the two put side by side.
   */
  private async writeLetters(order: readonly number[], file: string): Promise<void> {
    const { connection } = this;
    const columns = this.columns.letters;
    const sorted = ident('stage_letters_sorted');
    const texts = ident('stage_letters_text');
    await connection.run(`DROP TABLE IF EXISTS ${sorted}`);
    await connection.run(`DROP TABLE IF EXISTS ${texts}`);
    await connection.run(
      `CREATE TABLE ${sorted} AS SELECT ${selectList(columns.filter(([n]) => n !== TEXT_COLUMN))} FROM ${ident('stage_letters')} JOIN ${ident('stage_order')} USING (${ident(FILE)}) ORDER BY ${ident(RANK)}, ${ident(SEQ)}`,
    );
    await connection.run(`CREATE TABLE ${texts} (${ident(TEXT_COLUMN)} VARCHAR)`);
    const appender = await connection.createAppender('stage_letters_text');
    this.texts.appendInOrder(order, appender);
    appender.closeSync();
    const list = columns
      .map(([n]) => (n === TEXT_COLUMN ? `t.${ident(n)}` : `l.${ident(n)}`))
      .join(', ');
    await copyToParquet(
      connection,
      `SELECT ${list} FROM ${sorted} AS l POSITIONAL JOIN ${texts} AS t`,
      file,
      LETTERS_ROW_GROUP,
    );
  }

  /**
   * Drops everything staged and gives the output folder back (after `commit`, what is left of
   * the run); the published set is left as it is.
   */
  async discard(): Promise<void> {
    this.close();
    await this.output.abandon();
  }

  /** For a signal handler on the way out: as `discard`, synchronously, the database left open. */
  discardSync(): void {
    this.output.abandonSync();
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.texts.close();
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
 * Writes the contract's tables as SNAPPY Parquet files into `dir`, rows in the order given,
 * published in one step like a run of the CLI (see `ParquetStage`), `extra` files (name →
 * content) with them.
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
