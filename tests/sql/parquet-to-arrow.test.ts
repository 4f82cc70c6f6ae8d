import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { tableFromIPC } from 'apache-arrow';
import { parquetReadObjects } from 'hyparquet';
import { ADDED_COLUMNS, TABLE_NAMES, TABLES, type ColumnType, type TableName } from '@/core/schema';
import { decodeParquetToArrow } from '@/lib/parquet-to-arrow';
import { writeSyntheticParquet } from '../../scripts/bench/synthetic-parquet';
import { ingestLetters, removeIngested } from '../support/parquet-fixture';

let realDir: string;
let syntheticDir: string;

beforeAll(async () => {
  realDir = ingestLetters();
  // Enough rows for several data pages and both encodings (dictionary and plain strings).
  syntheticDir = join(mkdtempSync(join(tmpdir(), 'decode-')), 'set');
  await writeSyntheticParquet(realDir, 5_000, syntheticDir);
}, 120_000);

afterAll(() => {
  if (syntheticDir) rmSync(join(syntheticDir, '..'), { recursive: true, force: true });
  if (realDir) removeIngested(realDir);
});

function fileBuffer(dir: string, table: TableName): ArrayBuffer {
  const bytes = readFileSync(join(dir, `${table}.parquet`));
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
}

/** A value as JSON compares it: dates as epoch milliseconds, lists and vectors as arrays. */
function plain(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value) || ArrayBuffer.isView(value))
    return Array.from(value as ArrayLike<unknown>, plain);
  if (typeof value === 'object' && 'toArray' in value)
    return plain((value as { toArray: () => unknown }).toArray());
  return value;
}

async function decodeAll(dir: string, table: TableName, placeholders: string[] = []) {
  const columns = Object.entries(TABLES[table]) as [string, ColumnType][];
  const batches: Uint8Array[] = [];
  const rows = await decodeParquetToArrow(
    fileBuffer(dir, table),
    table,
    columns,
    placeholders,
    (ipc) => batches.push(ipc),
  );
  return { rows, tables: batches.map((ipc) => tableFromIPC(ipc)) };
}

describe('Parquet to Arrow in the decoder worker', () => {
  for (const set of ['real', 'synthetic'] as const) {
    it(`gives hyparquet's values, column by column, for every table (${set} files)`, async () => {
      const dir = set === 'real' ? realDir : syntheticDir;
      for (const table of TABLE_NAMES) {
        const expected = await parquetReadObjects({ file: fileBuffer(dir, table) });
        const { rows, tables } = await decodeAll(dir, table);
        expect(rows, table).toBe(expected.length);
        const decoded = tables.flatMap((t) => t.toArray().map((row) => row.toJSON()));
        expect(decoded.length, table).toBe(expected.length);
        for (const name of Object.keys(TABLES[table])) {
          const got = decoded.map((row) => plain(row[name]));
          const want = expected.map((row) => plain(row[name]));
          expect(got, `${table}.${name}`).toEqual(want);
        }
      }
    });
  }

  it('types every column as the contract does and sends placeholders as nulls', async () => {
    const { tables } = await decodeAll(realDir, 'letters', ['source_text']);
    const fields = Object.fromEntries(
      tables[0]!.schema.fields.map((f) => [f.name, String(f.type)]),
    );
    expect(fields.inspection_start).toBe('Date32<DAY>');
    expect(fields.finding_count).toBe('Int32');
    expect(fields.has_priority_actions).toBe('Bool');
    expect(tables.flatMap((t) => t.getChild('source_text')!.toArray())).toSatisfy(
      (values: unknown[]) => values.every((v) => v === null),
    );
  });

  it('names the file and the reason when it is not Parquet or lacks a column', async () => {
    const junk = new TextEncoder().encode('not a parquet file at all').buffer;
    await expect(
      decodeParquetToArrow(junk, 'findings.parquet', [['text', 'VARCHAR']], [], () => {}),
    ).rejects.toThrow(/findings\.parquet is not a readable Parquet file/);
    await expect(
      decodeParquetToArrow(
        fileBuffer(realDir, 'themes'),
        'themes.parquet',
        [['no_such_column', 'VARCHAR']],
        [],
        () => {},
      ),
    ).rejects.toThrow(/themes\.parquet lacks the column\(s\) no_such_column/);
  });

  it('loads a letters file written before parse_warnings was added, the column as nulls', async () => {
    // The real letters.parquet with the column dropped, as contract 1.0 or another tool wrote it.
    const older = join(syntheticDir, '..', 'letters-1.0.parquet');
    const instance = await DuckDBInstance.create(':memory:');
    const db = await instance.connect();
    const quoted = (file: string) => `'${file.replace(/'/g, "''")}'`;
    await db.run(
      `COPY (SELECT * EXCLUDE (parse_warnings) FROM read_parquet(${quoted(join(realDir, 'letters.parquet'))}))
       TO ${quoted(older)} (FORMAT parquet)`,
    );
    db.closeSync();
    instance.closeSync();
    const bytes = readFileSync(older);
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    const columns = Object.entries(TABLES.letters) as [string, ColumnType][];
    await expect(
      decodeParquetToArrow(buffer, 'letters.parquet', columns, [], () => {}),
    ).rejects.toThrow(/letters\.parquet lacks the column\(s\) parse_warnings/);
    const batches: Uint8Array[] = [];
    const rows = await decodeParquetToArrow(
      buffer,
      'letters.parquet',
      columns,
      [],
      (ipc) => batches.push(ipc),
      [...(ADDED_COLUMNS.letters ?? [])],
    );
    const tables = batches.map((ipc) => tableFromIPC(ipc));
    expect(rows).toBe(5);
    expect(tables[0]!.schema.fields.map((f) => f.name)).toEqual(Object.keys(TABLES.letters));
    expect(String(tables[0]!.schema.fields.at(-1)!.type)).toBe('Utf8');
    expect(tables.flatMap((t) => t.getChild('parse_warnings')!.toArray())).toEqual([
      null,
      null,
      null,
      null,
      null,
    ]);
    expect(tables.flatMap((t) => t.getChild('letter_id')!.toArray())).toHaveLength(5);
  });
});
