// @vitest-environment jsdom
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { render, screen, within } from '@testing-library/react';
import { parseLetterText } from '@/core/parse-letter-file';
import { defaultTaxonomy } from '@/core/pipeline/taxonomy';
import { assembleRows, type LetterRows } from '@/core/pipeline/to-rows';
import { addedFileReport } from '@/features/add-letters/add-letters-session';
import { BatchResult } from '@/features/add-letters/add-letters-view';
import { readLetterSources } from '@/features/add-letters/read-letters';
import {
  buildLetterSpansSql,
  buildLetterSql,
  type LetterDetailRow,
  type LetterSpanRow,
} from '@/features/letter/letter-sql';
import { LetterText } from '@/features/letter/letter-view';
import { pdfToText } from '../../scripts/lib/read-pdf';
import { writeParquetFiles } from '../../scripts/lib/write-parquet';
import { readLetter } from '../helpers/gold';
import { openDatabase, runBuilt } from '../support/parquet-fixture';
import { cleanPageAfterEach } from '../support/render-with-client';

cleanPageAfterEach();

const SEED = '001_01074a0f891bb9e6.txt';
// North Somerset's letter with its areas for development cut from under their heading and its
// signatory's name left out: read, but with two warnings.
const BROKEN = readLetter(SEED)
  .replace(/(Areas for development\n\n)(- [^\n]*\n)+/, '$1')
  .replace('Karen McKeown\n', '');
const WARNINGS = [
  'no signatory found',
  'the section "Areas for development" has a heading but no findings',
];

let dir: string;
let db: DuckDBConnection;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'parse-warnings-'));
  const rows = [SEED, 'broken.txt'].map((name): LetterRows => {
    const result = parseLetterText(name === SEED ? readLetter(SEED) : BROKEN, name);
    if (!result.ok) throw new Error(result.reason);
    // The broken copy stands as another inspection, so that both are in the tables.
    if (name === SEED) return result.rows;
    const id = 'north-somerset-2011-01-01';
    return {
      letter: { ...result.rows.letter, letter_id: id },
      findings: result.rows.findings.map((f) => ({
        ...f,
        letter_id: id,
        finding_id: `${id}#${f.position}`,
      })),
      findingThemes: result.rows.findingThemes.map((t) => ({
        ...t,
        finding_id: t.finding_id.replace(/^[^#]+/, id),
      })),
    };
  });
  await writeParquetFiles(assembleRows(rows, defaultTaxonomy), dir);
  db = await openDatabase(dir);
});

afterAll(() => {
  db?.closeSync();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A letter and its spans as the letter view's queries give them, from DuckDB. */
async function letterData(id: string) {
  const [letter] = await runBuilt<LetterDetailRow>(db, buildLetterSql(id));
  const spans = await runBuilt<LetterSpanRow>(db, buildLetterSpansSql(id));
  return { letter: letter!, spans };
}

describe('parse warnings beside the letter', () => {
  it('the letter view shows them in a marked note, one list item each', async () => {
    const { letter, spans } = await letterData('north-somerset-2011-01-01');
    render(<LetterText letter={letter} spans={spans} />);
    const note = screen.getByRole('note', {
      name: /^Read with care: the reader flagged 2 problems in broken\.txt/,
    });
    expect(
      within(note)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(WARNINGS);
    // Marked in words and by a sign, not by colour alone.
    expect(note.textContent).toMatch(/^!Read with care/);
  });

  it('the letter view shows no note for a letter read right', async () => {
    const { letter, spans } = await letterData('north-somerset-2010-05-11');
    render(<LetterText letter={letter} spans={spans} />);
    expect(screen.getByTestId('letter-findings').textContent).toBe('16');
    expect(screen.queryByRole('note')).toBeNull();
  });

  it('the Add letters report shows them under the added letter', async () => {
    const results = await readLetterSources(
      [
        { name: 'broken.txt', text: BROKEN },
        { name: SEED, text: readLetter(SEED) },
      ],
      { readPdf: pdfToText },
    );
    const files = results.flat().map((result) => {
      if (!result.ok) throw new Error(result.reason);
      return addedFileReport(result);
    });
    render(<BatchResult report={{ files, added: 2, rejected: 0, ms: 120 }} />);
    const notes = screen.getAllByRole('note');
    expect(notes).toHaveLength(1);
    expect(notes[0]!.closest('li')!.textContent).toMatch(/^broken\.txt: North Somerset/);
    expect(within(notes[0]!).getByText(/2 warnings/)).toBeTruthy();
    expect(
      within(notes[0]!)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(WARNINGS);
  });
});
