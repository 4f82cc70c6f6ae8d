import { describe, expect, it } from 'vitest';
import type { FindingRow } from '@/core/schema';
import { buildHeatmapSql, type HeatmapCellRow } from '@/features/heatmap/heatmap-sql';
import { buildEvidenceSql, type EvidenceRow } from '@/features/evidence/evidence-sql';
import {
  buildLetterSpansSql,
  buildLetterSql,
  type LetterSpanRow,
} from '@/features/letter/letter-sql';
import {
  buildThemeTrendSql,
  type ThemeTrendRow,
} from '@/features/themes-over-time/themes-over-time-sql';
import { ALL_DERIVED_TABLES_SQL } from '@/lib/derived-tables';
import { runBuilt, useContractFixture } from '../support/parquet-fixture';

const fixture = useContractFixture();

const isWeakness = (f: FindingRow) =>
  f.section === 'development' || f.section === 'priority_action';

function themesOf(findingId: string): string[] {
  return fixture.findingThemes.filter((t) => t.finding_id === findingId).map((t) => t.theme_id);
}

describe('heatmap builder', () => {
  it('counts weakness and strength findings per council and theme', async () => {
    const rows = await runBuilt<HeatmapCellRow>(fixture.db, buildHeatmapSql({}));
    const councilNames = new Set(fixture.letters.map((l) => l.council_name));
    expect(new Set(rows.map((r) => r.council_name))).toEqual(councilNames);
    const letterCouncil = new Map(fixture.letters.map((l) => [l.letter_id, l.council_name]));
    for (const row of rows) {
      const mine = fixture.findings.filter(
        (f) =>
          letterCouncil.get(f.letter_id) === row.council_name &&
          themesOf(f.finding_id).includes(row.theme_id),
      );
      expect(row.weakness_findings, `${row.council_name}/${row.theme_id}`).toBe(
        mine.filter(isWeakness).length,
      );
      expect(row.strength_findings).toBe(mine.filter((f) => f.section === 'strength').length);
    }
  });
});

describe('evidence builder', () => {
  it('lists the weakness findings on a theme with all their themes', async () => {
    const counts = new Map<string, number>();
    for (const ft of fixture.findingThemes)
      counts.set(ft.theme_id, (counts.get(ft.theme_id) ?? 0) + 1);
    const theme = [...counts].sort((a, b) => b[1] - a[1])[0]![0];
    const rows = await runBuilt<EvidenceRow>(
      fixture.db,
      buildEvidenceSql({ filters: { section: 'weakness' }, theme }),
    );
    const expected = fixture.findings.filter(
      (f) => isWeakness(f) && themesOf(f.finding_id).includes(theme),
    );
    expect(rows.map((r) => r.finding_id).sort()).toEqual(expected.map((f) => f.finding_id).sort());
    for (const row of rows) {
      expect(row.total_matches).toBe(expected.length);
      expect(row.themes.map((t) => t.theme_id).sort()).toEqual(themesOf(row.finding_id).sort());
      expect(row.themes.find((t) => t.theme_id === theme)?.evidence).toBeTruthy();
    }
  });

  it('lists in date order (inspection, council, position in the letter), each with its text', async () => {
    const letters = new Map(fixture.letters.map((l) => [l.letter_id, l]));
    const key = (f: FindingRow) => {
      const l = letters.get(f.letter_id)!;
      return [String(l.inspection_start), l.council_name, l.letter_id];
    };
    const byOrder = (a: FindingRow, b: FindingRow) => {
      const [ka, kb] = [key(a), key(b)];
      for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i]! < kb[i]! ? -1 : 1;
      return a.position - b.position || (a.finding_id < b.finding_id ? -1 : 1);
    };
    for (const filters of [{}, { section: 'weakness' as const }]) {
      const expected = fixture.findings
        .filter((f) => !filters.section || isWeakness(f))
        .sort(byOrder)
        .slice(0, 7);
      const rows = await runBuilt<EvidenceRow>(fixture.db, buildEvidenceSql({ filters, limit: 7 }));
      expect(rows.map((r) => r.finding_id)).toEqual(expected.map((f) => f.finding_id));
      expect(rows.map((r) => r.text)).toEqual(expected.map((f) => f.text));
      // Each finding's themes, most central first, as the pipeline ranked them.
      expect(rows.map((r) => r.themes.map((t) => t.theme_id))).toEqual(
        expected.map((f) =>
          fixture.findingThemes
            .filter((t) => t.finding_id === f.finding_id)
            .sort((a, b) => a.rank - b.rank)
            .map((t) => t.theme_id),
        ),
      );
      expect(rows.map((r) => r.council_name)).toEqual(
        expected.map((f) => letters.get(f.letter_id)!.council_name),
      );
    }
  });

  it('caps the rows but reports the full count', async () => {
    const rows = await runBuilt<EvidenceRow>(
      fixture.db,
      buildEvidenceSql({ filters: {}, limit: 3 }),
    );
    expect(rows).toHaveLength(Math.min(3, fixture.findings.length));
    expect(rows[0]!.total_matches).toBe(fixture.findings.length);
  });

  it('binds hostile filter values as data: no error, no match, tables intact', async () => {
    const hostile = [
      "King's Lynn'); DROP TABLE findings; --",
      '"; DROP TABLE letters; --',
      'back\\slash\\',
      '%',
      "O'Brien\" OR '1'='1",
    ];
    for (const value of hostile) {
      const rows = await runBuilt<EvidenceRow>(
        fixture.db,
        buildEvidenceSql({
          filters: { year: value, region: value, laType: value, kind: value },
          council: value,
          theme: value,
          letter: value,
        }),
      );
      expect(rows, value).toEqual([]);
      const heat = await runBuilt<HeatmapCellRow>(fixture.db, buildHeatmapSql({ region: value }));
      expect(heat).toEqual([]);
    }
    const [count] = await runBuilt<{ n: number }>(fixture.db, {
      sql: 'SELECT count(*) AS n FROM findings',
      params: [],
    });
    expect(count!.n).toBe(fixture.findings.length);
  });

  it('matches a council whose name holds quotes and SQL punctuation', async () => {
    const hostileName = "King's Lynn'); DROP TABLE x; -- \"%\\";
    const target = fixture.letters[0]!;
    await fixture.db.run('CREATE TEMP TABLE saved AS SELECT letter_id, council_name FROM letters');
    try {
      await fixture.db.run('UPDATE letters SET council_name = $name WHERE letter_id = $id', {
        name: hostileName,
        id: target.letter_id,
      });
      // As the page does after letters change: the derived tables are made again.
      for (const statement of ALL_DERIVED_TABLES_SQL) await fixture.db.run(statement);
      const rows = await runBuilt<EvidenceRow>(
        fixture.db,
        buildEvidenceSql({ filters: {}, council: hostileName }),
      );
      expect(rows.map((r) => r.finding_id).sort()).toEqual(
        fixture.findings
          .filter((f) => f.letter_id === target.letter_id)
          .map((f) => f.finding_id)
          .sort(),
      );
      expect(rows.every((r) => r.council_name === hostileName)).toBe(true);
      const heat = await runBuilt<HeatmapCellRow>(fixture.db, buildHeatmapSql({}));
      expect(heat.some((r) => r.council_name === hostileName)).toBe(true);
    } finally {
      await fixture.db.run(
        'UPDATE letters SET council_name = saved.council_name FROM saved WHERE saved.letter_id = letters.letter_id',
      );
      for (const statement of ALL_DERIVED_TABLES_SQL) await fixture.db.run(statement);
    }
  });
});

