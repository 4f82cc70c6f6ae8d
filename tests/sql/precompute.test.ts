import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { TABLE_NAMES } from '@/core/schema';
import { PRECOMPUTED_QUERIES } from '@/shell/precomputed-queries';
import { PRECOMPUTED_FILE, type PrecomputedFile } from '@/lib/precomputed';
import { writePrecomputed } from '../../scripts/precompute';
import { ingestLetters, openDatabase, removeIngested, runBuilt } from '../support/parquet-fixture';

let dataDir: string;
let workDir: string;
let db: DuckDBConnection;

beforeAll(async () => {
  dataDir = ingestLetters();
  // A copy, so that the precompute writes beside its own Parquet files and not into shared data.
  workDir = mkdtempSync(join(tmpdir(), 'precompute-'));
  for (const name of readdirSync(dataDir).filter((n) => n.endsWith('.parquet')))
    copyFileSync(join(dataDir, name), join(workDir, name));
  db = await openDatabase(workDir);
});

afterAll(() => {
  db?.closeSync();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
  if (dataDir) removeIngested(dataDir);
});

function readPrecomputed(): { text: string; file: PrecomputedFile } {
  const text = readFileSync(join(workDir, PRECOMPUTED_FILE), 'utf8');
  return { text, file: JSON.parse(text) as PrecomputedFile };
}

describe('the precomputed overview (npm run precompute)', () => {
  it('holds, for every precomputed query, exactly the rows the live SQL gives over the same files', async () => {
    await writePrecomputed(workDir);
    const { file } = readPrecomputed();
    expect(file.format).toBe(1);
    expect(Object.keys(file.queries).sort()).toEqual(Object.keys(PRECOMPUTED_QUERIES).sort());
    for (const [key, build] of Object.entries(PRECOMPUTED_QUERIES)) {
      const live = await runBuilt<Record<string, unknown>>(db, build());
      expect(file.queries[key], key).toEqual(live);
    }
    // The default overview really is answered: every theme, all 152 councils, the headline row.
    expect(file.queries['weakness-themes']!.length).toBeGreaterThan(0);
    expect(file.queries.coverage).toHaveLength(152);
    expect(file.queries['overview-summary']).toHaveLength(1);
  });

  it('records the row counts of the tables it was computed from', async () => {
    await writePrecomputed(workDir);
    const { file } = readPrecomputed();
    for (const table of TABLE_NAMES) {
      const [row] = await runBuilt<{ n: number }>(db, {
        sql: `SELECT count(*)::INTEGER AS n FROM ${table}`,
        params: [],
      });
      expect(file.tables[table], table).toBe(row!.n);
    }
  });

  it('is deterministic: the same files give the same bytes', async () => {
    await writePrecomputed(workDir);
    const first = readPrecomputed().text;
    await writePrecomputed(workDir);
    expect(readPrecomputed().text).toBe(first);
  });
});
