import type { AsyncDuckDBConnection } from '@duckdb/duckdb-wasm';
import type { TableName } from '@/core/schema';
import { DERIVED_TABLES_SQL, ON_DEMAND_TABLES_SQL } from '@/lib/derived-tables';
import { engineQuiet, sideConnection } from '@/lib/duckdb';
import { inlineParams, type SqlQuery } from '@/lib/sql';

/**
 * The engine's warm-up. DuckDB-WASM's code is compiled twice by the browser: at once by a fast
 * baseline compiler, and then, function by function once each has run for a while, by the
 * optimising one. Until then the engine runs some two to three times slower (measured: the
 * overview's statement took 42 ms, then 18 ms once warm, at 100,000 findings). So while the
 * reader looks at the first chart, the engine runs every view's statements once, on a miniature
 * copy of the data in a schema of its own: the code paths are the same, the data a few hundred
 * letters whatever the size of the data set, and each statement waits for a quiet moment, so
 * that none delays a query someone is waiting for. The copy is dropped at the end.
 */

/** The schema the miniature copy lives in, on a connection of its own. */
export const WARM_UP_SCHEMA = 'warm_up';

/** How many letters the miniature copy holds (with their findings and themes). */
export const WARM_UP_LETTERS = 150;

/**
 * The Parquet tables as the copy takes them: a sample of letters, their findings and themes,
 * and the reference tables whole. Keyed by table so that a table added to the contract is a
 * type error here until the copy takes it too.
 */
export const WARM_UP_COPIES: Record<TableName, string> = {
  letters: `SELECT * FROM main.letters ORDER BY hash(letter_id), letter_id LIMIT ${WARM_UP_LETTERS}`,
  findings: `SELECT * FROM main.findings
    WHERE letter_id IN (SELECT letter_id FROM ${WARM_UP_SCHEMA}.letters)`,
  finding_themes: `SELECT * FROM main.finding_themes
    WHERE finding_id IN (SELECT finding_id FROM ${WARM_UP_SCHEMA}.findings)`,
  themes: `SELECT * FROM main.themes`,
  councils: `SELECT * FROM main.councils`,
};

/**
 * The statements that make the copy, in order, for a connection whose default schema is
 * {@link WARM_UP_SCHEMA}: the tables copied (named with their schema, so that no statement can
 * replace the data's own), then the derived tables built from them, eager and on demand.
 */
export function warmUpSetupSql(): string[] {
  return [
    ...Object.entries(WARM_UP_COPIES).map(
      ([table, select]) => `CREATE OR REPLACE TABLE ${WARM_UP_SCHEMA}.${table} AS ${select}`,
    ),
    ...DERIVED_TABLES_SQL,
    ...Object.values(ON_DEMAND_TABLES_SQL).flat(),
  ];
}

/** One letter's filter values in the copy (one with a region and council type, if any). */
export const WARM_UP_SAMPLE_SQL = `SELECT l.region, l.reporting_year AS year, c.la_type AS "laType",
    l.document_kind AS kind
  FROM letters AS l LEFT JOIN councils AS c ON c.la_code = l.la_code
  ORDER BY (l.region IS NULL), (c.la_type IS NULL), l.letter_id LIMIT 1`;

/** Filter values found in the miniature copy, for the statements to filter by. */
export interface WarmUpSample {
  region: string | null;
  year: string | null;
  laType: string | null;
  kind: string | null;
}

/** What the warm-up did: statements run, the first that failed (if any), and its time. */
export interface WarmUpResult {
  statements: number;
  failed: number;
  firstError: string | null;
  ms: number;
}

/**
 * Runs the warm-up: copies a sample into {@link WARM_UP_SCHEMA}, builds the derived tables there,
 * runs `statementsFor(sample)` one by one, and drops the copy, each step once the engine is quiet.
 * A statement that fails is counted and the rest still run; the copy is dropped in any case.
 */
export async function warmUpEngine(
  statementsFor: (sample: WarmUpSample) => readonly SqlQuery[],
): Promise<WarmUpResult> {
  const started = performance.now();
  const conn = await sideConnection();
  const result: WarmUpResult = { statements: 0, failed: 0, firstError: null, ms: 0 };
  const step = async (what: () => Promise<unknown>) => {
    await engineQuiet();
    try {
      await what();
    } catch (error) {
      result.failed++;
      result.firstError ??= error instanceof Error ? error.message : String(error);
    }
  };
  try {
    await step(() => conn.query(`CREATE SCHEMA IF NOT EXISTS ${WARM_UP_SCHEMA}`));
    await conn.query(`USE ${WARM_UP_SCHEMA}`);
    for (const sql of warmUpSetupSql()) await step(() => conn.query(sql));
    const sample = await sampleValues(conn);
    for (const statement of statementsFor(sample)) {
      result.statements++;
      await step(() => runOnce(conn, statement));
    }
  } finally {
    await dropCopy(conn);
    result.ms = Math.round(performance.now() - started);
  }
  return result;
}

async function sampleValues(conn: AsyncDuckDBConnection): Promise<WarmUpSample> {
  const table = await conn.query(WARM_UP_SAMPLE_SQL);
  const row = table.toArray()[0] as Record<string, string | null> | undefined;
  return {
    region: row?.region ?? null,
    year: row?.year ?? null,
    laType: row?.laType ?? null,
    kind: row?.kind ?? null,
  };
}

/** Runs a statement as the views' queries run (`query` in src/lib/duckdb.ts): values written in. */
async function runOnce(conn: AsyncDuckDBConnection, statement: SqlQuery): Promise<void> {
  await conn.query(inlineParams(statement));
}

async function dropCopy(conn: AsyncDuckDBConnection): Promise<void> {
  try {
    await conn.query('USE main');
    await conn.query(`DROP SCHEMA IF EXISTS ${WARM_UP_SCHEMA} CASCADE`);
  } finally {
    await conn.close();
  }
}
