import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { CouncilRow, FindingRow, FindingThemeRow, LetterRow, ThemeRow } from '@/core/schema';
import {
  buildCaveatsSql,
  buildTaxonomySql,
  NEIGHBOURS_PER_COUNCIL,
  PROGRAMME_YEARS,
  type CaveatsRow,
  type TaxonomyRow,
} from '@/features/methodology/methodology-sql';
import {
  ingestLetters,
  openDatabase,
  readContractTables,
  removeIngested,
  runBuilt,
} from '../support/parquet-fixture';

let db: DuckDBConnection;
let dir: string;
let letters: LetterRow[];
let findings: FindingRow[];
let findingThemes: FindingThemeRow[];
let themes: ThemeRow[];
let councils: CouncilRow[];

beforeAll(async () => {
  dir = ingestLetters();
  db = await openDatabase(dir);
  ({ letters, findings, findingThemes, themes, councils } = await readContractTables(dir));
});

afterAll(() => {
  db?.closeSync();
  if (dir) removeIngested(dir);
});

describe('methodology builders', () => {
  it('reads the taxonomy from the themes table in the file’s order, with each theme’s use', async () => {
    const rows = await runBuilt<TaxonomyRow>(db, buildTaxonomySql());
    expect(rows.map((r) => r.theme_id)).toEqual(themes.map((t) => t.theme_id));
    expect(rows).toHaveLength(25);
    for (const [i, row] of rows.entries()) {
      const theme = themes[i]!;
      const tags = findingThemes.filter((ft) => ft.theme_id === theme.theme_id);
      expect(row).toEqual({
        ...theme,
        findings_tagged: tags.length,
        findings_central: tags.filter((ft) => ft.rank === 1).length,
      });
    }
    expect(new Set(rows.map((r) => r.group_label)).size).toBe(7);
    expect(rows.reduce((n, r) => n + r.findings_tagged, 0)).toBe(findingThemes.length);
  });

  it('computes the caveats’ figures from the data held', async () => {
    const [row] = await runBuilt<CaveatsRow>(db, buildCaveatsSql());
    const years = [...new Set(letters.map((l) => l.reporting_year))].sort();
    const councilCodes = new Set(councils.map((c) => c.la_code));
    const starts = letters.map((l) => l.inspection_start).sort();
    expect(row).toEqual({
      letters: letters.length,
      findings: findings.length,
      theme_tags: findingThemes.length,
      councils_total: councils.length,
      councils_covered: new Set(
        letters.map((l) => l.la_code).filter((code) => code && councilCodes.has(code)),
      ).size,
      letters_unmatched: letters.filter((l) => l.la_code === null).length,
      council_reports: letters.filter((l) => l.document_kind === 'council_report').length,
      years: years.map((y) => ({
        reporting_year: y,
        letters: letters.filter((l) => l.reporting_year === y).length,
      })),
      missing_years: PROGRAMME_YEARS.filter((y) => !years.includes(y)),
      first_inspection: starts[0],
      last_inspection: starts.at(-1),
      councils_short_neighbours: councils.filter(
        (c) => (c.stat_neighbours_2021_proxy ?? []).length < NEIGHBOURS_PER_COUNCIL,
      ).length,
      synthetic_letters: 0,
      findings_default_theme: new Set(
        findingThemes.filter((ft) => !ft.evidence).map((ft) => ft.finding_id),
      ).size,
      previously_identified: findings.filter((f) => f.previously_identified).length,
    });
    expect(row!.councils_total).toBe(152);
  });

  it('counts a letter made by the benchmark generator as synthetic', async () => {
    const target = letters[0]!;
    await db.run('CREATE TEMP TABLE saved_files AS SELECT letter_id, source_file FROM letters');
    try {
      await db.run('UPDATE letters SET source_file = $file WHERE letter_id = $id', {
        file: 'synthetic-000001.txt',
        id: target.letter_id,
      });
      const [row] = await runBuilt<CaveatsRow>(db, buildCaveatsSql());
      expect(row!.synthetic_letters).toBe(1);
    } finally {
      await db.run(
        'UPDATE letters SET source_file = s.source_file FROM saved_files AS s WHERE s.letter_id = letters.letter_id',
      );
      await db.run('DROP TABLE saved_files');
    }
  });
});
