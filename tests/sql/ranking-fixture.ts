import { afterAll, beforeAll } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { ALL_SURE_TABLES_SQL } from '@/lib/derived-tables';
import { sql, type SqlQuery } from '@/lib/sql';
import { writeSyntheticParquet } from '../../scripts/bench/synthetic-parquet';
import { ROOT } from '../helpers/gold';
import { runIngest } from '../helpers/run-ingest';
import { openDatabase, runBuilt } from '../support/parquet-fixture';

/**
 * The council profile's and the theme ranking's test data: the bundled letters ingested together
 * with the labelled letters of ../shared/letters-more (twelve letters of eleven councils, Leeds
 * inspected twice a year apart), and a synthetic set recombining those letters' findings across
 * every council and year (src/../scripts/bench/synthetic-parquet.ts) for ranks among ~150
 * councils with many ties. Both are opened in DuckDB with every derived table and sure twin.
 */
export const MORE_LETTERS = path.resolve(ROOT, '../shared/letters-more/files');

/** Whether the labelled letters are there (they live beside the project, not in it). */
export const HAVE_MORE = existsSync(MORE_LETTERS);

export interface RankingFixture {
  /** The real ingest: bundled letters and, when present, the labelled ones. */
  real: DuckDBConnection;
  /** The synthetic set of about 5,000 findings over every council. */
  synthetic: DuckDBConnection;
}

/** Registers hooks that ingest, generate and open both sets; read the fields inside tests. */
export function useRankingFixture(): RankingFixture {
  const fixture: Partial<RankingFixture> = {};
  let work: string | undefined;
  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'ranking-'));
    const realDir = path.join(work, 'real');
    const run = runIngest(['--out', realDir, 'data/letters', ...(HAVE_MORE ? [MORE_LETTERS] : [])]);
    if (run.status !== 0) throw new Error(`ingest exited ${run.status}: ${run.stderr}`);
    const syntheticDir = path.join(work, 'synthetic');
    await writeSyntheticParquet(realDir, 5_000, syntheticDir);
    fixture.real = await openDatabase(realDir);
    fixture.synthetic = await openDatabase(syntheticDir);
    for (const db of [fixture.real, fixture.synthetic]) {
      for (const statement of ALL_SURE_TABLES_SQL) await db.run(statement);
    }
  }, 240_000);
  afterAll(() => {
    fixture.real?.closeSync();
    fixture.synthetic?.closeSync();
    if (work) rmSync(work, { recursive: true, force: true });
  });
  return fixture as RankingFixture;
}

/** The letter filters an independent query applies, written out again here. */
export interface PlainFilters {
  year?: string;
  region?: string;
  laType?: string;
  kind?: string;
  /** Leave out uncertain theme tags. */
  sure?: boolean;
}

/** Conditions on `letters AS l LEFT JOIN councils AS c`, written independently of the app. */
export function plainLetterConditions(filters: PlainFilters): SqlQuery {
  const parts: SqlQuery[] = [sql`TRUE`];
  if (filters.year) parts.push(sql` AND l.reporting_year = ${filters.year}`);
  if (filters.region) parts.push(sql` AND l.region = ${filters.region}`);
  if (filters.laType) parts.push(sql` AND c.la_type = ${filters.laType}`);
  if (filters.kind) parts.push(sql` AND l.document_kind = ${filters.kind}`);
  return {
    sql: parts.map((p) => p.sql).join(''),
    params: parts.flatMap((p) => p.params),
  };
}

/** One council on one theme as the independent query gives it. */
export interface ExpectedRank {
  council_key: string;
  n: number;
  hits: number;
  rank: number;
  at_or_above: number;
  total: number;
  quartile: string;
  low: number;
  high: number;
}

/**
 * The ranking of every council with letters on one theme, from the contract's tables alone (no
 * derived table): letters per council, letters with a finding on the theme under development or
 * priority action, the rank as one more than the councils with a strictly larger share (fractions
 * compared by cross-multiplying, so that ties are exact), the councils at or above, the band of
 * the tie's middle place, and the Wilson interval by its formula.
 */
export function expectedRankingSql(theme: string, filters: PlainFilters): SqlQuery {
  const tags = filters.sure ? sql`AND ft.uncertain IS NOT TRUE` : sql``;
  return sql`
    WITH l AS (
      SELECT l.letter_id, coalesce(l.la_code, l.council_name) AS council_key
      FROM letters AS l LEFT JOIN councils AS c ON c.la_code = l.la_code
      WHERE ${plainLetterConditions(filters)}
    ),
    w AS (
      SELECT DISTINCT f.letter_id
      FROM findings AS f JOIN finding_themes AS ft ON ft.finding_id = f.finding_id
      WHERE ft.theme_id = ${theme} AND f.section IN ('development', 'priority_action') ${tags}
    ),
    c AS (
      SELECT council_key, count(*) AS n,
        count(*) FILTER (WHERE letter_id IN (SELECT letter_id FROM w)) AS hits
      FROM l GROUP BY council_key
    ),
    r AS (
      SELECT a.council_key, a.n, a.hits,
        (SELECT count(*) FROM c AS b WHERE b.hits * a.n > a.hits * b.n) + 1 AS rank,
        (SELECT count(*) FROM c AS b WHERE b.hits * a.n >= a.hits * b.n) AS at_or_above,
        (SELECT count(*) FROM c) AS total,
        a.hits / a.n AS p
      FROM c AS a
    ),
    z AS (SELECT 1.96 AS z)
    SELECT r.council_key, r.n::INTEGER AS n, r.hits::INTEGER AS hits, r.rank::INTEGER AS rank,
      r.at_or_above::INTEGER AS at_or_above, r.total::INTEGER AS total,
      CASE
        WHEN (r.rank - 1 + r.at_or_above) / (2.0 * r.total) <= 0.25 THEN 'A'
        WHEN (r.rank - 1 + r.at_or_above) / (2.0 * r.total) <= 0.5 THEN 'B'
        WHEN (r.rank - 1 + r.at_or_above) / (2.0 * r.total) <= 0.75 THEN 'C'
        ELSE 'D'
      END AS quartile,
      greatest(0, (r.p + z * z / (2 * r.n)
        - z * sqrt(r.p * (1 - r.p) / r.n + z * z / (4 * r.n * r.n))) / (1 + z * z / r.n)) AS low,
      least(1, (r.p + z * z / (2 * r.n)
        + z * sqrt(r.p * (1 - r.p) / r.n + z * z / (4 * r.n * r.n))) / (1 + z * z / r.n)) AS high
    FROM r, z
    ORDER BY r.council_key`;
}

/** Runs {@link expectedRankingSql}. */
export function expectedRanking(
  db: DuckDBConnection,
  theme: string,
  filters: PlainFilters = {},
): Promise<ExpectedRank[]> {
  return runBuilt<ExpectedRank>(db, expectedRankingSql(theme, filters));
}
