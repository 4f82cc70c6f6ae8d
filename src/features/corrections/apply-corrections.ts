/**
 * Applies the corrections made in this browser to the data engine's tables, with the same code
 * the ingest applies a corrections file with (src/core/corrections.ts), so that the page's counts
 * and the published ones agree. The rows of every letter a correction touched are kept as they
 * were read (`corrections_base_*`), and each change of the list rebuilds those letters' rows from
 * them: undoing one correction, whichever, leaves exactly the others applied.
 */
import {
  applyCorrections,
  letterOfKey,
  type Correction,
  type UnappliedCorrection,
} from '@/core/corrections';
import { TABLES, type ColumnType, type FindingRow, type FindingThemeRow } from '@/core/schema';
import { query, refreshDerivedTables, withOwnConnection } from '@/lib/duckdb';
import { retirePrecomputed } from '@/lib/precomputed';

const BASE_FINDINGS = 'corrections_base_findings';
const BASE_THEMES = 'corrections_base_themes';
const STAGE_THEMES = 'corrections_stage_themes';
const STAGE_SECTIONS = 'corrections_stage_sections';
/** Letters whose kept rows no longer match the engine's: a finding gone or its text changed. */
const STALE_LETTERS = `SELECT DISTINCT b.letter_id FROM ${BASE_FINDINGS} AS b
  LEFT JOIN findings AS f ON f.finding_id = b.finding_id
  WHERE f.finding_id IS NULL OR f.text <> b.text
     OR f.finding_key IS DISTINCT FROM b.finding_key`;

/**
 * Saved themes' tags (`source` `user`, src/app/saved-themes) follow their searches: corrections
 * neither keep nor rewrite them.
 */
const NOT_USER_TAG = `source IS DISTINCT FROM 'user'`;

/** What applying the list came to. */
export interface ApplyOutcome {
  applied: number;
  unapplied: UnappliedCorrection[];
}

const quote = (text: string) => `'${text.replaceAll("'", "''")}'`;

let queue: Promise<unknown> = Promise.resolve();

/**
 * Rebuilds the rows of every letter that the corrections (or an earlier list) touched, from the
 * rows as read, with `corrections` applied in order; then the derived tables. One run at a time.
 */
export function applyUserCorrections(corrections: readonly Correction[]): Promise<ApplyOutcome> {
  const run = queue.then(() => applyNow(corrections));
  queue = run.catch(() => undefined);
  return run;
}

async function applyNow(corrections: readonly Correction[]): Promise<ApplyOutcome> {
  const wanted = [...new Set(corrections.map((c) => letterOfKey(c.finding_key)))];
  await withOwnConnection(async (conn) => {
    await conn.query(
      `CREATE TABLE IF NOT EXISTS ${BASE_FINDINGS} AS SELECT * FROM findings LIMIT 0`,
    );
    await conn.query(
      `CREATE TABLE IF NOT EXISTS ${BASE_THEMES} AS SELECT * FROM finding_themes LIMIT 0`,
    );
  });
  // A letter replaced since its rows were kept (added again in the page) is kept afresh.
  await query(
    `DELETE FROM ${BASE_THEMES} WHERE finding_id IN (
       SELECT b.finding_id FROM ${BASE_FINDINGS} AS b
       WHERE b.letter_id IN (${STALE_LETTERS}))`,
  );
  await query(`DELETE FROM ${BASE_FINDINGS} WHERE letter_id IN (${STALE_LETTERS})`);
  const known = new Set(
    (await query<{ letter_id: string }>(`SELECT DISTINCT letter_id FROM ${BASE_FINDINGS}`)).map(
      (r) => r.letter_id,
    ),
  );
  const fresh = wanted.filter((id) => !known.has(id));
  if (fresh.length > 0) {
    // Letters touched for the first time: keep their rows as read.
    const list = fresh.map(quote).join(', ');
    await query(`INSERT INTO ${BASE_FINDINGS} SELECT * FROM findings WHERE letter_id IN (${list})`);
    await query(
      `INSERT INTO ${BASE_THEMES} SELECT * FROM finding_themes
       WHERE finding_id IN (SELECT finding_id FROM findings WHERE letter_id IN (${list}))
         AND ${NOT_USER_TAG}`,
    );
  }
  const findings = await query<FindingRow>(
    `SELECT * FROM ${BASE_FINDINGS} ORDER BY letter_id, position`,
  );
  if (findings.length === 0) return { applied: 0, unapplied: [] };
  const themes = await query<FindingThemeRow>(
    `SELECT * FROM ${BASE_THEMES} ORDER BY finding_id, rank`,
  );
  const out = applyCorrections(findings, themes, corrections, 'you');
  await withOwnConnection(async (conn, arrow) => {
    const columns = Object.entries(TABLES.finding_themes) as [string, ColumnType][];
    const names = columns.map(([name]) => name);
    const stage = arrow.tableFromArrays({
      ...Object.fromEntries(
        names.map((name) => [
          name,
          out.findingThemes.map((row) => {
            const value = (row as unknown as Record<string, unknown>)[name];
            return value === null || value === undefined ? null : String(value);
          }),
        ]),
      ),
    } as Record<string, (string | null)[]>);
    const sections = arrow.tableFromArrays({
      finding_id: out.findings.map((f) => f.finding_id),
      section: out.findings.map((f) => f.section),
    });
    await conn.query(`DROP TABLE IF EXISTS ${STAGE_THEMES}`);
    await conn.query(`DROP TABLE IF EXISTS ${STAGE_SECTIONS}`);
    if (out.findingThemes.length > 0)
      await conn.insertArrowTable(stage, { name: STAGE_THEMES, create: true });
    await conn.insertArrowTable(sections, { name: STAGE_SECTIONS, create: true });
    try {
      await conn.query('BEGIN TRANSACTION');
      await conn.query(
        `DELETE FROM finding_themes
         WHERE finding_id IN (SELECT finding_id FROM ${BASE_FINDINGS}) AND ${NOT_USER_TAG}`,
      );
      if (out.findingThemes.length > 0) {
        const values = columns
          .map(([name, type]) =>
            type === 'BOOLEAN' ? `CAST(${name} = 'true' AS BOOLEAN)` : `CAST(${name} AS ${type})`,
          )
          .join(', ');
        await conn.query(
          `INSERT INTO finding_themes (${names.join(', ')}) SELECT ${values} FROM ${STAGE_THEMES}`,
        );
      }
      await conn.query(
        `UPDATE findings SET section = s.section FROM ${STAGE_SECTIONS} AS s
         WHERE findings.finding_id = s.finding_id AND findings.section <> s.section`,
      );
      await conn.query(
        `UPDATE letters SET has_priority_actions = EXISTS (
           SELECT 1 FROM findings AS f
           WHERE f.letter_id = letters.letter_id AND f.section = 'priority_action')
         WHERE letter_id IN (SELECT DISTINCT letter_id FROM ${BASE_FINDINGS})`,
      );
      await conn.query('COMMIT');
    } catch (error) {
      await conn.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      await conn.query(`DROP TABLE IF EXISTS ${STAGE_THEMES}`).catch(() => undefined);
      await conn.query(`DROP TABLE IF EXISTS ${STAGE_SECTIONS}`).catch(() => undefined);
    }
  });
  await refreshDerivedTables();
  // The build's precomputed answers describe the data as published, not as corrected here.
  if (corrections.length > 0) retirePrecomputed();
  return { applied: out.applied.length, unapplied: out.unapplied };
}
