import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { ROOT } from '../helpers/gold';
import { ingestLetters, removeIngested } from '../support/parquet-fixture';

/** The bundled letters ingested into a temporary folder, and DuckDB over its Parquet files. */
export interface IngestedLetters {
  dir: string;
  db: DuckDBConnection;
  /** The findings as the search CLI orders them: by letter, then position. */
  findings: Array<{ finding_id: string; text: string }>;
}

/**
 * Registers a `beforeAll` that puts the ingest CLI's output for `data/letters` in a fresh
 * temporary folder (tests/support/parquet-fixture.ts; or uses `DASHBOARD_TEST_DATA`), opens
 * DuckDB with the findings table, and an `afterAll` that removes it all. Read the fields inside
 * tests only.
 */
export function useIngestedLetters(): IngestedLetters {
  const fixture: Partial<IngestedLetters> = {};
  let instance: DuckDBInstance | null = null;
  beforeAll(async () => {
    fixture.dir = ingestLetters();
    instance = await DuckDBInstance.create(':memory:');
    fixture.db = await instance.connect();
    await fixture.db.run(
      `CREATE TABLE findings AS SELECT * FROM read_parquet($path) ORDER BY letter_id, position`,
      { path: path.join(fixture.dir, 'findings.parquet') },
    );
    const reader = await fixture.db.runAndReadAll(
      'SELECT finding_id, text FROM findings ORDER BY letter_id, position',
    );
    fixture.findings = reader.getRowObjectsJS() as Array<{ finding_id: string; text: string }>;
  });
  afterAll(() => {
    fixture.db?.closeSync();
    instance?.closeSync();
    if (fixture.dir) removeIngested(fixture.dir);
  });
  return fixture as IngestedLetters;
}

/** What one run of the search CLI gave. */
export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `scripts/search.ts` as `npm run search -- ARGS` does. */
export function runSearchCli(args: string[]): CliRun {
  const result = spawnSync(
    process.execPath,
    [
      path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'),
      path.join(ROOT, 'scripts/search.ts'),
      ...args,
    ],
    { cwd: ROOT, encoding: 'utf8', timeout: 120_000 },
  );
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
