import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeContractParquet } from '@/core/contract-parquet';
import { parseLetterText } from '@/core/parse-letter-file';
import { defaultTaxonomy } from '@/core/pipeline/taxonomy';
import { assembleRows, type ContractRows } from '@/core/pipeline/to-rows';
import { TABLE_NAMES, TABLES, type TableName } from '@/core/schema';
import { writeParquetFiles } from '../../scripts/lib/write-parquet';
import { letterFiles, readLetter } from '../helpers/gold';

let work: string;
let instance: DuckDBInstance;
let db: DuckDBConnection;
let rows: ContractRows;

/** A file path as a SQL string literal (the folder comes from mkdtemp). */
const literal = (file: string) => `'${file.replace(/'/g, "''")}'`;

async function read(sql: string): Promise<Record<string, unknown>[]> {
  return (await db.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
}

/** The seed letters' rows, plus a letter with every nullable field empty and awkward text. */
function contractRows(): ContractRows {
  const letters = letterFiles.map((file) => {
    const result = parseLetterText(readLetter(file), file);
    if (!result.ok) throw new Error(`${file}: ${result.reason}`);
    return result.rows;
  });
  const base = letters[0]!;
  const id = 'kings-lynn-2011-02-03';
  const odd = {
    letter: {
      ...base.letter,
      letter_id: id,
      source_file: "King's Lynn – Ünïcode “letter”.pdf",
      council_name: "King's Lynn",
      la_code: null,
      dfe_la_code: null,
      region: null,
      letter_date: null,
      inspection_start: '2011-02-03',
      inspection_end: '2011-02-04',
      inspection_year: 2011,
      reporting_year: '2010-11',
      inspector: null,
      has_priority_actions: false,
      finding_count: 1,
      source_text: 'Line one\nZażółć gęślą jaźń 💡',
    },
    findings: [{ ...base.findings[0]!, finding_id: `${id}#1`, letter_id: id, position: 1 }],
    findingThemes: [{ ...base.findingThemes[0]!, finding_id: `${id}#1`, evidence: "it's" }],
  };
  const all = assembleRows([...letters, odd], defaultTaxonomy);
  // A council with no statistical neighbours: an empty list must stay an empty list.
  all.councils = [
    ...all.councils,
    { ...all.councils[0]!, la_code: 'E99999999', stat_neighbours_2021_proxy: [] },
  ];
  return all;
}

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'contract-parquet-'));
  instance = await DuckDBInstance.create(':memory:');
  db = await instance.connect();
  rows = contractRows();
  for (const table of TABLE_NAMES) {
    writeFileSync(path.join(work, `${table}.parquet`), writeContractParquet(table, rows[table]));
  }
  // The same rows through the ingest CLI's writer (DuckDB), to compare with.
  await writeParquetFiles(rows, path.join(work, 'cli'));
});

afterAll(() => {
  db.closeSync();
  instance.closeSync();
  rmSync(work, { recursive: true, force: true });
});

const mine = (table: TableName) => literal(path.join(work, `${table}.parquet`));
const cli = (table: TableName) => literal(path.join(work, 'cli', `${table}.parquet`));

describe('the browser’s Parquet writer (hyparquet-writer)', () => {
  it.each(TABLE_NAMES)('%s.parquet: the contract’s column names and types', async (table) => {
    const described = await read(`DESCRIBE SELECT * FROM read_parquet(${mine(table)})`);
    expect(described.map((r) => [r.column_name, r.column_type])).toEqual(
      Object.entries(TABLES[table]),
    );
  });

  it.each(TABLE_NAMES)('%s.parquet: every value and the row order as written', async (table) => {
    const back = await read(`SELECT * FROM read_parquet(${mine(table)})`);
    expect(back).toEqual(rows[table]);
  });

  it.each(TABLE_NAMES)('%s.parquet: the same rows as the CLI’s file', async (table) => {
    const [diff] = await read(`SELECT
      (SELECT count(*) FROM (FROM read_parquet(${mine(table)}) EXCEPT ALL FROM read_parquet(${cli(table)})))::INTEGER AS only_mine,
      (SELECT count(*) FROM (FROM read_parquet(${cli(table)}) EXCEPT ALL FROM read_parquet(${mine(table)})))::INTEGER AS only_cli,
      (SELECT count(*) FROM read_parquet(${mine(table)}))::INTEGER AS n`);
    expect(diff).toEqual({ only_mine: 0, only_cli: 0, n: rows[table].length });
  });

  it('is SNAPPY-compressed and read back by hyparquet, the dashboard’s own reader', async () => {
    const bytes = writeContractParquet('letters', rows.letters);
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    const codecs = parquetMetadata(buffer as ArrayBuffer).row_groups.flatMap((g) =>
      g.columns.map((c) => c.meta_data?.codec),
    );
    expect(new Set(codecs)).toEqual(new Set(['SNAPPY']));
    const objects = await parquetReadObjects({ file: buffer as ArrayBuffer });
    expect(objects.map((o) => o.letter_id)).toEqual(rows.letters.map((l) => l.letter_id));
    expect(objects.at(-1)?.source_text).toBe(rows.letters.at(-1)?.source_text);
  });

  it('writes an empty table with its columns and types', async () => {
    const file = path.join(work, 'empty-letters.parquet');
    writeFileSync(file, writeContractParquet('letters', []));
    const described = await read(`DESCRIBE SELECT * FROM read_parquet(${literal(file)})`);
    expect(described.map((r) => [r.column_name, r.column_type])).toEqual(
      Object.entries(TABLES.letters),
    );
    expect(await read(`SELECT count(*)::INTEGER AS n FROM read_parquet(${literal(file)})`)).toEqual(
      [{ n: 0 }],
    );
  });
});
