import type { AsyncDuckDBConnection } from '@duckdb/duckdb-wasm';
import { TABLES, type ColumnType } from '@/core/schema';
import { ADDED_LETTERS } from '@/lib/derived-tables';
import { query, refreshDerivedTables, withOwnConnection } from '@/lib/duckdb';
import { retirePrecomputed } from '@/lib/precomputed';
import { LETTER_TABLES, stageColumns, type LetterTable, type StagedChunk } from './letter-ipc';
import { abortError } from './cancelled';

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

/** Letters laid out for the engine by the worker (src/features/add-letters/letter-ipc.ts). */
export interface StagedLetters {
  count: number;
  chunks: StagedChunk[];
}

/** What an insert reports, and how it is stopped. */
export interface InsertOptions {
  /**
   * Aborted before the letters are committed, the insert stops at its next step, rolls back and
   * rejects with an AbortError: the session's tables are as they were.
   */
  signal?: AbortSignal;
  /** After each chunk is in the engine's stage tables: how many letters are there so far. */
  onStaged?: (letters: number) => void;
  /** Called just before the commit: from then on the insert can no longer be cancelled. */
  onCommit?: () => void;
}

const stage = (table: LetterTable) => `add_letters_stage_${table}`;

async function rowsOf<Row>(conn: AsyncDuckDBConnection, sql: string): Promise<Row[]> {
  const result = await conn.query(sql);
  return result.toArray().map((row) => row.toJSON() as Row);
}

let queue: Promise<unknown> = Promise.resolve();

/**
 * Puts letters into the session's tables and marks them as added: a letter whose id (council and
 * inspection start) is already there, bundled or added, replaces it with its findings and themes,
 * all in one transaction. Calls run one after another. The page's thread only hands the worker's
 * Arrow IPC to the engine, chunk by chunk.
 */
export function insertLetters(
  staged: StagedLetters,
  options: InsertOptions = {},
): Promise<InsertOutcome> {
  const run = queue.then(() => insertNow(staged, options));
  queue = run.catch(() => undefined);
  return run;
}

async function insertNow(staged: StagedLetters, options: InsertOptions): Promise<InsertOutcome> {
  const check = () => {
    if (options.signal?.aborted) throw abortError();
  };
  check();
  if (staged.count === 0) return { inserted: 0, replaced: [] };
  // The letters' texts load lazily from the bundled file, and a late load would write the
  // bundled text over a replacing letter's: load them before anything is replaced.
  await query('SELECT count(source_text) AS n FROM letters');
  check();
  const outcome = await withOwnConnection(async (conn) => {
    try {
      for (const table of LETTER_TABLES) {
        const ddl = stageColumns(table)
          .map(([name, type]) => `${name} ${type}`)
          .join(', ');
        await conn.query(`CREATE OR REPLACE TABLE ${stage(table)} (${ddl})`);
      }
      let letters = 0;
      for (const chunk of staged.chunks) {
        check();
        for (const table of LETTER_TABLES) {
          const ipc = chunk.ipc[table];
          if (ipc) await conn.insertArrowFromIPCStream(ipc, { name: stage(table), create: false });
        }
        letters += chunk.letters;
        options.onStaged?.(letters);
      }
      check();
      await conn.query('BEGIN TRANSACTION');
      let committed = false;
      try {
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
        // The last moment to cancel: after the commit the letters are in.
        check();
        options.onCommit?.();
        await conn.query('COMMIT');
        committed = true;
        return { inserted: staged.count, replaced };
      } finally {
        if (!committed) await conn.query('ROLLBACK').catch(() => undefined);
      }
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
