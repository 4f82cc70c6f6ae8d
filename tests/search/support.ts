import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { ROOT } from '../helpers/gold';
import { runIngest } from '../helpers/run-ingest';

/** The bundled letters ingested into a temporary folder, and DuckDB over its Parquet files. */
export interface IngestedLetters {
  dir: string;
  db: DuckDBConnection;
  /** The findings as the search CLI orders them: by letter, then position. */
  findings: Array<{ finding_id: string; text: string }>;
}

/**
 * Registers a `beforeAll` that ingests `data/letters` with the ingest CLI into a fresh temporary
 * folder (or uses `DASHBOARD_TEST_DATA`), opens DuckDB with the findings table, and an `afterAll`
 * that removes it all. Read the fields inside tests only.
 */
export function useIngestedLetters(): IngestedLetters {
  const fixture: Partial<IngestedLetters> = {};
  let made: string | null = null;
  let instance: DuckDBInstance | null = null;
  beforeAll(async () => {
    const given = process.env.DASHBOARD_TEST_DATA;
    if (given) fixture.dir = path.resolve(given);
    else {
      made = mkdtempSync(path.join(tmpdir(), 'search-data-'));
      const run = runIngest(['--out', made, 'data/letters']);
      if (run.status !== 0) throw new Error(`ingest exited ${run.status}: ${run.stderr}`);
      fixture.dir = made;
    }
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
    if (made) rmSync(made, { recursive: true, force: true });
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
