import { describe, expect, it } from 'vitest';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { ALL_DERIVED_TABLES_SQL } from '@/lib/derived-tables';
import { TABLE_NAMES, TABLES, type LetterRow } from '@/core/schema';
import type { Filters } from '@/lib/filters';
import {
  buildThemeGroupsSql,
  buildTrainerWeaknessesSql,
  packQuotes,
  QUOTE_MAX_CHARS,
  QUOTE_MIN_CHARS,
  QUOTES_PER_THEME,
  type ThemeGroupRow,
  type TrainerThemeRow,
} from '@/features/trainers/trainers-sql';
import { openDatabase, runBuilt, useContractFixture } from '../support/parquet-fixture';

const fixture = useContractFixture();

/** Plain code-unit order, as DuckDB sorts VARCHAR. */
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** One weakness finding under one theme, as the rules see it. */
interface Candidate {
  findingId: string;
  council: string;
  letterId: string;
  section: string;
  central: boolean;
  clear: boolean;
  chars: number;
  evidence: string;
}

/** A trainer pack's own settings, as the view passes them to the builder. */
interface Pack {
  sections?: ('development' | 'priority_action')[];
  councils?: string[];
  quotes?: number;
  top?: number;
}

/** The expected ranking and quotes, computed in plain JS over the Parquet rows. */
function expectedRanking(filters: Filters, group?: string, pack: Pack = {}) {
  const sections: string[] = pack.sections?.length
    ? pack.sections
    : ['development', 'priority_action'];
  const passes = (l: LetterRow) =>
    (!filters.year || l.reporting_year === filters.year) &&
    (!filters.region || l.region === filters.region) &&
    (!filters.kind || l.document_kind === filters.kind) &&
    (!pack.councils?.length || pack.councils.includes(l.council_name));
  const kept = new Map(fixture.letters.filter(passes).map((l) => [l.letter_id, l]));
  const findingById = new Map(fixture.findings.map((f) => [f.finding_id, f]));
  const byTheme = new Map<string, Candidate[]>();
  for (const ft of fixture.findingThemes) {
    const f = findingById.get(ft.finding_id)!;
    const letter = kept.get(f.letter_id);
    if (!letter || !sections.includes(f.section)) continue;
    const chars = [...f.text].length;
    const list = byTheme.get(ft.theme_id) ?? [];
    list.push({
      findingId: f.finding_id,
      council: letter.council_name,
      letterId: f.letter_id,
      section: f.section,
      central: ft.rank === 1,
      clear: chars >= QUOTE_MIN_CHARS && chars <= QUOTE_MAX_CHARS,
      chars,
      evidence: ft.evidence,
    });
    byTheme.set(ft.theme_id, list);
  }
  const themeById = new Map(fixture.themes.map((t) => [t.theme_id, t]));
  const ranked = [...byTheme]
    .map(([themeId, list]) => ({
      theme: themeById.get(themeId)!,
      letters: new Set(list.map((c) => c.letterId)).size,
      findings: list.length,
      priority: list.filter((c) => c.section === 'priority_action').length,
      councils: new Set(list.map((c) => c.council)).size,
      list,
    }))
    .sort(
      (a, b) =>
        b.letters - a.letters ||
        b.findings - a.findings ||
        cmp(a.theme.label, b.theme.label) ||
        cmp(a.theme.theme_id, b.theme.theme_id),
    )
    .map((entry, i) => ({ ...entry, rank: i + 1 }));
  const better = (a: Candidate, b: Candidate) =>
    Number(b.clear) - Number(a.clear) ||
    Number(b.central) - Number(a.central) ||
    a.chars - b.chars ||
    cmp(a.findingId, b.findingId);
  return ranked
    .filter((entry) => !group || entry.theme.group_label === group)
    .slice(0, pack.top ?? Infinity)
    .map((entry) => {
      const pick = new Map<string, number>();
      const byCouncil = new Map<string, Candidate[]>();
      for (const c of entry.list)
        byCouncil.set(c.council, [...(byCouncil.get(c.council) ?? []), c]);
      for (const list of byCouncil.values()) {
        list.sort(better).forEach((c, i) => pick.set(c.findingId, i + 1));
      }
      const quotes = [...entry.list]
        .sort(
          (a, b) =>
            Number(b.clear) - Number(a.clear) ||
            pick.get(a.findingId)! - pick.get(b.findingId)! ||
            Number(b.central) - Number(a.central) ||
            a.chars - b.chars ||
            cmp(a.findingId, b.findingId),
        )
        .slice(0, packQuotes(pack.quotes));
      return { ...entry, quotes };
    });
}

