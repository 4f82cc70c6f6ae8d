import { describe, expect, it } from 'vitest';
import type { DuckDBConnection } from '@duckdb/node-api';
import {
  buildWeaknessQuotesSql,
  councilSlug,
  type WeaknessQuoteRow,
} from '@/app/council-ranking-sql';
import {
  buildCouncilChoicesSql,
  buildCouncilGroupsSql,
  buildCouncilInspectionsSql,
  buildCouncilRatesSql,
  buildCouncilRecurrenceSql,
  COUNCIL_GROUP_KINDS,
  findCouncil,
  type CouncilChoiceRow,
  type CouncilGroupRow,
  type CouncilInspectionRow,
  type CouncilRateRow,
  type CouncilRecurrenceRow,
} from '@/features/council/council-sql';
import { provenanceLine } from '@/lib/citation';
import { withTagFilter, type Filters } from '@/lib/filters';
import { sql } from '@/lib/sql';
import { runBuilt } from '../support/parquet-fixture';
import { HAVE_MORE, plainLetterConditions, useRankingFixture } from './ranking-fixture';

const fixture = useRankingFixture();

const LEEDS = 'E08000035';

async function choices(db: DuckDBConnection, filters: Filters = {}) {
  return runBuilt<CouncilChoiceRow>(db, buildCouncilChoicesSql(filters));
}

/** The councils that hold letters, by key, from the contract's tables. */
async function heldCouncils(db: DuckDBConnection, year?: string) {
  return runBuilt<{ council_key: string; n: number }>(
    db,
    sql`SELECT coalesce(l.la_code, l.council_name) AS council_key, count(*)::INTEGER AS n
        FROM letters AS l LEFT JOIN councils AS c ON c.la_code = l.la_code
        WHERE ${plainLetterConditions({ year })}
        GROUP BY 1 ORDER BY 1`,
  );
}

describe('council choices and the council a link names', () => {
  it('offers every council of the list with its letters held under the filters', async () => {
    for (const db of [fixture.real, fixture.synthetic]) {
      const [first] = await runBuilt<{ year: string }>(db, {
        sql: 'SELECT min(reporting_year) AS year FROM letters',
        params: [],
      });
      const year = first!.year;
      for (const filters of [{}, { year }] as Filters[]) {
        const rows = await choices(db, filters);
        const [councils] = await runBuilt<{ n: number }>(db, {
          sql: 'SELECT count(*)::INTEGER AS n FROM councils',
          params: [],
        });
        expect(rows.filter((r) => r.la_code !== null)).toHaveLength(councils!.n);
        const held = await heldCouncils(db, filters.year);
        expect(
          rows
            .filter((r) => r.letters > 0)
            .map((r) => ({ council_key: r.council_key, n: r.letters }))
            .sort((a, b) => a.council_key.localeCompare(b.council_key)),
        ).toEqual(held);
      }
    }
  });

  it('finds a council by ONS code, DfE number, name or slug, and nothing for a stranger', async () => {
    const rows = await choices(fixture.real);
    const leeds = rows.find((r) => r.la_code === LEEDS)!;
    expect(leeds.council_name).toBe('Leeds');
    for (const value of [LEEDS, LEEDS.toLowerCase(), String(leeds.dfe_la_code), 'Leeds', 'leeds']) {
      expect(findCouncil(rows, value)?.council_key, value).toBe(LEEDS);
    }
    const ny = rows.find((r) => r.council_name === 'North Yorkshire')!;
    expect(councilSlug(ny.council_name)).toBe('north-yorkshire');
    expect(findCouncil(rows, 'north-yorkshire')).toBe(ny);
    expect(findCouncil(rows, 'North  Yorkshire!')).toBe(ny);
    // Every council's slug finds it, and only it.
    for (const row of rows) expect(findCouncil(rows, councilSlug(row.council_name))).toBe(row);
    expect(findCouncil(rows, 'atlantis')).toBeUndefined();
    expect(findCouncil(rows, '')).toBeUndefined();
    expect(findCouncil(rows, null)).toBeUndefined();
  });
});