describe('letter builders', () => {
  it('returns the letter and one span per finding, inside its text', async () => {
    for (const letter of fixture.letters) {
      const [detail] = await runBuilt<{ source_text: string; warnings: string[] }>(
        fixture.db,
        buildLetterSql(letter.letter_id),
      );
      expect(detail!.source_text).toBe(letter.source_text);
      // The bundled letters are read right: no warnings (tests/sql/letter-warnings-sql.test.ts
      // has letters with some).
      expect(detail!.warnings).toEqual([]);
      const spans = await runBuilt<LetterSpanRow>(
        fixture.db,
        buildLetterSpansSql(letter.letter_id),
      );
      const mine = fixture.findings.filter((f) => f.letter_id === letter.letter_id);
      expect(spans).toHaveLength(mine.length);
      for (const span of spans) {
        expect(span.char_start).toBeGreaterThanOrEqual(0);
        expect(span.char_end).toBeLessThanOrEqual(letter.source_text.length);
        expect(span.theme_labels.length).toBe(themesOf(span.finding_id).length);
      }
    }
  });
});

describe('themes-over-time builder', () => {
  it('gives the share of each year’s inspections raising each chosen theme', async () => {
    const chosen = [...new Set(fixture.findingThemes.map((t) => t.theme_id))].sort().slice(0, 3);
    const rows = await runBuilt<ThemeTrendRow>(
      fixture.db,
      buildThemeTrendSql({ filters: {}, themes: chosen, measure: 'both' }),
    );
    const years = [...new Set(fixture.letters.map((l) => l.reporting_year))];
    expect(rows).toHaveLength(years.length * chosen.length * 2);
    const letterYear = new Map(fixture.letters.map((l) => [l.letter_id, l.reporting_year]));
    for (const row of rows) {
      const inYear = fixture.letters.filter((l) => l.reporting_year === row.reporting_year).length;
      const raising = new Set(
        fixture.findings
          .filter((f) => letterYear.get(f.letter_id) === row.reporting_year)
          .filter((f) => (row.kind === 'weakness' ? isWeakness(f) : f.section === 'strength'))
          .filter((f) => themesOf(f.finding_id).includes(row.theme_id))
          .map((f) => f.letter_id),
      );
      expect(row.letters).toBe(inYear);
      expect(row.letters_with_theme, `${row.reporting_year}/${row.theme_id}/${row.kind}`).toBe(
        raising.size,
      );
    }
  });

  it('picks the five themes raised by most letters under the measure when none are chosen', async () => {
    const counts: Record<'weakness' | 'strength' | 'both', (f: FindingRow) => boolean> = {
      weakness: isWeakness,
      strength: (f) => f.section === 'strength',
      both: (f) => isWeakness(f) || f.section === 'strength',
    };
    const findingById = new Map(fixture.findings.map((f) => [f.finding_id, f]));
    for (const [measure, counted] of Object.entries(counts)) {
      const rows = await runBuilt<ThemeTrendRow>(
        fixture.db,
        buildThemeTrendSql({ filters: {}, themes: [], measure: measure as keyof typeof counts }),
      );
      const perTheme = new Map<string, Set<string>>();
      for (const ft of fixture.findingThemes) {
        const f = findingById.get(ft.finding_id)!;
        if (counted(f))
          perTheme.set(ft.theme_id, (perTheme.get(ft.theme_id) ?? new Set()).add(f.letter_id));
      }
      const ranked = [...perTheme].sort((a, b) => b[1].size - a[1].size || (a[0] < b[0] ? -1 : 1));
      expect(new Set(rows.map((r) => r.theme_id)), measure).toEqual(
        new Set(ranked.slice(0, 5).map(([id]) => id)),
      );
    }
  });
});
