import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { TABLE_NAMES, type FindingRow, type FindingThemeRow, type LetterRow } from '@/core/schema';
import type { Filters } from '@/lib/filters';
import {
  buildPreviouslyIdentifiedFindingsSql,
  buildPreviouslyIdentifiedSql,
  buildPreviouslyIdentifiedThemesSql,
  buildRecurrenceSql,
  buildRecurrenceInstancesSql,
  buildRecurrenceSummarySql,
  buildRecurrenceThemesSql,
  type PreviouslyIdentifiedFindingRow,
  type PreviouslyIdentifiedRow,
  type RecurrenceRow,
  type PreviouslyIdentifiedThemeRow,
  type RecurrenceInstanceRow,
  type RecurrenceSummaryRow,
  type RecurrenceThemeRow,
} from '@/features/recurrence/recurrence-sql';
import {
  ingestLetters,
  openDatabase,
  readRows,
  removeIngested,
  runBuilt,
} from '../support/parquet-fixture';

/** The three tables the recurrence reads, as read with hyparquet for expected values. */
interface Data {
  letters: LetterRow[];
  findings: FindingRow[];
  findingThemes: FindingThemeRow[];
}

async function readData(dir: string): Promise<Data> {
  const [letters, findings, findingThemes] = await Promise.all([
    readRows<LetterRow>(dir, 'letters'),
    readRows<FindingRow>(dir, 'findings'),
    readRows<FindingThemeRow>(dir, 'finding_themes'),
  ]);
  return { letters, findings, findingThemes };
}

const WEAK = new Set(['development', 'priority_action']);

/** Per letter, the themes it raised as a weakness. */
function weakThemes(data: Data): Map<string, Set<string>> {
  const themesOf = new Map<string, string[]>();
  for (const ft of data.findingThemes)
    themesOf.set(ft.finding_id, [...(themesOf.get(ft.finding_id) ?? []), ft.theme_id]);
  const out = new Map<string, Set<string>>();
  for (const f of data.findings) {
    if (!WEAK.has(f.section)) continue;
    const set = out.get(f.letter_id) ?? new Set<string>();
    for (const t of themesOf.get(f.finding_id) ?? []) set.add(t);
    out.set(f.letter_id, set);
  }
  return out;
}

/** Consecutive inspections of each council in plain JS: sort by date, pair k with k+1. */
function expectedPairs(data: Data, filters: Filters) {
  const pool = data.letters.filter(
    (l) =>
      (!filters.region || l.region === filters.region) &&
      (!filters.kind || l.document_kind === filters.kind),
  );
  const byCouncil = new Map<string, LetterRow[]>();
  for (const l of pool) {
    const key = l.la_code ?? l.council_name;
    byCouncil.set(key, [...(byCouncil.get(key) ?? []), l]);
  }
  const pairs: { council: string; earlier: LetterRow; later: LetterRow; number: number }[] = [];
  for (const [council, list] of byCouncil) {
    list.sort(
      (a, b) =>
        a.inspection_start.localeCompare(b.inspection_start) ||
        a.letter_id.localeCompare(b.letter_id),
    );
    for (let k = 0; k + 1 < list.length; k++) {
      if (filters.year && list[k + 1]!.reporting_year !== filters.year) continue;
      pairs.push({ council, earlier: list[k]!, later: list[k + 1]!, number: k + 2 });
    }
  }
  return { pool, councils: byCouncil.size, pairs };
}

/** Runs the three recurrence builders and checks them against the plain-JS pairs. */
async function expectRecurrence(db: DuckDBConnection, data: Data, filters: Filters) {
  const { pool, councils, pairs } = expectedPairs(data, filters);
  const weak = weakThemes(data);
  const [summary] = await runBuilt<RecurrenceSummaryRow>(db, buildRecurrenceSummarySql(filters));
  expect(summary).toEqual({
    inspections: pool.length,
    councils,
    councils_with_repeat: new Set(pairs.map((p) => p.council)).size,
    pairs: pairs.length,
  });

  const before = new Map<string, number>();
  const again = new Map<string, number>();
  const instances: string[] = [];
  for (const p of pairs) {
    for (const theme of weak.get(p.earlier.letter_id) ?? []) {
      before.set(theme, (before.get(theme) ?? 0) + 1);
      if (weak.get(p.later.letter_id)?.has(theme)) {
        again.set(theme, (again.get(theme) ?? 0) + 1);
        instances.push(
          `${p.later.council_name}|${theme}|${p.earlier.letter_id}|${p.later.letter_id}|${p.number}`,
        );
      }
    }
  }
  const themes = await runBuilt<RecurrenceThemeRow>(db, buildRecurrenceThemesSql(filters));
  expect(new Set(themes.map((t) => t.theme_id))).toEqual(new Set(before.keys()));
  for (const row of themes) {
    expect(row.pairs).toBe(pairs.length);
    expect(row.pairs_raised_before, row.theme_id).toBe(before.get(row.theme_id));
    expect(row.pairs_raised_again, row.theme_id).toBe(again.get(row.theme_id) ?? 0);
    expect(row.share_raised_again).toBeCloseTo(
      (again.get(row.theme_id) ?? 0) / before.get(row.theme_id)!,
      10,
    );
  }
  const rows = await runBuilt<RecurrenceInstanceRow>(db, buildRecurrenceInstancesSql(filters));
  expect(
    rows
      .map(
        (r) =>
          `${r.council_name}|${r.theme_id}|${r.earlier_letter_id}|${r.later_letter_id}|${r.later_number}`,
      )
      .sort(),
  ).toEqual(instances.sort());
  return { summary: summary!, themes, instances: rows };
}