describe('council profile builders', () => {
  it('lists the council’s inspections in date order with its findings by section', async () => {
    for (const db of [fixture.real, fixture.synthetic]) {
      const held = await heldCouncils(db);
      for (const { council_key } of held.slice(0, 20)) {
        const rows = await runBuilt<CouncilInspectionRow>(
          db,
          buildCouncilInspectionsSql({ filters: {}, council: council_key }),
        );
        const want = await runBuilt<Record<string, unknown>>(
          db,
          sql`SELECT l.letter_id,
                count(f.finding_id) FILTER (WHERE f.section = 'strength')::INTEGER AS strengths,
                count(f.finding_id) FILTER (WHERE f.section = 'satisfactory')::INTEGER AS satisfactory,
                count(f.finding_id) FILTER (WHERE f.section = 'development')::INTEGER AS development,
                count(f.finding_id) FILTER (WHERE f.section = 'priority_action')::INTEGER AS priority_action,
                count(f.finding_id)::INTEGER AS findings
              FROM letters AS l LEFT JOIN findings AS f ON f.letter_id = l.letter_id
              WHERE coalesce(l.la_code, l.council_name) = ${council_key}
              GROUP BY l.letter_id, l.inspection_start ORDER BY l.inspection_start, l.letter_id`,
        );
        expect(
          rows.map((r) => ({
            letter_id: r.letter_id,
            strengths: r.strengths,
            satisfactory: r.satisfactory,
            development: r.development,
            priority_action: r.priority_action,
            findings: r.findings,
          })),
          council_key,
        ).toEqual(want);
        expect(rows.map((r) => r.inspection_number)).toEqual(rows.map((_, i) => i + 1));
      }
    }
  });

  it('gives each comparison group the n and the rates an independent query gives', async () => {
    for (const db of [fixture.real, fixture.synthetic]) {
      const held = await heldCouncils(db);
      for (const { council_key } of held.slice(0, 12)) {
        const params = { filters: {}, council: council_key };
        const groups = await runBuilt<CouncilGroupRow>(db, buildCouncilGroupsSql(params));
        const rates = await runBuilt<CouncilRateRow>(db, buildCouncilRatesSql(params));
        expect(groups.map((g) => g.group_kind)).toEqual(COUNCIL_GROUP_KINDS);
        // The letters of each group, worked out again: the council, its neighbours (DfE numbers
        // of the proxy list other than its own), its region (itself included) and England.
        const members = sql`
          WITH me AS (SELECT * FROM councils WHERE la_code = ${council_key}),
          g AS (
            SELECT 'council' AS kind, letter_id FROM letters
            WHERE coalesce(la_code, council_name) = ${council_key}
            UNION ALL
            SELECT 'neighbours', l.letter_id FROM letters AS l, me
            WHERE list_contains(me.stat_neighbours_2021_proxy, l.dfe_la_code)
              AND l.dfe_la_code <> me.dfe_la_code
            UNION ALL
            SELECT 'region', l.letter_id FROM letters AS l, me WHERE l.region = me.region
            UNION ALL
            SELECT 'england', letter_id FROM letters
          )`;
        const sizes = await runBuilt<{ kind: string; n: number }>(
          db,
          sql`${members} SELECT kind, count(*)::INTEGER AS n FROM g GROUP BY kind`,
        );
        for (const group of groups) {
          const want = sizes.find((s) => s.kind === group.group_kind)?.n ?? 0;
          expect(group.letters, `${council_key}/${group.group_kind}`).toBe(want);
        }
        const hits = await runBuilt<{ kind: string; theme_id: string; k: number }>(
          db,
          sql`${members},
            w AS (
              SELECT DISTINCT f.letter_id, ft.theme_id
              FROM findings AS f JOIN finding_themes AS ft ON ft.finding_id = f.finding_id
              WHERE f.section IN ('development', 'priority_action')
            )
            SELECT g.kind, w.theme_id, count(*)::INTEGER AS k
            FROM g JOIN w ON w.letter_id = g.letter_id GROUP BY ALL`,
        );
        for (const rate of rates) {
          const label = `${council_key}/${rate.group_kind}/${rate.theme_id}`;
          const k =
            hits.find((h) => h.kind === rate.group_kind && h.theme_id === rate.theme_id)?.k ?? 0;
          const n = groups.find((g) => g.group_kind === rate.group_kind)!.letters;
          expect(rate.letters, label).toBe(n);
          expect(rate.letters_with_theme, label).toBe(k);
          if (n === 0) expect(rate.share, label).toBeNull();
          else expect(rate.share, label).toBeCloseTo(k / n, 12);
        }
      }
    }
  });

  it('names the neighbours and region members with letters, and counts neighbours that did not exist', async () => {
    const db = fixture.real;
    const groups = await runBuilt<CouncilGroupRow>(
      db,
      buildCouncilGroupsSql({ filters: {}, council: LEEDS }),
    );
    expect(groups[0]!.group_name).toBe('Leeds');
    const region = groups.find((g) => g.group_kind === 'region')!;
    expect(region.group_name).toBe('Yorkshire and The Humber');
    expect(region.members_with_letters.map((m) => m.council_name)).toContain('Leeds');
    expect(region.members_with_letters.reduce((n, m) => n + m.letters, 0)).toBe(region.letters);
    const neighbours = groups.find((g) => g.group_kind === 'neighbours')!;
    expect(neighbours.members_with_letters.map((m) => m.council_name)).not.toContain('Leeds');
    expect(neighbours.councils_known).toBeLessThanOrEqual(neighbours.councils_in_group);
  });

  it.skipIf(!HAVE_MORE)(
    'says which weaknesses were raised again at Leeds’s next inspection, and keeps the pair by its later year',
    async () => {
      const db = fixture.real;
      const rows = await runBuilt<CouncilRecurrenceRow>(
        db,
        buildCouncilRecurrenceSql({ filters: {}, council: LEEDS }),
      );
      expect(rows).toHaveLength(1);
      const pair = rows[0]!;
      const weak = (letter: string) =>
        runBuilt<{ theme_id: string; label: string }>(
          db,
          sql`SELECT DISTINCT ft.theme_id, t.label FROM findings AS f
              JOIN finding_themes AS ft ON ft.finding_id = f.finding_id
              JOIN themes AS t ON t.theme_id = ft.theme_id
              WHERE f.letter_id = ${letter} AND f.section IN ('development', 'priority_action')`,
        );
      const before = await weak(pair.earlier_letter_id);
      const after = await weak(pair.later_letter_id);
      const afterIds = new Set(after.map((t) => t.theme_id));
      const beforeIds = new Set(before.map((t) => t.theme_id));
      const sortLabels = (list: { label: string }[]) => list.map((t) => t.label).sort();
      expect(pair.earlier_start < pair.later_start).toBe(true);
      expect(pair.themes_before).toBe(before.length);
      expect(pair.themes_after).toBe(after.length);
      expect(pair.recurred_labels).toEqual(
        sortLabels(before.filter((t) => afterIds.has(t.theme_id))),
      );
      expect(pair.recurred.map((t) => t.label)).toEqual(pair.recurred_labels);
      expect(pair.recurred.length).toBeGreaterThan(0);
      expect(pair.not_again_labels).toEqual(
        sortLabels(before.filter((t) => !afterIds.has(t.theme_id))),
      );
      expect(pair.new_labels).toEqual(sortLabels(after.filter((t) => !beforeIds.has(t.theme_id))));

      const [later] = await runBuilt<{ y: string; e: string }>(
        db,
        sql`SELECT a.reporting_year AS y, b.reporting_year AS e FROM letters AS a, letters AS b
            WHERE a.letter_id = ${pair.later_letter_id} AND b.letter_id = ${pair.earlier_letter_id}`,
      );
      expect(
        await runBuilt(
          db,
          buildCouncilRecurrenceSql({ filters: { year: later!.y }, council: LEEDS }),
        ),
      ).toHaveLength(1);
      expect(
        await runBuilt(
          db,
          buildCouncilRecurrenceSql({ filters: { year: later!.e }, council: LEEDS }),
        ),
      ).toHaveLength(0);
      // A council with one letter has no pair.
      const [single] = (await heldCouncils(db)).filter((c) => c.n === 1);
      expect(
        await runBuilt(
          db,
          buildCouncilRecurrenceSql({ filters: {}, council: single!.council_key }),
        ),
      ).toEqual([]);
    },
  );

  it('quotes every weakness of the council with its number in its section, and on one theme', async () => {
    for (const db of [fixture.real, fixture.synthetic]) {
      const held = await heldCouncils(db);
      for (const { council_key } of held.slice(0, 8)) {
        const quotes = await runBuilt<WeaknessQuoteRow>(
          db,
          buildWeaknessQuotesSql({ filters: {}, council: council_key }),
        );
        const want = await runBuilt<{ finding_id: string; section_position: number }>(
          db,
          sql`SELECT f.finding_id,
                (SELECT count(*) FROM findings AS g WHERE g.letter_id = f.letter_id
                  AND g.section = f.section AND g.position <= f.position)::INTEGER
                  AS section_position
              FROM findings AS f JOIN letters AS l ON l.letter_id = f.letter_id
              WHERE coalesce(l.la_code, l.council_name) = ${council_key}
                AND f.section IN ('development', 'priority_action')
              ORDER BY l.inspection_start, f.letter_id, f.position`,
        );
        expect(
          quotes.map((q) => ({ finding_id: q.finding_id, section_position: q.section_position })),
          council_key,
        ).toEqual(want);
        for (const q of quotes) {
          expect(['development', 'priority_action']).toContain(q.section);
          expect(provenanceLine(q)).toContain(q.council_name);
        }
        const theme = quotes.find((q) => q.themes.length > 0)?.themes[0];
        if (!theme) continue;
        const onTheme = await runBuilt<WeaknessQuoteRow>(
          db,
          buildWeaknessQuotesSql({ filters: {}, council: council_key, theme: theme.theme_id }),
        );
        expect(onTheme.map((q) => q.finding_id)).toEqual(
          quotes
            .filter((q) => q.themes.some((t) => t.theme_id === theme.theme_id))
            .map((q) => q.finding_id),
        );
      }
    }
  });

  it('gives a quote the provenance line a reader can find it by', async () => {
    const quotes = await runBuilt<WeaknessQuoteRow>(
      fixture.real,
      buildWeaknessQuotesSql({ filters: {}, council: LEEDS }),
    );
    const first = quotes[0]!;
    const [letter] = await runBuilt<{ source_file: string; letter_date: string | null }>(
      fixture.real,
      sql`SELECT source_file, letter_date FROM letters WHERE letter_id = ${first.letter_id}`,
    );
    const line = provenanceLine(first);
    expect(line).toContain(letter!.source_file);
    expect(line).toContain(
      `${first.section === 'development' ? 'area for development' : 'area for priority action'} ${first.section_position}`,
    );
    if (first.page !== null) expect(line).toContain(`page ${first.page}`);
  });

  it('leaves uncertain tags out of rates, recurrence and quotes under tags=sure', async () => {
    const db = fixture.real;
    const filters: Filters = { tags: 'sure' };
    const params = { filters, council: LEEDS };
    const rates = await runBuilt<CouncilRateRow>(
      db,
      withTagFilter(buildCouncilRatesSql(params), filters),
    );
    const hits = await runBuilt<{ theme_id: string; k: number }>(
      db,
      sql`SELECT ft.theme_id, count(DISTINCT f.letter_id)::INTEGER AS k
          FROM findings AS f JOIN finding_themes AS ft ON ft.finding_id = f.finding_id
          JOIN letters AS l ON l.letter_id = f.letter_id
          WHERE l.la_code = ${LEEDS} AND f.section IN ('development', 'priority_action')
            AND ft.uncertain IS NOT TRUE
          GROUP BY ft.theme_id`,
    );
    for (const rate of rates.filter((r) => r.group_kind === 'council')) {
      expect(rate.letters_with_theme, rate.theme_id).toBe(
        hits.find((h) => h.theme_id === rate.theme_id)?.k ?? 0,
      );
    }
    const quotes = await runBuilt<WeaknessQuoteRow>(
      db,
      withTagFilter(buildWeaknessQuotesSql(params), filters),
    );
    const uncertain = await runBuilt<{ finding_id: string; theme_id: string }>(
      db,
      sql`SELECT finding_id, theme_id FROM finding_themes WHERE uncertain`,
    );
    const isUncertain = new Set(uncertain.map((u) => `${u.finding_id}|${u.theme_id}`));
    for (const q of quotes) {
      for (const t of q.themes)
        expect(isUncertain.has(`${q.finding_id}|${t.theme_id}`)).toBe(false);
    }
    await runBuilt(db, withTagFilter(buildCouncilRecurrenceSql(params), filters));
  });
});
