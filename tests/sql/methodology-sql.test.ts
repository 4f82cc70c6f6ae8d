import { describe, expect, it } from 'vitest';
import {
  buildCaveatsSql,
  buildTaxonomySql,
  NEIGHBOURS_PER_COUNCIL,
  PROGRAMME_YEARS,
  type CaveatsRow,
  type TaxonomyRow,
} from '@/features/methodology/methodology-sql';
import { runBuilt, useContractFixture } from '../support/parquet-fixture';

const fixture = useContractFixture();

describe('methodology builders', () => {
  it('reads the taxonomy from the themes table in the file’s order, with each theme’s use', async () => {
    const rows = await runBuilt<TaxonomyRow>(fixture.db, buildTaxonomySql());
    expect(rows.map((r) => r.theme_id)).toEqual(fixture.themes.map((t) => t.theme_id));
    expect(rows).toHaveLength(25);
    for (const [i, row] of rows.entries()) {
      const { user_defined: userDefined, ...theme } = fixture.themes[i]!;
      expect(userDefined).toBe(false);
      const tags = fixture.findingThemes.filter((ft) => ft.theme_id === theme.theme_id);
      expect(row).toEqual({
        ...theme,
        findings_tagged: tags.length,
        findings_central: tags.filter((ft) => ft.rank === 1).length,
      });
    }
    expect(new Set(rows.map((r) => r.group_label)).size).toBe(7);
    expect(rows.reduce((n, r) => n + r.findings_tagged, 0)).toBe(fixture.findingThemes.length);
  });

  it('computes the caveats’ figures from the data held', async () => {
    const [row] = await runBuilt<CaveatsRow>(fixture.db, buildCaveatsSql());
    const years = [...new Set(fixture.letters.map((l) => l.reporting_year))].sort();
    const councilCodes = new Set(fixture.councils.map((c) => c.la_code));
    const starts = fixture.letters.map((l) => l.inspection_start).sort();
    expect(row).toEqual({
      letters: fixture.letters.length,
      findings: fixture.findings.length,
      theme_tags: fixture.findingThemes.length,
      councils_total: fixture.councils.length,
      councils_covered: new Set(
        fixture.letters.map((l) => l.la_code).filter((code) => code && councilCodes.has(code)),
      ).size,
      letters_unmatched: fixture.letters.filter((l) => l.la_code === null).length,
      council_reports: fixture.letters.filter((l) => l.document_kind === 'council_report').length,
      years: years.map((y) => ({
        reporting_year: y,
        letters: fixture.letters.filter((l) => l.reporting_year === y).length,
      })),
      missing_years: PROGRAMME_YEARS.filter((y) => !years.includes(y)),
      first_inspection: starts[0],
      last_inspection: starts.at(-1),
      councils_short_neighbours: fixture.councils.filter(
        (c) => (c.stat_neighbours_2021_proxy ?? []).length < NEIGHBOURS_PER_COUNCIL,
      ).length,
      synthetic_letters: 0,
      findings_default_theme: new Set(
        fixture.findingThemes.filter((ft) => !ft.evidence).map((ft) => ft.finding_id),
      ).size,
      previously_identified: fixture.findings.filter((f) => f.previously_identified).length,
    });
    expect(row!.councils_total).toBe(152);
  });

  it('counts a letter made by the benchmark generator as synthetic', async () => {
    const target = fixture.letters[0]!;
    await fixture.db.run(
      'CREATE TEMP TABLE saved_files AS SELECT letter_id, source_file FROM letters',
    );
    try {
      await fixture.db.run('UPDATE letters SET source_file = $file WHERE letter_id = $id', {
        file: 'synthetic-000001.txt',
        id: target.letter_id,
      });
      const [row] = await runBuilt<CaveatsRow>(fixture.db, buildCaveatsSql());
      expect(row!.synthetic_letters).toBe(1);
    } finally {
      await fixture.db.run(
        'UPDATE letters SET source_file = s.source_file FROM saved_files AS s WHERE s.letter_id = letters.letter_id',
      );
      await fixture.db.run('DROP TABLE saved_files');
    }
  });
});
