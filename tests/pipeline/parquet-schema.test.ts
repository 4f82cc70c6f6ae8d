import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TABLES, TABLE_NAMES } from '@/core/schema';
import { LETTERS_DIR, goldFindings } from '../helpers/gold';
import { runIngest } from '../helpers/run-ingest';

let out: string;
let instance: DuckDBInstance;
let db: DuckDBConnection;

/** Runs a query and returns plain row objects. */
async function rows(sql: string): Promise<Record<string, unknown>[]> {
  return (await db.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
}

beforeAll(async () => {
  out = mkdtempSync(path.join(tmpdir(), 'parquet-'));
  const run = runIngest(['--out', out, LETTERS_DIR]);
  expect(run.status, run.stderr).toBe(0);
  instance = await DuckDBInstance.create(':memory:');
  db = await instance.connect();
});

afterAll(() => {
  db.closeSync();
  instance.closeSync();
});

/** The path of one output file, quoted for SQL (the folder comes from mkdtemp). */
function file(table: string): string {
  return `'${path.join(out, `${table}.parquet`).replace(/'/g, "''")}'`;
}

describe('the Parquet files read back with DuckDB', () => {
  it.each(TABLE_NAMES)('%s.parquet has the contract columns and types', async (table) => {
    const described = await rows(`DESCRIBE SELECT * FROM read_parquet(${file(table)})`);
    expect(described.map((r) => [r.column_name, r.column_type])).toEqual(
      Object.entries(TABLES[table]),
    );
  });

  it('holds the letters, findings, themes and councils', async () => {
    const [counts] = await rows(`SELECT
      (SELECT count(*) FROM read_parquet(${file('letters')})) AS letters,
      (SELECT count(*) FROM read_parquet(${file('findings')})) AS findings,
      (SELECT count(DISTINCT finding_id) FROM read_parquet(${file('finding_themes')})) AS tagged,
      (SELECT count(*) FROM read_parquet(${file('themes')})) AS themes,
      (SELECT count(*) FROM read_parquet(${file('councils')})) AS councils`);
    expect(counts).toEqual({
      letters: '5',
      findings: String(goldFindings.length),
      tagged: String(goldFindings.length),
      themes: '25',
      councils: '152',
    });
  });

  it('points every finding span at its text in source_text', async () => {
    const mismatched = await rows(`
      SELECT f.finding_id FROM read_parquet(${file('findings')}) f
      JOIN read_parquet(${file('letters')}) l USING (letter_id)
      WHERE regexp_replace(substring(l.source_text, f.char_start + 1, f.char_end - f.char_start), '\\s+', ' ', 'g') <> f.text`);
    expect(mismatched).toEqual([]);
  });

  it('keeps finding counts, ids and priority flags consistent across files', async () => {
    const bad = await rows(`
      SELECT l.letter_id FROM read_parquet(${file('letters')}) l
      LEFT JOIN read_parquet(${file('findings')}) f USING (letter_id)
      GROUP BY l.letter_id, l.finding_count, l.has_priority_actions
      HAVING count(f.finding_id) <> l.finding_count
          OR bool_or(f.section = 'priority_action') <> l.has_priority_actions
          OR bool_or(f.finding_id <> l.letter_id || '#' || f.position)`);
    expect(bad).toEqual([]);
    const [ny] = await rows(
      `SELECT la_code, dfe_la_code, region, reporting_year, inspection_year FROM read_parquet(${file('letters')}) WHERE letter_id = 'north-yorkshire-2009-06-30'`,
    );
    expect(ny).toEqual({
      la_code: 'E10000023',
      dfe_la_code: 815,
      region: 'Yorkshire and The Humber',
      reporting_year: '2009-10',
      inspection_year: 2009,
    });
  });

  it('lists statistical neighbours as DfE numbers of councils in the table', async () => {
    const [r] = await rows(`
      SELECT count(*) AS unknown FROM (
        SELECT unnest(stat_neighbours_2021_proxy) AS code FROM read_parquet(${file('councils')})
      ) n WHERE code NOT IN (SELECT dfe_la_code FROM read_parquet(${file('councils')}))`);
    expect(r).toEqual({ unknown: '0' });
  });
});
