import { describe, expect, it } from 'vitest';
import type { Filters } from '@/lib/filters';
import { markedSegments } from '@/lib/search/marked-segments';
import { indexFindings, runSearch } from '@/lib/search/search-model';
import { buildSearchFindingsSql, type SearchFindingRow } from '@/lib/search/search-rows';
import { runBuilt, useContractFixture } from '../support/parquet-fixture';

const fixture = useContractFixture();

interface GroupRow {
  council_name: string;
  reporting_year: string;
  section: string;
  findings: number;
}

/**
 * Matching findings per council, year and section counted by DuckDB alone: the forms of
 * "assessment" (the index's vocabulary holds exactly "assessment" and "assessments" for it, which
 * the first test checks) as whole words in the lower-cased text.
 */
async function sqlGroups(filters: { year?: string; section?: string }): Promise<GroupRow[]> {
  const conditions = [`regexp_matches(lower(f.text), '\\bassessments?\\b')`];
  if (filters.year) conditions.push(`l.reporting_year = '${filters.year}'`);
  if (filters.section) conditions.push(`f.section = '${filters.section}'`);
  return runBuilt<GroupRow>(fixture.db, {
    sql: `SELECT l.council_name, l.reporting_year, f.section, count(*)::INTEGER AS findings
          FROM findings AS f JOIN letters AS l USING (letter_id)
          WHERE ${conditions.join(' AND ')}
          GROUP BY ALL`,
    params: [],
  });
}

function sum(rows: readonly GroupRow[], key: 'council_name' | 'reporting_year' | 'section') {
  const out = new Map<string, number>();
  for (const r of rows) out.set(r[key], (out.get(r[key]) ?? 0) + r.findings);
  return out;
}

async function loadIndex() {
  return indexFindings(await runBuilt<SearchFindingRow>(fixture.db, buildSearchFindingsSql()));
}

describe('search view counts', () => {
  it('counts "assessments" per council, year and section as SQL does', async () => {
    const found = await loadIndex();
    expect(found.rows).toHaveLength(fixture.findings.length);
    const lemma = found.index.lemmaIds.get('assessment')!;
    const forms = found.index.forms.filter((_, f) => found.index.formLemma[f] === lemma);
    expect(forms.sort()).toEqual(['assessment', 'assessments']);

    const expected = await sqlGroups({});
    const total = expected.reduce((n, r) => n + r.findings, 0);
    expect(total).toBeGreaterThan(0);
    const outcome = runSearch(found, 'assessments', {});
    if (!outcome.ok) throw new Error(outcome.error.message);
    expect(outcome.total).toBe(total);
    const asMap = (rows: { value: string; findings: number }[]) =>
      new Map(rows.map((r) => [r.value, r.findings]));
    expect(asMap(outcome.byCouncil)).toEqual(sum(expected, 'council_name'));
    expect(asMap(outcome.byYear)).toEqual(sum(expected, 'reporting_year'));
    expect(asMap(outcome.bySection)).toEqual(sum(expected, 'section'));
    expect(outcome.matches.length).toBe(Math.min(50, total));
    for (const m of outcome.matches) {
      const marked = markedSegments(m.row.text, m.spans).filter((s) => s.marked);
      expect(marked.length).toBeGreaterThan(0);
      for (const s of marked) expect(s.text.toLowerCase()).toMatch(/^assessments?$/);
    }
  });

  it('combines the search with the shared filters', async () => {
    const found = await loadIndex();
    const year = fixture.letters[0]!.reporting_year;
    for (const filters of [{ year }, { section: 'weakness' }] as Filters[]) {
      const expected =
        filters.section === 'weakness'
          ? [
              ...(await sqlGroups({ section: 'development' })),
              ...(await sqlGroups({ section: 'priority_action' })),
            ]
          : await sqlGroups({ year });
      const outcome = runSearch(found, 'assessment', filters);
      if (!outcome.ok) throw new Error(outcome.error.message);
      expect(outcome.total).toBe(expected.reduce((n, r) => n + r.findings, 0));
    }
  });

  it('gives the parser’s reason for a query it cannot read', async () => {
    const found = await loadIndex();
    const outcome = runSearch(found, '"late', {});
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.error.message).toMatch(/never closed/);
  });
});

describe('markedSegments', () => {
  it('joins matched words a space apart into one mark and keeps every character', () => {
    const text = 'Multi-agency strategy discussions were late.';
    const segments = markedSegments(text, [
      [13, 21],
      [22, 33],
      [39, 43],
    ]);
    expect(segments.map((s) => s.text).join('')).toBe(text);
    expect(segments.filter((s) => s.marked).map((s) => s.text)).toEqual([
      'strategy discussions',
      'late',
    ]);
  });
});
