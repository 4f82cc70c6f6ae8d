import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLetterText } from '@/core/parse-letter-file';
import { defaultTaxonomy } from '@/core/pipeline/taxonomy';
import { assembleRows, type LetterRows } from '@/core/pipeline/to-rows';
import {
  buildLetterListSql,
  buildLetterSql,
  type LetterDetailRow,
  type LetterListRow,
} from '@/features/letter/letter-sql';
import { writeParquetFiles } from '../../scripts/lib/write-parquet';
import { letterFiles, readLetter } from '../helpers/gold';
import { openDatabase, runBuilt } from '../support/parquet-fixture';

/**
 * The bundled letters and two broken copies of North Somerset's (made Atlantis's, a council the
 * reference table lacks, and Suffolk's with its areas for development cut from under their
 * heading), written by the ingest's Parquet writer and loaded into DuckDB as the page loads them.
 */
const BROKEN = {
  atlantis: readLetter('001_01074a0f891bb9e6.txt')
    .replaceAll('North Somerset', 'Atlantis')
    .replace('Karen McKeown\n', ''),
  suffolk: readLetter('001_01074a0f891bb9e6.txt')
    .replaceAll('North Somerset', 'Suffolk')
    .replace(/(Areas for development\n\n)(- [^\n]*\n)+/, '$1'),
};

let dir: string;
let db: DuckDBConnection;

function rowsOf(text: string, name: string): LetterRows {
  const result = parseLetterText(text, name);
  if (!result.ok) throw new Error(`${name}: ${result.reason}`);
  return result.rows;
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'letter-warnings-'));
  const letters = [
    ...letterFiles.map((file) => rowsOf(readLetter(file), file)),
    rowsOf(BROKEN.atlantis, 'atlantis.txt'),
    rowsOf(BROKEN.suffolk, 'suffolk.txt'),
  ];
  await writeParquetFiles(assembleRows(letters, defaultTaxonomy), dir);
  db = await openDatabase(dir);
});

afterAll(() => {
  db?.closeSync();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a letter’s parse warnings in the letter view’s SQL', () => {
  it('come back one item per warning, in the order found', async () => {
    const [atlantis] = await runBuilt<LetterDetailRow>(db, buildLetterSql('atlantis-2010-05-11'));
    expect(atlantis!.warnings).toEqual([
      'council "Atlantis" not recognised (not in the reference table): no ONS code, DfE number or region',
      'no signatory found',
    ]);
    const [suffolk] = await runBuilt<LetterDetailRow>(db, buildLetterSql('suffolk-2010-05-11'));
    expect(suffolk!.warnings).toEqual([
      'the section "Areas for development" has a heading but no findings',
    ]);
  });

  it('are an empty list for a letter read right, and counted in the picker', async () => {
    const [seed] = await runBuilt<LetterDetailRow>(db, buildLetterSql('north-somerset-2010-05-11'));
    expect(seed!.warnings).toEqual([]);
    const list = await runBuilt<LetterListRow>(db, buildLetterListSql());
    expect(list).toHaveLength(letterFiles.length + 2);
    expect(
      Object.fromEntries(
        list.filter((l) => l.warning_count > 0).map((l) => [l.letter_id, l.warning_count]),
      ),
    ).toEqual({ 'atlantis-2010-05-11': 2, 'suffolk-2010-05-11': 1 });
  });

  it('are stored one a line in letters.parse_warnings, null when there are none', async () => {
    const rows = (
      await db.runAndReadAll('SELECT letter_id, parse_warnings FROM letters ORDER BY letter_id')
    ).getRowObjectsJson();
    expect(rows.filter((r) => r.parse_warnings !== null)).toEqual([
      {
        letter_id: 'atlantis-2010-05-11',
        parse_warnings:
          'council "Atlantis" not recognised (not in the reference table): no ONS code, DfE number or region\nno signatory found',
      },
      {
        letter_id: 'suffolk-2010-05-11',
        parse_warnings: 'the section "Areas for development" has a heading but no findings',
      },
    ]);
  });
});