const total = (filters: Filters, councils?: readonly string[]) =>
  fixture.letters.filter(
    (l) =>
      (!filters.year || l.reporting_year === filters.year) &&
      (!filters.region || l.region === filters.region) &&
      (!councils?.length || councils.includes(l.council_name)),
  ).length;

describe('trainers builder', () => {
  it('ranks every weakness theme by share of inspections, then findings, with its figures', async () => {
    const rows = await runBuilt<TrainerThemeRow>(
      fixture.db,
      buildTrainerWeaknessesSql({ filters: {} }),
    );
    const expected = expectedRanking({});
    expect(expected.length).toBeGreaterThan(5);
    expect(rows.map((r) => r.theme_id)).toEqual(expected.map((e) => e.theme.theme_id));
    rows.forEach((row, i) => {
      const e = expected[i]!;
      expect(row, row.theme_id).toMatchObject({
        rank: i + 1,
        label: e.theme.label,
        group_label: e.theme.group_label,
        letters_with_theme: e.letters,
        letters_total: fixture.letters.length,
        weakness_findings: e.findings,
        priority_findings: e.priority,
        councils: e.councils,
      });
      expect(row.share).toBeCloseTo(e.letters / fixture.letters.length, 12);
    });
  });

  it('chooses the quotes by the stated rules: clear length, one council at a time, central, short', async () => {
    const rows = await runBuilt<TrainerThemeRow>(
      fixture.db,
      buildTrainerWeaknessesSql({ filters: {} }),
    );
    const expected = new Map(expectedRanking({}).map((e) => [e.theme.theme_id, e]));
    const findingById = new Map(fixture.findings.map((f) => [f.finding_id, f]));
    const letterById = new Map(fixture.letters.map((l) => [l.letter_id, l]));
    for (const row of rows) {
      const e = expected.get(row.theme_id)!;
      expect(
        row.quotes.map((q) => q.finding_id),
        row.theme_id,
      ).toEqual(e.quotes.map((q) => q.findingId));
      expect(row.quotes.length).toBe(Math.min(QUOTES_PER_THEME, e.list.length));
      for (const quote of row.quotes) {
        const finding = findingById.get(quote.finding_id)!;
        const letter = letterById.get(finding.letter_id)!;
        const tag = fixture.findingThemes.find(
          (t) => t.finding_id === quote.finding_id && t.theme_id === row.theme_id,
        )!;
        expect(quote).toEqual({
          finding_id: finding.finding_id,
          letter_id: finding.letter_id,
          council_name: letter.council_name,
          reporting_year: letter.reporting_year,
          inspection_start: letter.inspection_start,
          section: finding.section,
          text: finding.text,
          evidence: tag.evidence,
          previously_identified: finding.previously_identified,
          theme_rank: tag.rank,
          // Provenance: the document, the page, the finding's number within its section.
          position: finding.position,
          section_position: fixture.findings.filter(
            (f) =>
              f.letter_id === finding.letter_id &&
              f.section === finding.section &&
              f.position <= finding.position,
          ).length,
          page: finding.page,
          letter_date: letter.letter_date,
          source_file: letter.source_file,
          document_kind: letter.document_kind,
          added: false,
        });
      }
      // The rules, stated as what a reader would check by eye.
      const shown = new Set(row.quotes.map((q) => q.finding_id));
      const left = e.list.filter((c) => !shown.has(c.findingId));
      const shownCandidates = e.list.filter((c) => shown.has(c.findingId));
      if (left.some((c) => c.clear)) {
        expect(
          shownCandidates.every((c) => c.clear),
          `${row.theme_id}: unclear shown`,
        ).toBe(true);
      }
      const councilsShown = shownCandidates.map((c) => c.council);
      const repeated = councilsShown.length !== new Set(councilsShown).size;
      if (repeated) {
        const unusedCouncil = left.some((c) => c.clear && !councilsShown.includes(c.council));
        expect(unusedCouncil, `${row.theme_id}: a council repeated while another waits`).toBe(
          false,
        );
      }
    }
  });

  it('leaves out a fragment too short to read alone while clear findings remain', async () => {
    // Calderdale's "Number undertaken is low" is centrally about the volume of assessments and
    // its council's only such finding, but it means nothing out of its list.
    // Which clear findings the tagger gives that theme changes as the tagger does, so the theme
    // is given, as a side theme, to a clear weakness of each other council in a copy of the
    // letters: the fragment's theme then has clear quotes enough, from real text.
    const findingById = new Map(fixture.findings.map((f) => [f.finding_id, f]));
    const weakness = (section: string) =>
      section === 'development' || section === 'priority_action';
    const fragment = fixture.findingThemes.find((ft) => {
      const f = findingById.get(ft.finding_id)!;
      return ft.rank === 1 && weakness(f.section) && [...f.text].length < QUOTE_MIN_CHARS;
    });
    expect(fragment, 'a central fragment among the bundled weaknesses').toBeDefined();
    const theme = fragment!.theme_id;
    const fragmentLetter = findingById.get(fragment!.finding_id)!.letter_id;
    const tagged = new Set(
      fixture.findingThemes.filter((ft) => ft.theme_id === theme).map((ft) => ft.finding_id),
    );
    const others = new Map<string, string>();
    for (const f of fixture.findings) {
      const chars = [...f.text].length;
      if (f.letter_id === fragmentLetter || others.has(f.letter_id) || tagged.has(f.finding_id))
        continue;
      if (weakness(f.section) && chars >= QUOTE_MIN_CHARS && chars <= QUOTE_MAX_CHARS)
        others.set(f.letter_id, f.finding_id);
    }
    expect(others.size).toBeGreaterThanOrEqual(QUOTES_PER_THEME);
    const conn = await openDatabase(fixture.dir);
    try {
      for (const id of others.values())
        await conn.run(
          `INSERT INTO finding_themes BY NAME SELECT $id AS finding_id, $theme AS theme_id,
            9 AS rank, 'added by the test' AS evidence`,
          { id, theme },
        );
      for (const statement of ALL_DERIVED_TABLES_SQL) await conn.run(statement);
      const rows = await runBuilt<TrainerThemeRow>(
        conn,
        buildTrainerWeaknessesSql({ filters: {} }),
      );
      const row = rows.find((r) => r.theme_id === theme)!;
      expect(row.quotes).toHaveLength(QUOTES_PER_THEME);
      expect(row.quotes.map((q) => q.finding_id)).not.toContain(fragment!.finding_id);
    } finally {
      conn.closeSync();
    }
  });

  it('applies the shared filters: share is of the filtered inspections', async () => {
    const region = fixture.letters.find((l) => l.region)!.region!;
    const year = fixture.letters[0]!.reporting_year;
    for (const filters of [{ region }, { year }] as Filters[]) {
      const rows = await runBuilt<TrainerThemeRow>(
        fixture.db,
        buildTrainerWeaknessesSql({ filters }),
      );
      const expected = expectedRanking(filters);
      expect(rows.map((r) => r.theme_id)).toEqual(expected.map((e) => e.theme.theme_id));
      for (const [i, row] of rows.entries()) {
        expect(row.letters_total).toBe(total(filters));
        expect(row.letters_with_theme).toBe(expected[i]!.letters);
        expect(row.quotes.map((q) => q.finding_id)).toEqual(
          expected[i]!.quotes.map((q) => q.findingId),
        );
      }
    }
  });

  it('narrows to one theme group and keeps each theme’s overall rank', async () => {
    const all = await runBuilt<TrainerThemeRow>(
      fixture.db,
      buildTrainerWeaknessesSql({ filters: {} }),
    );
    const group = all[1]!.group_label;
    const rows = await runBuilt<TrainerThemeRow>(
      fixture.db,
      buildTrainerWeaknessesSql({ filters: {}, group }),
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.group_label === group)).toBe(true);
    expect(rows).toEqual(all.filter((r) => r.group_label === group));
    expect(rows.map((r) => r.theme_id)).toEqual(
      expectedRanking({}, group).map((e) => e.theme.theme_id),
    );
  });

  it('builds a pack of one section, some councils, the first themes and so many quotes', async () => {
    const byLetters = new Map<string, number>();
    for (const l of fixture.letters)
      byLetters.set(l.council_name, (byLetters.get(l.council_name) ?? 0) + 1);
    const councils = [...byLetters.keys()].sort().slice(0, 4);
    const packs: Pack[] = [
      { sections: ['priority_action'] },
      { sections: ['development'] },
      { councils },
      { quotes: 1 },
      { quotes: 6 },
      { top: 4 },
      { sections: ['development'], councils, quotes: 5, top: 3 },
    ];
    for (const pack of packs) {
      const label = JSON.stringify(pack);
      const rows = await runBuilt<TrainerThemeRow>(
        fixture.db,
        buildTrainerWeaknessesSql({ filters: {}, ...pack }),
      );
      const expected = expectedRanking({}, undefined, pack);
      expect(expected.length, label).toBeGreaterThan(0);
      expect(
        rows.map((r) => r.theme_id),
        label,
      ).toEqual(expected.map((e) => e.theme.theme_id));
      for (const [i, row] of rows.entries()) {
        const e = expected[i]!;
        expect(row, `${label} ${row.theme_id}`).toMatchObject({
          rank: e.rank,
          letters_with_theme: e.letters,
          letters_total: total({}, pack.councils),
          weakness_findings: e.findings,
          priority_findings: e.priority,
          councils: e.councils,
        });
        expect(
          row.quotes.map((q) => q.finding_id),
          `${label} ${row.theme_id}`,
        ).toEqual(e.quotes.map((q) => q.findingId));
        // Cut to the first so many, each row says how long the list was.
        expect(row.themes_in_list, label).toBe(
          pack.top === undefined
            ? undefined
            : expectedRanking({}, undefined, { ...pack, top: undefined }).length,
        );
        for (const quote of row.quotes) {
          if (pack.sections) expect(pack.sections).toContain(quote.section);
          if (pack.councils) expect(pack.councils).toContain(quote.council_name);
        }
      }
    }
    // A pack of one section counts fewer letters than both together, on some theme at least.
    const both = await runBuilt<TrainerThemeRow>(
      fixture.db,
      buildTrainerWeaknessesSql({ filters: {} }),
    );
    const priority = await runBuilt<TrainerThemeRow>(
      fixture.db,
      buildTrainerWeaknessesSql({ filters: {}, sections: ['priority_action'] }),
    );
    expect(priority.length).toBeLessThan(both.length);
  });

  it('takes no quotes when asked for none, and keeps every theme', async () => {
    const all = await runBuilt<TrainerThemeRow>(
      fixture.db,
      buildTrainerWeaknessesSql({ filters: {} }),
    );
    const none = await runBuilt<TrainerThemeRow>(
      fixture.db,
      buildTrainerWeaknessesSql({ filters: {}, quotes: 0 }),
    );
    expect(none.map((r) => r.theme_id)).toEqual(all.map((r) => r.theme_id));
    expect(none.every((r) => Array.isArray(r.quotes) && r.quotes.length === 0)).toBe(true);
    expect(none.map(({ quotes: _q, ...rest }) => rest)).toEqual(
      all.map(({ quotes: _q, ...rest }) => rest),
    );
  });

  it('returns no rows, not an error, when nothing matches', async () => {
    expect(
      await runBuilt(fixture.db, buildTrainerWeaknessesSql({ filters: { year: '1999-00' } })),
    ).toEqual([]);
    expect(
      await runBuilt(
        fixture.db,
        buildTrainerWeaknessesSql({ filters: {}, group: 'No such group' }),
      ),
    ).toEqual([]);
    expect(
      await runBuilt(
        fixture.db,
        buildTrainerWeaknessesSql({ filters: {}, councils: ['No such council'] }),
      ),
    ).toEqual([]);
  });

  it('binds a hostile group name as data', async () => {
    const hostile = 'Workforce\'); DROP TABLE themes; -- "%\\';
    const rows = await runBuilt(
      fixture.db,
      buildTrainerWeaknessesSql({ filters: { region: hostile }, group: hostile }),
    );
    expect(rows).toEqual([]);
    const groups = await runBuilt<ThemeGroupRow>(fixture.db, buildThemeGroupsSql());
    expect(groups.reduce((n, g) => n + g.themes, 0)).toBe(fixture.themes.length);
  });

  it('lists the theme groups in the taxonomy file’s order', async () => {
    const groups = await runBuilt<ThemeGroupRow>(fixture.db, buildThemeGroupsSql());
    const order = [...new Set(fixture.themes.map((t) => t.group_label))];
    expect(groups.map((g) => g.group_label)).toEqual(order);
    for (const g of groups) {
      expect(g.themes).toBe(fixture.themes.filter((t) => t.group_label === g.group_label).length);
    }
  });
});

