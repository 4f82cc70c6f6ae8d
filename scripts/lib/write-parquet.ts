import { copyFile, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DuckDBInstance, INTEGER, LIST } from '@duckdb/node-api';
import { TABLES, TABLE_NAMES, type ColumnType, type TableName } from '../../src/core/schema';
import type { ContractRows } from '@/core/pipeline/to-rows';

/** Quotes an identifier for DuckDB; names come from the schema constants, never from input. */
function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** The type a column is staged as: dates go in as ISO text and are cast on the way out. */
function stagedType(type: ColumnType): string {
  return type === 'DATE' ? 'VARCHAR' : type;
}

/**
 * Writes the contract's tables as SNAPPY Parquet files into `dir`, atomically: every file is
 * written into a temporary folder first and moved into place only when all of them succeeded.
 * `extra` files (name → content) are moved in the same step.
 */
export async function writeParquetFiles(
  rows: ContractRows,
  dir: string,
  extra: Record<string, string> = {},
): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const tmp = path.join(dir, `.ingest-${process.pid}-${Date.now()}`);
  await mkdir(tmp);
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const connection = await instance.connect();
  try {
    for (const table of TABLE_NAMES) await writeTable(connection, table, rows, tmp);
    for (const [name, content] of Object.entries(extra))
      await writeFile(path.join(tmp, name), content);
    const names = [...TABLE_NAMES.map((t) => `${t}.parquet`), ...Object.keys(extra)];
    await swapIn(tmp, dir, names);
    return names;
  } finally {
    connection.closeSync();
    instance.closeSync();
    await rm(tmp, { recursive: true, force: true });
  }
}

type Connection = Awaited<ReturnType<DuckDBInstance['connect']>>;

/** Stages one table through DuckDB's appender and copies it out as Parquet. */
async function writeTable(
  connection: Connection,
  table: TableName,
  rows: ContractRows,
  dir: string,
): Promise<void> {
  const columns = Object.entries(TABLES[table]) as [string, ColumnType][];
  const stage = `stage_${table}`;
  await connection.run(
    `CREATE TABLE ${ident(stage)} (${columns.map(([n, t]) => `${ident(n)} ${stagedType(t)}`).join(', ')})`,
  );
  const appender = await connection.createAppender(stage);
  for (const row of rows[table] as unknown as Record<string, unknown>[]) {
    for (const [name, type] of columns) {
      const value = row[name];
      if (value === null || value === undefined) appender.appendNull();
      else if (type === 'VARCHAR' || type === 'DATE') appender.appendVarchar(String(value));
      else if (type === 'INTEGER') appender.appendInteger(Number(value));
      else if (type === 'BOOLEAN') appender.appendBoolean(Boolean(value));
      else appender.appendList((value as number[]).map(Number), LIST(INTEGER));
    }
    appender.endRow();
  }
  appender.flushSync();
  appender.closeSync();
  const select = columns
    .map(([n, t]) => (t === 'DATE' ? `CAST(${ident(n)} AS DATE) AS ${ident(n)}` : ident(n)))
    .join(', ');
  const file = path.join(dir, `${table}.parquet`).replace(/'/g, "''");
  await connection.run(
    `COPY (SELECT ${select} FROM ${ident(stage)}) TO '${file}' (FORMAT parquet, COMPRESSION snappy)`,
  );
  await connection.run(`DROP TABLE ${ident(stage)}`);
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