describe('recurrence on the letters held', () => {
  let db: DuckDBConnection;
  let dir: string;
  let data: Data;

  beforeAll(async () => {
    dir = ingestLetters();
    db = await openDatabase(dir);
    data = await readData(dir);
  });

  afterAll(() => {
    db?.closeSync();
    if (dir) removeIngested(dir);
  });

  it('finds no repeat inspection among one letter per council, and says how many there are', async () => {
    const result = await expectRecurrence(db, data, {});
    expect(result.summary.pairs).toBe(0);
    expect(result.themes).toEqual([]);
    expect(result.instances).toEqual([]);
  });

  it('lists the findings letters mark as raised before, by theme', async () => {
    const marked = data.findings.filter((f) => f.previously_identified);
    expect(marked.length).toBeGreaterThan(0);
    const rows = await runBuilt<PreviouslyIdentifiedFindingRow>(
      db,
      buildPreviouslyIdentifiedFindingsSql({}),
    );
    expect(rows.map((r) => r.finding_id).sort()).toEqual(marked.map((f) => f.finding_id).sort());
    expect(rows.every((r) => r.total_findings === marked.length)).toBe(true);
    const markedLetters = new Set(marked.map((f) => f.letter_id)).size;
    expect(rows.every((r) => r.total_letters === markedLetters)).toBe(true);
    // Capped: the first one in date order, and still the count of all of them.
    const capped = await runBuilt<PreviouslyIdentifiedFindingRow>(
      db,
      buildPreviouslyIdentifiedFindingsSql({}, 1),
    );
    expect(capped).toEqual(rows.slice(0, 1));
    const [together] = await runBuilt<PreviouslyIdentifiedRow>(
      db,
      buildPreviouslyIdentifiedSql({}, 1),
    );
    expect(together!.findings).toEqual(capped);
    expect(together!.themes).toEqual(await runBuilt(db, buildPreviouslyIdentifiedThemesSql({})));
    const firstStart = [...marked]
      .map((f) => data.letters.find((l) => l.letter_id === f.letter_id)!.inspection_start)
      .sort()[0];
    expect(capped[0]!.inspection_start).toBe(firstStart);
    for (const row of rows) {
      expect(row.themes.map((t) => t.theme_id).sort()).toEqual(
        data.findingThemes
          .filter((ft) => ft.finding_id === row.finding_id)
          .map((ft) => ft.theme_id)
          .sort(),
      );
    }

    const byTheme = new Map<string, FindingRow[]>();
    for (const ft of data.findingThemes) {
      const f = marked.find((m) => m.finding_id === ft.finding_id);
      if (f) byTheme.set(ft.theme_id, [...(byTheme.get(ft.theme_id) ?? []), f]);
    }
    const themes = await runBuilt<PreviouslyIdentifiedThemeRow>(
      db,
      buildPreviouslyIdentifiedThemesSql({}),
    );
    expect(new Set(themes.map((t) => t.theme_id))).toEqual(new Set(byTheme.keys()));
    for (const row of themes) {
      const list = byTheme.get(row.theme_id)!;
      expect(row.findings).toBe(list.length);
      expect(row.weakness_findings).toBe(list.filter((f) => WEAK.has(f.section)).length);
      expect(row.other_findings).toBe(list.filter((f) => !WEAK.has(f.section)).length);
      expect(row.letters).toBe(new Set(list.map((f) => f.letter_id)).size);
      expect([...row.letter_ids].sort()).toEqual([...new Set(list.map((f) => f.letter_id))].sort());
      row.letter_ids.forEach((id, i) =>
        expect(row.council_names[i]).toBe(
          data.letters.find((l) => l.letter_id === id)!.council_name,
        ),
      );
    }
  });

  it('binds hostile filter values as data', async () => {
    const value = "O'Brien'); DROP TABLE findings; --";
    const filters = { year: value, region: value, laType: value, kind: value };
    const [summary] = await runBuilt<RecurrenceSummaryRow>(db, buildRecurrenceSummarySql(filters));
    expect(summary).toEqual({ inspections: 0, councils: 0, councils_with_repeat: 0, pairs: 0 });
    expect(await runBuilt(db, buildPreviouslyIdentifiedFindingsSql(filters))).toEqual([]);
    const [count] = await runBuilt<{ n: number }>(db, {
      sql: 'SELECT count(*) AS n FROM findings',
      params: [],
    });
    expect(count!.n).toBe(data.findings.length);
  });
});

