import type { AsyncDuckDBConnection } from '@duckdb/duckdb-wasm';
import type * as Arrow from 'apache-arrow';
import type { LetterRows } from '@/core/pipeline/to-rows';
import { TABLES, type ColumnType } from '@/core/schema';
import { ADDED_LETTERS } from '@/lib/derived-tables';
import { query, refreshDerivedTables, withOwnConnection } from '@/lib/duckdb';
import { retirePrecomputed } from '@/lib/precomputed';

/** The tables a letter's rows go into. */
const LETTER_TABLES = ['letters', 'findings', 'finding_themes'] as const;
type LetterTable = (typeof LETTER_TABLES)[number];

/** A letter that was already in the session and was replaced by the one just added. */
export interface ReplacedLetter {
  letter_id: string;
  /** The file the earlier copy came from. */
  previous_file: string;
  /** True when the earlier copy had been added in this session, false when it was bundled. */
  was_added: boolean;
}

/** What an insert did. */
export interface InsertOutcome {
  inserted: number;
  replaced: ReplacedLetter[];
}

const stage = (table: LetterTable) => `add_letters_stage_${table}`;

function arrowType(arrow: typeof Arrow, type: ColumnType): Arrow.DataType {
  if (type === 'INTEGER') return new arrow.Int32();
  if (type === 'DOUBLE') return new arrow.Float64();
  if (type === 'BOOLEAN') return new arrow.Bool();
  // Dates go in as ISO text and are cast by DuckDB on the way into the table.
  return new arrow.Utf8();
}

function toArrow(arrow: typeof Arrow, table: LetterTable, rows: readonly object[]): Arrow.Table {
  const columns = Object.entries(TABLES[table]) as [string, ColumnType][];
  const vectors: Record<string, Arrow.Vector> = {};
  for (const [name, type] of columns) {
    const values = rows.map((row) => (row as Record<string, unknown>)[name] ?? null);
    vectors[name] = arrow.vectorFromArray(values, arrowType(arrow, type));
  }
  return new arrow.Table(vectors);
}

async function rowsOf<Row>(conn: AsyncDuckDBConnection, sql: string): Promise<Row[]> {
  const result = await conn.query(sql);
  return result.toArray().map((row) => row.toJSON() as Row);
}

let queue: Promise<unknown> = Promise.resolve();

/**
 * Puts letters into the session's tables and marks them as added: a letter whose id (council and
 * inspection start) is already there, bundled or added, replaces it with its findings and themes,
 * all in one transaction. Calls run one after another.
 */
export function insertLetters(letters: readonly LetterRows[]): Promise<InsertOutcome> {
  const run = queue.then(() => insertNow(letters));
  queue = run.catch(() => undefined);
  return run;
}

async function insertNow(letters: readonly LetterRows[]): Promise<InsertOutcome> {
  if (letters.length === 0) return { inserted: 0, replaced: [] };
  // The letters' texts load lazily from the bundled file, and a late load would write the
  // bundled text over a replacing letter's: load them before anything is replaced.
  await query('SELECT count(source_text) AS n FROM letters');
  const rows: Record<LetterTable, readonly object[]> = {
    letters: letters.map((l) => l.letter),
    findings: letters.flatMap((l) => l.findings),
    finding_themes: letters.flatMap((l) => l.findingThemes),
  };
  const outcome = await withOwnConnection(async (conn, arrow) => {
    for (const table of LETTER_TABLES) {
      await conn.query(`DROP TABLE IF EXISTS ${stage(table)}`);
      await conn.insertArrowTable(toArrow(arrow, table, rows[table]), {
        name: stage(table),
        create: true,
      });
    }
    try {
      await conn.query('BEGIN TRANSACTION');
      const replaced = await rowsOf<ReplacedLetter>(
        conn,
        `SELECT l.letter_id, l.source_file AS previous_file, a.letter_id IS NOT NULL AS was_added
         FROM letters AS l LEFT JOIN ${ADDED_LETTERS} AS a USING (letter_id)
         WHERE l.letter_id IN (SELECT letter_id FROM ${stage('letters')})
         ORDER BY l.letter_id`,
      );
      const ids = `(SELECT letter_id FROM ${stage('letters')})`;
      await conn.query(
        `DELETE FROM finding_themes WHERE finding_id IN (SELECT finding_id FROM findings WHERE letter_id IN ${ids})`,
      );
      await conn.query(`DELETE FROM findings WHERE letter_id IN ${ids}`);
      await conn.query(`DELETE FROM letters WHERE letter_id IN ${ids}`);
      for (const table of LETTER_TABLES) {
        const columns = Object.entries(TABLES[table]) as [string, ColumnType][];
        const names = columns.map(([name]) => name).join(', ');
        const values = columns.map(([name, type]) => `CAST(${name} AS ${type})`).join(', ');
        await conn.query(`INSERT INTO ${table} (${names}) SELECT ${values} FROM ${stage(table)}`);
      }
      await conn.query(
        `INSERT INTO ${ADDED_LETTERS} SELECT letter_id FROM ${stage('letters')}
         WHERE letter_id NOT IN (SELECT letter_id FROM ${ADDED_LETTERS})`,
      );
      await conn.query('COMMIT');
      return { inserted: rows.letters.length, replaced };
    } catch (error) {
      await conn.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      for (const table of LETTER_TABLES)
        await conn.query(`DROP TABLE IF EXISTS ${stage(table)}`).catch(() => undefined);
    }
  });
  await refreshDerivedTables();
  // The build's precomputed answers describe the bundled letters only: no view may show them
  // (as placeholders) once the session holds others.
  retirePrecomputed();
  return outcome;
}

/**
 * Takes letters added in this session out of its tables (their findings and themes too) and
 * rebuilds the derived tables. A bundled letter that one of them replaced comes back only from
 * the bundled files, on the next load.
 */
export function removeAddedLetters(letterIds: readonly string[]): Promise<number> {
  const run = queue.then(async () => {
    if (letterIds.length === 0) return 0;
    const list = letterIds.map((id) => `'${id.replaceAll("'", "''")}'`).join(', ');
    const removed = await withOwnConnection(async (conn) => {
      try {
        await conn.query('BEGIN TRANSACTION');
        const ids = `(SELECT letter_id FROM ${ADDED_LETTERS} WHERE letter_id IN (${list}))`;
        const counted = await rowsOf<{ n: number }>(
          conn,
          `SELECT count(*)::INTEGER AS n FROM letters WHERE letter_id IN ${ids}`,
        );
        await conn.query(
          `DELETE FROM finding_themes WHERE finding_id IN (SELECT finding_id FROM findings WHERE letter_id IN ${ids})`,
        );
        await conn.query(`DELETE FROM findings WHERE letter_id IN ${ids}`);
        await conn.query(`DELETE FROM letters WHERE letter_id IN ${ids}`);
        await conn.query(`DELETE FROM ${ADDED_LETTERS} WHERE letter_id IN (${list})`);
        await conn.query('COMMIT');
        return Number(counted[0]?.n ?? 0);
      } catch (error) {
        await conn.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    });
    await refreshDerivedTables();
    return removed;
  });
  queue = run.catch(() => undefined);
  return run;
}
