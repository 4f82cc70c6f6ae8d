import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { FindingRow } from '@/core/schema';
import {
  buildCoOccurrenceLettersSql,
  buildCoOccurrenceSql,
} from '@/features/co-occurrence/co-occurrence-sql';
import { buildCompareGroupsSql, buildCompareSharesSql } from '@/features/compare/compare-sql';
import { buildEvidenceSql, type EvidenceRow } from '@/features/evidence/evidence-sql';
import { buildHeatmapSql, type HeatmapCellRow } from '@/features/heatmap/heatmap-sql';
import {
  buildOverviewSql,
  buildWeaknessThemesSql,
  type WeaknessThemeRow,
} from '@/features/overview/overview-sql';
import {
  buildPreviouslyIdentifiedFindingsSql,
  buildPreviouslyIdentifiedSql,
  buildRecurrenceInstancesSql,
  buildRecurrenceSql,
} from '@/features/recurrence/recurrence-sql';
import { buildThemeTrendSql } from '@/features/themes-over-time/themes-over-time-sql';
import { buildTrainerWeaknessesSql } from '@/features/trainers/trainers-sql';
import {
  ALL_DERIVED_TABLES_SQL,
  ALL_SURE_TABLES_SQL,
  SURE_TABLES_SQL,
  sureTableSql,
  THEME_DEPENDENT_TABLES,
} from '@/lib/derived-tables';
import { parseFilters, withTagFilter, type Filters } from '@/lib/filters';
import type { SqlQuery } from '@/lib/sql';
import { openDatabase, runBuilt, useContractFixture } from '../support/parquet-fixture';

const fixture = useContractFixture();
/**
 * The bundled letters with more to count (below), with every derived table and sure twin, and
 * the same letters with their uncertain tags deleted outright: what `tags=sure` must count.
 */
let extended: DuckDBConnection;
let pruned: DuckDBConnection;

/**
 * Gives the bundled letters what they lack for a full test: a second, later inspection of two
 * councils (copies of their letters, so that themes recur), uncertain tags on the findings
 * marked as raised before, and tags without a flag (as in files before contract 1.2).
 */
const EXTEND_SQL = [
  `CREATE TEMP TABLE again AS
    SELECT letter_id FROM letters WHERE la_code IS NOT NULL ORDER BY letter_id LIMIT 2`,
  `INSERT INTO finding_themes
    SELECT ft.* REPLACE (f.letter_id || '-again#' || f.position AS finding_id)
    FROM finding_themes AS ft JOIN findings AS f ON f.finding_id = ft.finding_id
    WHERE f.letter_id IN (SELECT letter_id FROM again)`,
  `INSERT INTO findings
    SELECT * REPLACE (letter_id || '-again' AS letter_id,
      letter_id || '-again#' || position AS finding_id)
    FROM findings WHERE letter_id IN (SELECT letter_id FROM again)`,
  `INSERT INTO letters
    SELECT * REPLACE (letter_id || '-again' AS letter_id, inspection_start + 400 AS inspection_start)
    FROM letters WHERE letter_id IN (SELECT letter_id FROM again)`,
  `UPDATE finding_themes SET uncertain = true
    WHERE rank = 1 AND finding_id IN (SELECT finding_id FROM findings WHERE previously_identified)`,
  `UPDATE finding_themes SET uncertain = NULL, confidence = NULL
    WHERE finding_id LIKE '%-again#%' AND NOT uncertain`,
];

async function openExtended(): Promise<DuckDBConnection> {
  const db = await openDatabase(fixture.dir);
  for (const statement of EXTEND_SQL) await db.run(statement);
  return db;
}

// Runs after the fixture's own beforeAll, which was registered first.
beforeAll(async () => {
  for (const statement of ALL_SURE_TABLES_SQL) await fixture.db.run(statement);
  extended = await openExtended();
  for (const statement of [...ALL_DERIVED_TABLES_SQL, ...ALL_SURE_TABLES_SQL])
    await extended.run(statement);
  pruned = await openExtended();
  await pruned.run('DELETE FROM finding_themes WHERE uncertain');
  for (const statement of ALL_DERIVED_TABLES_SQL) await pruned.run(statement);
});

afterAll(() => {
  extended?.closeSync();
  pruned?.closeSync();
});

const SURE: Filters = { tags: 'sure' };

/** A builder's rows with uncertain tags left out, as the page asks for them. */
function runSure<Row>(built: SqlQuery, filters: Filters = SURE): Promise<Row[]> {
  return runBuilt<Row>(fixture.db, withTagFilter(built, { ...filters, tags: 'sure' }));
}