/** A finding for the hand-made rule fixtures: council, length, centrality and section. */
interface RuleFinding {
  id: string;
  council: string;
  chars: number;
  themeRank: number;
  theme?: string;
  section?: 'development' | 'priority_action' | 'strength';
}

/** An in-memory DuckDB with the contract's tables holding only the given findings. */
async function ruleDatabase(rules: readonly RuleFinding[]): Promise<DuckDBConnection> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  for (const table of TABLE_NAMES) {
    const ddl = Object.entries(TABLES[table])
      .map(([name, type]) => `${name} ${type}`)
      .join(', ');
    await conn.run(`CREATE TABLE ${table} (${ddl})`);
  }
  await conn.run(`INSERT INTO themes BY NAME SELECT * FROM (VALUES
    ('a', 'Alpha', 'G1', 'first', '1'), ('b', 'Beta', 'G2', 'second', '1'),
    ('c', 'Gamma', 'G1', 'third', '1')) AS t(theme_id, label, group_label, description, taxonomy_version)`);
  const councils = [...new Set(rules.map((r) => r.council))];
  for (const [i, council] of councils.entries()) {
    await conn.run(
      `INSERT INTO letters BY NAME SELECT $id AS letter_id, $council AS council_name,
        '2010-11' AS reporting_year, DATE '2010-06-01' + $i::INTEGER AS inspection_start,
        'ofsted_letter' AS document_kind`,
      { id: `letter-${i}`, council, i },
    );
  }
  for (const [position, rule] of rules.entries()) {
    const letter = `letter-${councils.indexOf(rule.council)}`;
    await conn.run(
      `INSERT INTO findings BY NAME SELECT $id AS finding_id, $letter AS letter_id,
        $position::INTEGER AS position, $section AS section, repeat('w', $chars::INTEGER) AS text,
        false AS previously_identified`,
      {
        id: rule.id,
        letter,
        position: position + 1,
        section: rule.section ?? 'development',
        chars: rule.chars,
      },
    );
    await conn.run(
      `INSERT INTO finding_themes BY NAME SELECT $id AS finding_id, $theme AS theme_id,
        $rank::INTEGER AS rank, 'w' AS evidence`,
      { id: rule.id, theme: rule.theme ?? 'a', rank: rule.themeRank },
    );
  }
  for (const statement of ALL_DERIVED_TABLES_SQL) await conn.run(statement);
  return conn;
}

