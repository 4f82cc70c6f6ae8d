import { describe, expect, it } from 'vitest';
import { warmUpStatements } from '@/shell/warm-up';
import { VIEW_QUERIES } from '@/shell/view-statements';
import {
  WARM_UP_COPIES,
  WARM_UP_LETTERS,
  WARM_UP_SAMPLE_SQL,
  WARM_UP_SCHEMA,
  warmUpSetupSql,
  type WarmUpSample,
} from '@/lib/engine-warm-up';
import { runBuilt, useContractFixture } from '../support/parquet-fixture';

const fixture = useContractFixture();

async function tablesIn(schema: string) {
  const rows = await runBuilt<{ table_name: string }>(fixture.db, {
    sql: `SELECT table_name FROM duckdb_tables() WHERE schema_name = ? ORDER BY table_name`,
    params: [schema],
  });
  return rows.map((r) => r.table_name);
}

async function counts(tables: readonly string[]) {
  const out: Record<string, number> = {};
  for (const table of tables) {
    const [row] = await runBuilt<{ n: number }>(fixture.db, {
      sql: `SELECT count(*)::INTEGER AS n FROM main.${table}`,
      params: [],
    });
    out[table] = row!.n;
  }
  return out;
}

describe('the engine warm-up, on the real letters in DuckDB', () => {
  it('copies every table into its own schema, where every view’s statements give what they give on the data, and leaves the data as it was', async () => {
    const db = fixture.db;
    const mainTables = await tablesIn('main');
    const before = await counts(mainTables);
    expect(before.letters).toBeLessThan(WARM_UP_LETTERS);

    await db.run(`CREATE SCHEMA ${WARM_UP_SCHEMA}`);
    await db.run(`USE ${WARM_UP_SCHEMA}`);
    try {
      for (const sql of warmUpSetupSql()) await db.run(sql);
      // Every table the views read is in the copy: none is read from the data by name fallback.
      expect(await tablesIn(WARM_UP_SCHEMA)).toEqual(mainTables);

      const [sample] = await runBuilt<WarmUpSample>(db, { sql: WARM_UP_SAMPLE_SQL, params: [] });
      expect(sample!.region).toBeTruthy();
      expect(sample!.year).toBeTruthy();
      const statements = warmUpStatements(sample!);
      // Each view's statements, under more than one filter (none, one, two).
      expect(statements.length).toBeGreaterThan(3 * Object.keys(VIEW_QUERIES).length);
      expect(new Set(statements.map((s) => s.sql)).size).toBeGreaterThan(
        Object.values(VIEW_QUERIES).flatMap((v) => Object.keys(v)).length,
      );

      // The real letters are fewer than the copy takes, so the copy is the data: every
      // statement gives the same rows in either schema.
      for (const statement of statements) {
        const inCopy = await runBuilt(db, statement);
        await db.run('USE main');
        const onData = await runBuilt(db, statement);
        await db.run(`USE ${WARM_UP_SCHEMA}`);
        expect(inCopy, statement.sql.slice(0, 200)).toEqual(onData);
      }
    } finally {
      await db.run('USE main');
      await db.run(`DROP SCHEMA IF EXISTS ${WARM_UP_SCHEMA} CASCADE`);
    }
    expect(await tablesIn(WARM_UP_SCHEMA)).toEqual([]);
    expect(await tablesIn('main')).toEqual(mainTables);
    expect(await counts(mainTables)).toEqual(before);
  });

  it('takes a fixed number of letters, whatever the size of the data', async () => {
    const db = fixture.db;
    // Many more letters than the copy takes: the real ones, repeated under other ids.
    await db.run(`CREATE SCHEMA big`);
    try {
      await db.run(`CREATE TABLE big.letters AS SELECT * REPLACE (letter_id || '-' || i AS letter_id)
        FROM main.letters, range(100) AS r(i)`);
      const copy = WARM_UP_COPIES.letters.replace('main.letters', 'big.letters');
      const [row] = await runBuilt<{ n: number; distinct_ids: number }>(db, {
        sql: `SELECT count(*)::INTEGER AS n, count(DISTINCT letter_id)::INTEGER AS distinct_ids FROM (${copy})`,
        params: [],
      });
      expect(row).toEqual({ n: WARM_UP_LETTERS, distinct_ids: WARM_UP_LETTERS });
    } finally {
      await db.run('DROP SCHEMA big CASCADE');
    }
  });
});