const isWeakness = (f: FindingRow) =>
  f.section === 'development' || f.section === 'priority_action';

/** The tags of the bundled letters that are not uncertain (a null flag counts as certain). */
function sureTags() {
  return fixture.findingThemes.filter((t) => t.uncertain !== true);
}

describe('the tag filter in the URL', () => {
  it('reads tags=sure and drops any other value', () => {
    expect(parseFilters(new URLSearchParams('tags=sure'))).toEqual({ tags: 'sure' });
    expect(parseFilters(new URLSearchParams('tags=all'))).toEqual({});
    expect(parseFilters(new URLSearchParams("tags=sure' OR 1=1"))).toEqual({});
  });

  it('leaves a query as it is without the filter', () => {
    const built = buildHeatmapSql({});
    expect(withTagFilter(built, {})).toBe(built);
    expect(withTagFilter(built, { region: 'London' })).toBe(built);
  });

  it('renames whole table names only, and only those built from the themes', () => {
    expect(THEME_DEPENDENT_TABLES).toEqual(
      expect.arrayContaining([
        'finding_themes',
        'letter_theme_facts',
        'council_theme_facts',
        'weakness_quote_candidates',
        'previously_identified_findings',
        'finding_themes_in_order',
        'recurrence_theme_counts',
        'recurrence_instances',
        'previously_identified_facts',
      ]),
    );
    for (const table of ['findings', 'findings_in_order', 'recurrence_pairs', 'added_letters'])
      expect(THEME_DEPENDENT_TABLES).not.toContain(table);
    expect(
      sureTableSql(
        'SELECT * FROM finding_themes JOIN "finding_themes_in_order" USING (x) JOIN findings_in_order JOIN themes',
      ),
    ).toBe(
      'SELECT * FROM sure_finding_themes JOIN "sure_finding_themes_in_order" USING (x) JOIN findings_in_order JOIN themes',
    );
    // Every twin reads the sure tags, never the table of every tag.
    for (const [table, statements] of Object.entries(SURE_TABLES_SQL)) {
      expect(table.startsWith('sure_')).toBe(true);
      if (table === 'sure_finding_themes') continue;
      for (const statement of statements) {
        expect(statement).not.toMatch(/(?<!sure_)\bfinding_themes\b/);
        expect(statement).toContain(`TABLE ${table} AS`);
      }
    }
  });

  it('has uncertain tags to leave out in the bundled letters', () => {
    const uncertain = fixture.findingThemes.filter((t) => t.uncertain === true);
    expect(uncertain.length).toBeGreaterThan(0);
    expect(uncertain.length).toBeLessThan(fixture.findingThemes.length);
  });
});