describe('recurrence with hand-made later inspections', () => {
  let db: DuckDBConnection;
  let sourceDir: string;
  let dir: string;
  let data: Data;
  let first: LetterRow;

  /**
   * Copies letter `from` as a later inspection `to` of the same council (or of a council renamed
   * and unrecognised), turning the weakness findings whose position is odd into strengths when
   * `dropOdd` is set, so that some themes recur and some do not.
   */
  async function addInspection(
    work: DuckDBConnection,
    options: {
      from: string;
      to: string;
      start: string;
      year: string;
      dropOdd: boolean;
      council?: string;
    },
  ) {
    const { from, to, start, year, dropOdd: drop } = options;
    const council = options.council ?? '';
    await work.run(
      `INSERT INTO letters SELECT * REPLACE (
         $to AS letter_id,
         CAST($start AS DATE) AS inspection_start,
         CAST($start AS DATE) + 1 AS inspection_end,
         year(CAST($start AS DATE))::INTEGER AS inspection_year,
         $year AS reporting_year,
         CASE WHEN $council = '' THEN council_name ELSE $council END AS council_name,
         CASE WHEN $council = '' THEN la_code END AS la_code,
         CASE WHEN $council = '' THEN dfe_la_code END AS dfe_la_code)
       FROM letters WHERE letter_id = $from`,
      { from, to, start, year, council },
    );
    await work.run(
      `INSERT INTO findings SELECT * REPLACE (
         $to || '#' || position AS finding_id,
         $to AS letter_id,
         CASE WHEN $drop AND position % 2 = 1 AND section IN ('development', 'priority_action')
           THEN 'strength' ELSE section END AS section)
       FROM findings WHERE letter_id = $from`,
      { from, to, drop },
    );
    await work.run(
      `INSERT INTO finding_themes SELECT ft.* REPLACE ($to || '#' || f.position AS finding_id)
       FROM finding_themes AS ft JOIN findings AS f USING (finding_id)
       WHERE f.letter_id = $from`,
      { from, to },
    );
  }

  beforeAll(async () => {
    sourceDir = ingestLetters();
    const work = await openDatabase(sourceDir);
    const original = await readData(sourceDir);
    // The letter with the most weakness themes, so that dropping half of them leaves a mix.
    const weak = weakThemes(original);
    first = [...original.letters].sort(
      (a, b) =>
        (weak.get(b.letter_id)?.size ?? 0) - (weak.get(a.letter_id)?.size ?? 0) ||
        a.letter_id.localeCompare(b.letter_id),
    )[0]!;
    const base = first.letter_id.replace(/-\d{4}-\d{2}-\d{2}$/, '');
    // Both come after every letter held. Inspection 2 drops some weaknesses; inspection 3 raises them all again, so a theme weak
    // at 1 and 3 but not at 2 recurs only from 2 to 3 (k to k+1), never from 1 to 3.
    await addInspection(work, {
      from: first.letter_id,
      to: `${base}-2011-06-01`,
      start: '2011-06-01',
      year: '2011-12',
      dropOdd: true,
    });
    await addInspection(work, {
      from: first.letter_id,
      to: `${base}-2012-05-01`,
      start: '2012-05-01',
      year: '2012-13',
      dropOdd: false,
    });
    // An unrecognised council (no ONS code) inspected twice: told apart by its name.
    const other = original.letters.find((l) => l.letter_id !== first.letter_id)!;
    for (const [to, start, year] of [
      ['atlantis-2010-06-01', '2010-06-01', '2010-11'],
      ['atlantis-2011-06-01', '2011-06-01', '2011-12'],
    ] as const) {
      await addInspection(work, {
        from: other.letter_id,
        to,
        start,
        year,
        dropOdd: to.includes('2011'),
        council: "Atlantis's Isle",
      });
    }
    // A second unrecognised council, inspected once between them, must not break their pair.
    await addInspection(work, {
      from: other.letter_id,
      to: 'lyonesse-2010-12-01',
      start: '2010-12-01',
      year: '2010-11',
      dropOdd: false,
      council: 'Lyonesse',
    });
    dir = mkdtempSync(join(tmpdir(), 'recurrence-data-'));
    for (const table of TABLE_NAMES) {
      await work.run(
        `COPY (SELECT * FROM ${table}) TO '${join(dir, `${table}.parquet`)}' (FORMAT PARQUET, COMPRESSION SNAPPY)`,
      );
    }
    work.closeSync();
    db = await openDatabase(dir);
    data = await readData(dir);
  });

  afterAll(() => {
    db?.closeSync();
    if (dir) rmSync(dir, { recursive: true, force: true });
    if (sourceDir) removeIngested(sourceDir);
  });

  it('pairs each council’s consecutive inspections and counts themes raised again', async () => {
    const result = await expectRecurrence(db, data, {});
    expect(result.summary.pairs).toBe(3);
    expect(result.summary.councils_with_repeat).toBe(2);
    const again = result.themes.filter((t) => t.pairs_raised_again > 0);
    const notAgain = result.themes.filter((t) => t.pairs_raised_again < t.pairs_raised_before);
    expect(again.length).toBeGreaterThan(0);
    expect(notAgain.length).toBeGreaterThan(0);
    expect(result.instances.some((i) => i.council_name === "Atlantis's Isle")).toBe(true);
    expect(result.instances.every((i) => i.later_number >= 2)).toBe(true);
  });

  it('never pairs inspection k with k+2', async () => {
    const result = await expectRecurrence(db, data, {});
    const base = first.letter_id.replace(/-\d{4}-\d{2}-\d{2}$/, '');
    expect(
      result.instances.filter(
        (i) =>
          i.earlier_letter_id === first.letter_id && i.later_letter_id === `${base}-2012-05-01`,
      ),
    ).toEqual([]);
  });

  it('counts a pair in the year of its later inspection', async () => {
    for (const year of ['2011-12', '2012-13', '2009-10']) {
      await expectRecurrence(db, data, { year });
    }
    const [later] = await runBuilt<RecurrenceSummaryRow>(
      db,
      buildRecurrenceSummarySql({ year: '2011-12' }),
    );
    expect(later!.pairs).toBe(2);
  });

  it('applies the region filter to both inspections of a pair', async () => {
    await expectRecurrence(db, data, { region: first.region! });
  });

  it('pairs consecutive inspections among the letters of one document kind', async () => {
    // The kind changes which inspections are consecutive, so the pairs are made afresh.
    const kinds = [...new Set(data.letters.map((l) => l.document_kind))];
    for (const kind of kinds) await expectRecurrence(db, data, { kind });
    const [all] = await runBuilt<RecurrenceRow>(db, buildRecurrenceSql({}));
    const [ofsted] = await runBuilt<RecurrenceRow>(
      db,
      buildRecurrenceSql({ kind: 'ofsted_letter' }),
    );
    expect(ofsted!.summary.pairs).toBeLessThanOrEqual(all!.summary.pairs);
  });

  it('lists only the first recurrences when capped, in order, and counts them all', async () => {
    const all = await runBuilt<RecurrenceInstanceRow>(db, buildRecurrenceInstancesSql({}));
    expect(all.length).toBeGreaterThan(2);
    expect(all.every((r) => r.total_instances === all.length)).toBe(true);
    const sorted = [...all].sort(
      (a, b) =>
        a.council_name.localeCompare(b.council_name, 'en') ||
        a.later_start.localeCompare(b.later_start),
    );
    expect(all.map((r) => `${r.council_name}|${r.later_start}`)).toEqual(
      sorted.map((r) => `${r.council_name}|${r.later_start}`),
    );
    const capped = await runBuilt<RecurrenceInstanceRow>(db, buildRecurrenceInstancesSql({}, 2));
    expect(capped).toEqual(all.slice(0, 2));
  });

  it('answers the summary, themes and first recurrences in one statement as apart', async () => {
    for (const filters of [{}, { year: '2011-12' }, { region: first.region! }]) {
      const [row] = await runBuilt<RecurrenceRow>(db, buildRecurrenceSql(filters, 2));
      const [summary] = await runBuilt(db, buildRecurrenceSummarySql(filters));
      expect(row!.summary).toEqual(summary);
      expect(row!.themes).toEqual(await runBuilt(db, buildRecurrenceThemesSql(filters)));
      expect(row!.instances).toEqual(await runBuilt(db, buildRecurrenceInstancesSql(filters, 2)));
    }
    const [all] = await runBuilt<RecurrenceRow>(db, buildRecurrenceSql({}));
    expect(all!.instances.length).toBeGreaterThan(2);
  });
});
