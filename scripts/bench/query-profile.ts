/**
 * `npm run bench:queries [-- --sets=real,100k,1m] [-- --view=recurrence] [-- --threads=1]`:
 * times every view's SQL builders one by one in @duckdb/node-api over the benchmark's data sets,
 * with the same filter changes the browser benchmark makes. Single-threaded by default, as
 * DuckDB-WASM is, so that the shares of a view's time are the browser's, though the absolute
 * figures are smaller. A tool for finding which query of a view is slow; the budgets are judged
 * by `npm run bench`, in the browser. Prints a table; writes nothing but the data sets in
 * bench/out/ (which `npm run bench` shares).
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { TABLE_NAMES } from '../../src/core/schema';
import { ALL_DERIVED_TABLES_SQL } from '../../src/lib/derived-tables';
import type { Filters } from '../../src/lib/filters';
import type { SqlQuery } from '../../src/lib/sql';
import { VIEW_QUERIES } from '../../src/shell/view-statements';
import { writeSyntheticParquet } from './synthetic-parquet';
import { percentile } from './browser-bench';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SET_FINDINGS: Record<string, number> = {
  real: 0,
  '10k': 10_000,
  '100k': 100_000,
  '1m': 1_000_000,
};

function option(name: string): string | undefined {
  return process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}

async function dataDir(set: string): Promise<string> {
  const out = path.join(root, 'bench/out');
  await mkdir(out, { recursive: true });
  const real = path.join(out, 'data-real');
  if (!existsSync(path.join(real, 'letters.parquet'))) {
    const result = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'scripts/ingest.ts', '--out', real, 'data/letters'],
      { cwd: root, stdio: 'inherit' },
    );
    if (result.status !== 0) throw new Error('query-profile: the ingest of data/letters failed');
  }
  if (set === 'real') return real;
  const findings = SET_FINDINGS[set];
  if (!findings) throw new Error(`query-profile: unknown set ${set} (real, 10k, 100k, 1m)`);
  return (await writeSyntheticParquet(real, findings, path.join(out, `data-${set}`))).dir;
}

async function open(dir: string, threads: number): Promise<DuckDBConnection> {
  const instance = await DuckDBInstance.create(':memory:', { threads: String(threads) });
  const connection = await instance.connect();
  for (const table of TABLE_NAMES) {
    await connection.run(`CREATE TABLE ${table} AS SELECT * FROM read_parquet($path)`, {
      path: path.join(dir, `${table}.parquet`),
    });
  }
  for (const statement of ALL_DERIVED_TABLES_SQL) await connection.run(statement);
  return connection;
}

/** The filter combinations the browser benchmark steps through: regions, then year × region. */
async function filterSequence(connection: DuckDBConnection, count: number): Promise<Filters[]> {
  const values = async (column: string) =>
    (
      await connection.runAndReadAll(
        `SELECT DISTINCT ${column} AS v FROM letters WHERE ${column} IS NOT NULL ORDER BY 1`,
      )
    )
      .getRowObjectsJS()
      .map((r) => String(r.v));
  const regions = await values('region');
  const years = await values('reporting_year');
  const sequence: Filters[] = [];
  for (const year of [undefined, ...years]) {
    for (const region of regions) {
      sequence.push(year ? { year, region } : { region });
      if (sequence.length >= count) return sequence;
    }
  }
  return sequence;
}

async function time(connection: DuckDBConnection, query: SqlQuery): Promise<[number, number]> {
  const start = performance.now();
  const reader = await connection.runAndReadAll(query.sql, [...query.params] as DuckDBValue[]);
  return [performance.now() - start, reader.currentRowCount];
}

async function main(): Promise<void> {
  const sets = (option('sets') ?? '100k,1m').split(',');
  const only = option('view');
  const threads = Number(option('threads') ?? 1);
  const changes = Number(option('changes') ?? 12);
  for (const set of sets) {
    const dir = await dataDir(set);
    const connection = await open(dir, threads);
    const sequence = await filterSequence(connection, changes);
    console.log(
      `\n${set} (threads=${threads}, ${sequence.length} filter changes): p50 / p95 ms, rows`,
    );
    for (const [view, builders] of Object.entries(VIEW_QUERIES)) {
      if (only && view !== only) continue;
      const totals: number[] = [];
      const per: Record<string, { ms: number[]; rows: number }> = {};
      // One run unfiltered first, to plan the statements, as the page does before any change.
      for (const build of Object.values(builders)) await time(connection, build({}));
      for (const filters of sequence) {
        let total = 0;
        for (const [name, build] of Object.entries(builders)) {
          const [ms, rows] = await time(connection, build(filters));
          (per[name] ??= { ms: [], rows: 0 }).ms.push(ms);
          per[name]!.rows = Math.max(per[name]!.rows, rows);
          total += ms;
        }
        totals.push(total);
      }
      console.log(
        `  ${view.padEnd(18)} ${percentile(totals, 50).toFixed(0).padStart(5)} / ${percentile(
          totals,
          95,
        )
          .toFixed(0)
          .padStart(5)}`,
      );
      for (const [name, { ms, rows }] of Object.entries(per)) {
        console.log(
          `    ${name.padEnd(30)} ${percentile(ms, 50).toFixed(1).padStart(7)} / ${percentile(
            ms,
            95,
          )
            .toFixed(1)
            .padStart(7)}  rows ≤ ${rows}`,
        );
      }
    }
    connection.closeSync();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