describe('every theme count with tags=sure', () => {
  const filterSets = (): Filters[] => {
    const region = fixture.letters.find((l) => l.region)!.region!;
    // `kind` and `source` take recurrence off its precomputed tables, onto its own CTEs.
    return [{}, { region }, { kind: 'ofsted_letter' }, { source: 'bundled' }];
  };

  it('equals the same query over the letters with their uncertain tags deleted', async () => {
    const counts = await runBuilt<Record<string, number>>(extended, {
      sql: `SELECT (SELECT count(*) FROM recurrence_pairs)::INTEGER AS pairs,
        (SELECT count(*) FROM finding_themes WHERE uncertain IS NULL)::INTEGER AS unflagged`,
      params: [],
    });
    expect(counts[0]!.pairs).toBeGreaterThan(0);
    expect(counts[0]!.unflagged).toBeGreaterThan(0);
    const councils = (
      await runBuilt<{ dfe: number }>(extended, {
        sql: `SELECT DISTINCT dfe_la_code AS dfe FROM letters WHERE dfe_la_code IS NOT NULL
          ORDER BY dfe LIMIT 3`,
        params: [],
      })
    ).map((r) => r.dfe);
    // Two themes the filter changes counts of, whatever the tagger gives: the first tagged
    // uncertain on a weakness of a letter that has no sure weakness tag of it (so the letter
    // counts for it only with every tag), and another theme that letter is surely tagged with.
    const findingOf = new Map(fixture.findings.map((f) => [f.finding_id, f]));
    const onWeakness = (t: { finding_id: string }) =>
      ['development', 'priority_action'].includes(findingOf.get(t.finding_id)!.section);
    const letterOf = (t: { finding_id: string }) => findingOf.get(t.finding_id)!.letter_id;
    const surely = new Set(
      sureTags()
        .filter(onWeakness)
        .map((t) => `${letterOf(t)} ${t.theme_id}`),
    );
    const onlyUncertain = fixture.findingThemes
      .filter((t) => t.uncertain === true && onWeakness(t))
      .filter((t) => !surely.has(`${letterOf(t)} ${t.theme_id}`))
      .sort(
        (a, b) => a.theme_id.localeCompare(b.theme_id) || a.finding_id.localeCompare(b.finding_id),
      );
    const themeA = onlyUncertain[0]?.theme_id;
    const letterA = onlyUncertain[0] ? letterOf(onlyUncertain[0]) : undefined;
    const themeB = [
      ...new Set(
        sureTags()
          .filter((t) => letterOf(t) === letterA && t.theme_id !== themeA)
          .map((t) => t.theme_id),
      ),
    ].sort()[0];
    expect([themeA, themeB].every((t) => t !== undefined)).toBe(true);
    const builders: [string, (filters: Filters) => SqlQuery][] = [
      ['overview', buildOverviewSql],
      ['heatmap', buildHeatmapSql],
      ['trend', (filters) => buildThemeTrendSql({ filters, themes: [], measure: 'both' })],
      [
        'trend of chosen themes',
        (filters) =>
          buildThemeTrendSql({ filters, themes: [themeA!, themeB!], measure: 'weakness' }),
      ],
      ['compare groups', (filters) => buildCompareGroupsSql({ filters, councils })],
      ['compare shares', (filters) => buildCompareSharesSql({ filters, councils })],
      ['recurrence', (filters) => buildRecurrenceSql(filters, 30)],
      ['recurrence instances', (filters) => buildRecurrenceInstancesSql(filters)],
      ['previously identified', (filters) => buildPreviouslyIdentifiedSql(filters, 30)],
      [
        'previously identified findings',
        (filters) => buildPreviouslyIdentifiedFindingsSql(filters),
      ],
      ['co-occurrence', buildCoOccurrenceSql],
      [
        'co-occurrence letters',
        (filters) => buildCoOccurrenceLettersSql({ filters, themeA: themeA!, themeB: themeB! }),
      ],
      ['evidence', (filters) => buildEvidenceSql({ filters, limit: 100_000 })],
      ['evidence of a theme', (filters) => buildEvidenceSql({ filters, theme: themeA })],
      [
        'evidence of weaknesses',
        (filters) => buildEvidenceSql({ filters: { ...filters, section: 'weakness' } }),
      ],
      ['trainers', (filters) => buildTrainerWeaknessesSql({ filters })],
    ];
    const changed = new Set<string>();
    for (const filters of filterSets()) {
      for (const [name, build] of builders) {
        const sure = await runBuilt(extended, withTagFilter(build({ ...filters, ...SURE }), SURE));
        const expected = await runBuilt(pruned, build(filters));
        expect(sure, `${name} ${JSON.stringify(filters)}`).toEqual(expected);
        const all = await runBuilt(extended, build(filters));
        if (JSON.stringify(all) !== JSON.stringify(sure)) changed.add(name);
      }
    }
    // The filter changes what every theme count gives (compare's groups count letters only).
    expect([...changed].sort()).toEqual(
      builders
        .map(([name]) => name)
        .filter((name) => name !== 'compare groups')
        .sort(),
    );
  });

  it('overview: counts the letters raising each theme from the sure tags only', async () => {
    const findings = new Map(fixture.findings.map((f) => [f.finding_id, f]));
    const count = (tags: typeof fixture.findingThemes) => {
      const letters = new Map<string, Set<string>>();
      for (const t of tags) {
        const f = findings.get(t.finding_id)!;
        if (!isWeakness(f)) continue;
        letters.set(t.theme_id, (letters.get(t.theme_id) ?? new Set()).add(f.letter_id));
      }
      return new Map([...letters].map(([theme, set]) => [theme, set.size]));
    };
    const sure = await runSure<WeaknessThemeRow>(buildWeaknessThemesSql(SURE));
    const all = await runBuilt<WeaknessThemeRow>(fixture.db, buildWeaknessThemesSql({}));
    const expectedSure = count(sureTags());
    const expectedAll = count(fixture.findingThemes);
    const byTheme = (rows: WeaknessThemeRow[]) =>
      new Map(rows.map((r) => [r.theme_id, r.letters_with_theme]));
    for (const [theme, n] of byTheme(sure)) expect(n, theme).toBe(expectedSure.get(theme) ?? 0);
    for (const [theme, n] of byTheme(all)) expect(n, theme).toBe(expectedAll.get(theme) ?? 0);
    expect(byTheme(sure)).not.toEqual(byTheme(all));
  });

  it('heatmap: counts weakness and strength findings per council from the sure tags only', async () => {
    const letterCouncil = new Map(fixture.letters.map((l) => [l.letter_id, l.council_name]));
    const findings = new Map(fixture.findings.map((f) => [f.finding_id, f]));
    const count = (tags: typeof fixture.findingThemes) => {
      const cells = new Map<string, { weakness: number; strength: number }>();
      for (const t of tags) {
        const f = findings.get(t.finding_id)!;
        const key = `${letterCouncil.get(f.letter_id)}/${t.theme_id}`;
        const cell = cells.get(key) ?? { weakness: 0, strength: 0 };
        if (isWeakness(f)) cell.weakness++;
        if (f.section === 'strength') cell.strength++;
        cells.set(key, cell);
      }
      return cells;
    };
    const check = (rows: HeatmapCellRow[], expected: ReturnType<typeof count>) => {
      for (const row of rows) {
        const cell = expected.get(`${row.council_name}/${row.theme_id}`);
        expect(row.weakness_findings, `${row.council_name}/${row.theme_id}`).toBe(
          cell?.weakness ?? 0,
        );
        expect(row.strength_findings).toBe(cell?.strength ?? 0);
      }
    };
    const sure = await runSure<HeatmapCellRow>(buildHeatmapSql(SURE));
    const all = await runBuilt<HeatmapCellRow>(fixture.db, buildHeatmapSql({}));
    check(sure, count(sureTags()));
    check(all, count(fixture.findingThemes));
    const weaknesses = (rows: HeatmapCellRow[]) => rows.map((r) => r.weakness_findings);
    expect(weaknesses(sure)).not.toEqual(weaknesses(all));
  });

  it('evidence: lists a theme’s findings and each finding’s themes from the sure tags only', async () => {
    // The theme with the most uncertain tags: its list is the shortest with the filter on.
    const uncertainByTheme = new Map<string, number>();
    for (const t of fixture.findingThemes)
      if (t.uncertain)
        uncertainByTheme.set(t.theme_id, (uncertainByTheme.get(t.theme_id) ?? 0) + 1);
    const theme = [...uncertainByTheme].sort(
      (a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1),
    )[0]![0];
    const tagged = (tags: typeof fixture.findingThemes) =>
      new Set(tags.filter((t) => t.theme_id === theme).map((t) => t.finding_id));
    const sure = await runSure<EvidenceRow>(
      buildEvidenceSql({ filters: SURE, theme, limit: 10_000 }),
    );
    const all = await runBuilt<EvidenceRow>(
      fixture.db,
      buildEvidenceSql({ filters: {}, theme, limit: 10_000 }),
    );
    expect(new Set(sure.map((r) => r.finding_id))).toEqual(tagged(sureTags()));
    expect(new Set(all.map((r) => r.finding_id))).toEqual(tagged(fixture.findingThemes));
    expect(sure.length).toBeLessThan(all.length);
    expect(sure[0]!.total_matches).toBe(sure.length);
    const sureOf = (id: string) =>
      sureTags()
        .filter((t) => t.finding_id === id)
        .map((t) => t.theme_id)
        .sort();
    for (const row of sure) {
      expect(row.themes.map((t) => t.theme_id).sort(), row.finding_id).toEqual(
        sureOf(row.finding_id),
      );
      expect(row.themes.every((t) => t.uncertain !== true)).toBe(true);
    }
  });

  it('evidence: without the filter, every tag comes with its confidence and uncertain flag', async () => {
    const rows = await runBuilt<EvidenceRow>(
      fixture.db,
      buildEvidenceSql({ filters: {}, limit: 100_000 }),
    );
    const tags = new Map(fixture.findingThemes.map((t) => [`${t.finding_id}/${t.theme_id}`, t]));
    let uncertain = 0;
    for (const row of rows) {
      for (const t of row.themes) {
        const tag = tags.get(`${row.finding_id}/${t.theme_id}`)!;
        expect(t.confidence).toBe(tag.confidence);
        expect(t.uncertain).toBe(tag.uncertain);
        if (t.uncertain) uncertain++;
      }
    }
    expect(uncertain).toBe(fixture.findingThemes.filter((t) => t.uncertain === true).length);
  });
});
