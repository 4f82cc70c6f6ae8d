/**
 * The benchmark's bare engine page (scripts/bench/side-by-side.ts): the least a page can do to
 * have DuckDB-WASM ready on the dashboard's data. It starts the same engine the dashboard does (the
 * same bundles, chosen the same way), meanwhile fetches the same five Parquet files (from
 * `?data=`, a folder URL relative to the page) and reads them with hyparquet, inserts each as an
 * Arrow table, and sets the marks the dashboard sets: `duckdb-engine-up` once instantiated and
 * connected, `duckdb-ready` and `<html data-duckdb="ready">` once every table is in. (DuckDB's
 * own Parquet reader is an extension DuckDB-WASM downloads from the internet: not here.)
 */
import * as duckdb from '@duckdb/duckdb-wasm';
import { tableFromJSON } from 'apache-arrow';
import { parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import mvpWasm from '@duckdb/duckdb-wasm/dist/duckdb-mvp.wasm?url';
import mvpWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-mvp.worker.js?url';
import ehWasm from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import ehWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js?url';

const TABLES = ['letters', 'findings', 'finding_themes', 'themes', 'councils'] as const;

async function main(): Promise<void> {
  const html = document.documentElement;
  html.dataset.duckdb = 'loading';
  const data = new URL(
    new URLSearchParams(location.search).get('data') ?? './data/',
    document.baseURI,
  );
  const files = TABLES.map(async (table) => {
    const response = await fetch(new URL(`${table}.parquet`, data));
    if (!response.ok) throw new Error(`${table}.parquet: HTTP ${response.status}`);
    const rows = await parquetReadObjects({ file: await response.arrayBuffer(), compressors });
    return { table, arrow: tableFromJSON(rows) };
  });
  const bundle = await duckdb.selectBundle({
    mvp: { mainModule: mvpWasm, mainWorker: mvpWorker },
    eh: { mainModule: ehWasm, mainWorker: ehWorker },
  });
  const worker = new Worker(bundle.mainWorker ?? mvpWorker);
  const db = new duckdb.AsyncDuckDB(new duckdb.ConsoleLogger(duckdb.LogLevel.WARNING), worker);
  await db.instantiate(bundle.mainModule, bundle.pthreadWorker);
  const conn = await db.connect();
  performance.mark('duckdb-engine-up');
  let rows = 0;
  for (const file of files) {
    const { table, arrow } = await file;
    await conn.insertArrowTable(arrow, { name: table, create: true });
    rows += Number((await conn.query(`SELECT count(*) AS n FROM ${table}`)).toArray()[0]!.n);
  }
  performance.mark('duckdb-ready');
  html.dataset.duckdb = 'ready';
  document.getElementById('status')!.textContent = `${rows} rows in ${TABLES.length} tables.`;
}

main().catch((error: unknown) => {
  document.documentElement.dataset.duckdb = 'error';
  console.error('The bare engine failed:', error);
});