describe('trainers builder on hand-made findings', () => {
  const clear = 100;
  const fragment = QUOTE_MIN_CHARS - 1;
  const tooLong = QUOTE_MAX_CHARS + 1;

  it('takes a second clear quote from a council before another council’s unclear one', async () => {
    const conn = await ruleDatabase([
      { id: 'one-long', council: 'One', chars: clear + 20, themeRank: 1 },
      { id: 'one-short', council: 'One', chars: clear, themeRank: 1 },
      { id: 'two-fragment', council: 'Two', chars: fragment, themeRank: 1 },
      { id: 'three-too-long', council: 'Three', chars: tooLong, themeRank: 1 },
      { id: 'four', council: 'Four', chars: clear + 50, themeRank: 2 },
    ]);
    try {
      const [row] = await runBuilt<TrainerThemeRow>(
        conn,
        buildTrainerWeaknessesSql({ filters: {} }),
      );
      // Clear ones first, one council at a time (central before not), then One's second.
      expect(row!.quotes.map((q) => q.finding_id)).toEqual(['one-short', 'four', 'one-long']);
    } finally {
      conn.closeSync();
    }
  });

  it('prefers findings centrally about the theme, then the shortest, among distinct councils', async () => {
    const conn = await ruleDatabase([
      { id: 'one-side', council: 'One', chars: clear - 30, themeRank: 2 },
      { id: 'one-central', council: 'One', chars: clear + 100, themeRank: 1 },
      { id: 'two-central', council: 'Two', chars: clear + 50, themeRank: 1 },
      { id: 'three-side', council: 'Three', chars: clear - 40, themeRank: 3 },
      { id: 'four-central', council: 'Four', chars: clear, themeRank: 1 },
    ]);
    try {
      const [row] = await runBuilt<TrainerThemeRow>(
        conn,
        buildTrainerWeaknessesSql({ filters: {} }),
      );
      expect(row!.quotes.map((q) => q.finding_id)).toEqual([
        'four-central',
        'two-central',
        'one-central',
      ]);
    } finally {
      conn.closeSync();
    }
  });

  it('falls back to unclear quotes only when nothing clearer is left, and ignores strengths', async () => {
    const conn = await ruleDatabase([
      { id: 'one-fragment', council: 'One', chars: fragment, themeRank: 1 },
      { id: 'two-too-long', council: 'Two', chars: tooLong, themeRank: 1 },
      { id: 'three-praise', council: 'Three', chars: clear, themeRank: 1, section: 'strength' },
    ]);
    try {
      const [row] = await runBuilt<TrainerThemeRow>(
        conn,
        buildTrainerWeaknessesSql({ filters: {} }),
      );
      expect(row!.quotes.map((q) => q.finding_id)).toEqual(['one-fragment', 'two-too-long']);
      expect(row!.letters_total).toBe(3);
      expect(row!.letters_with_theme).toBe(2);
    } finally {
      conn.closeSync();
    }
  });

  it('reaches past a council’s first quotes in one section when a pack asks for more, or for the other section', async () => {
    // One writes twelve clear findings on the theme under development, each longer than the
    // last, and two longer still under priority action; Two writes one. Quotes are kept per
    // council, section and theme up to the most a pack takes, so each pack below needs rows
    // beyond another pack's.
    const development = Array.from({ length: 12 }, (_, i) => ({
      id: `one-dev-${String(i + 1).padStart(2, '0')}`,
      council: 'One',
      chars: clear + i,
      themeRank: 1,
    }));
    const conn = await ruleDatabase([
      ...development,
      {
        id: 'one-pa-1',
        council: 'One',
        chars: clear + 40,
        themeRank: 1,
        section: 'priority_action',
      },
      {
        id: 'one-pa-2',
        council: 'One',
        chars: clear + 41,
        themeRank: 1,
        section: 'priority_action',
      },
      { id: 'two-dev', council: 'Two', chars: clear + 30, themeRank: 1 },
    ]);
    try {
      const quotesOf = async (pack: Pack) =>
        (
          await runBuilt<TrainerThemeRow>(conn, buildTrainerWeaknessesSql({ filters: {}, ...pack }))
        )[0]!.quotes.map((q) => q.finding_id);
      expect(await quotesOf({})).toEqual(['one-dev-01', 'two-dev', 'one-dev-02']);
      expect(await quotesOf({ quotes: 10 })).toEqual([
        'one-dev-01',
        'two-dev',
        ...development.slice(1, 9).map((f) => f.id),
      ]);
      expect(await quotesOf({ sections: ['priority_action'] })).toEqual(['one-pa-1', 'one-pa-2']);
      expect(await quotesOf({ councils: ['One'], quotes: 5 })).toEqual(
        development.slice(0, 5).map((f) => f.id),
      );
    } finally {
      conn.closeSync();
    }
  });

  it('ranks by inspections, then findings, then label', async () => {
    const conn = await ruleDatabase([
      { id: 'a1', council: 'One', chars: clear, themeRank: 1, theme: 'a' },
      { id: 'b1', council: 'One', chars: clear, themeRank: 1, theme: 'b' },
      { id: 'b2', council: 'One', chars: clear, themeRank: 1, theme: 'b' },
      { id: 'c1', council: 'Two', chars: clear, themeRank: 1, theme: 'c' },
      {
        id: 'c2',
        council: 'Three',
        chars: clear,
        themeRank: 1,
        theme: 'c',
        section: 'priority_action',
      },
    ]);
    try {
      const rows = await runBuilt<TrainerThemeRow>(
        conn,
        buildTrainerWeaknessesSql({ filters: {} }),
      );
      expect(
        rows.map((r) => [r.rank, r.theme_id, r.letters_with_theme, r.weakness_findings]),
      ).toEqual([
        [1, 'c', 2, 2],
        [2, 'b', 1, 2],
        [3, 'a', 1, 1],
      ]);
      expect(rows[0]!.priority_findings).toBe(1);
      const g1 = await runBuilt<TrainerThemeRow>(
        conn,
        buildTrainerWeaknessesSql({ filters: {}, group: 'G1' }),
      );
      expect(g1.map((r) => [r.rank, r.theme_id])).toEqual([
        [1, 'c'],
        [3, 'a'],
      ]);
    } finally {
      conn.closeSync();
    }
  });
});
