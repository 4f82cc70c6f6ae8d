/**
 * `npm run bench [-- --quick] [-- --only=pipeline|browser|side-by-side|add-letters|search]`:
 * measures the pipeline, the dashboard and adding letters in it (scripts/bench/add-letters-bench.ts) in
 * Chromium and writes bench/results.json (a full run also writes its tables into
 * docs/performance.md: scripts/bench/report.ts), then the search engine
 * (`scripts/bench/search-bench.ts`), which writes bench/search.json. Quick mode (CI) runs the
 * smallest sizes and fails only when a run breaks, never on a timing.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { benchAddLettersOnSite, printAddLetters } from './bench/add-letters-bench';
import {
  benchBrowser,
  benchSideBySide,
  type BrowserBench,
  type BrowserResults,
  DATA_SETS,
} from './bench/browser-bench';
import { benchTables, RATIO_BUDGETS, writeBenchTables } from './bench/report';
import {
  benchIngest,
  type PipelineRun,
  primeWorkerModule,
  writeCorpus,
  writeZipCorpus,
} from './bench/pipeline-bench';
import { benchSearch } from './bench/search-bench';

const ROOT = path.resolve(import.meta.dirname, '..');

/** The budgets of issue 5, printed beside the figures (never enforced: timings vary). */
const BUDGETS = {
  letters_per_s: '≥ 200',
  // Issue 19: both cores at 10,000 letters, and a zip of 450 letters.
  letters_per_s_10k: 500,
  zip_450_seconds: 5,
  first_chart_ms: '≤ 1000',
  duckdb_ready_ms: '≤ 3000 (real data)',
  initial_js_gzip_bytes: '≤ 307200',
  // Issue 19: within a frame budget on the bundled letters too.
  filter_p95: { real: 50, '100k': 100, '1m': 250 } as Record<string, number>,
  load_1m_ms: '≤ 5000',
};

async function benchPipeline(quick: boolean) {
  const sizes = quick ? [450] : [450, 5_000, 10_000, 50_000];
  const runs: Record<string, PipelineRun> = {};
  // The runs measure the ingest as it runs again and again: its worker module already built.
  await primeWorkerModule();
  for (const size of sizes) {
    process.stderr.write(`bench: pipeline, ${size} synthetic letters…\n`);
    const corpus = await writeCorpus(ROOT, size);
    const out = path.join(ROOT, 'bench/out', `parquet-${size}`);
    runs[String(size)] = await benchIngest(ROOT, corpus, out);
  }
  // A zip of 450 letters, as an analyst collects them: text, then every format mixed.
  const zips: Record<string, PipelineRun & { documents: number; documents_per_s: number }> = {};
  for (const kind of ['text', 'mixed'] as const) {
    process.stderr.write(`bench: pipeline, a zip of 450 ${kind} letters…\n`);
    const zip = await writeZipCorpus(ROOT, 450, kind);
    const run = await benchIngest(ROOT, zip, path.join(ROOT, 'bench/out', `parquet-zip-${kind}`));
    zips[`zip-450-${kind}`] = {
      ...run,
      documents: 450,
      documents_per_s: Math.round(450 / run.seconds),
    };
  }
  console.log(
    'pipeline        letters  findings  seconds  letters/s  peak RSS MB  CPU s  load avg',
  );
  const tail = (r: PipelineRun) =>
    `${String(r.cpu_seconds).padStart(6)} ${String(r.load_average).padStart(9)}`;
  for (const [size, r] of Object.entries(runs))
    console.log(
      `${size.padEnd(14)} ${String(r.letters).padStart(8)} ${String(r.findings).padStart(9)} ${String(r.seconds).padStart(8)} ${String(r.letters_per_s).padStart(10)} ${String(r.peak_rss_mb).padStart(12)} ${tail(r)}`,
    );
  for (const [name, r] of Object.entries(zips))
    console.log(
      `${name.padEnd(14)} ${String(r.letters).padStart(8)} ${String(r.findings).padStart(9)} ${String(r.seconds).padStart(8)} ${String(r.documents_per_s).padStart(10)} ${String(r.peak_rss_mb).padStart(12)} ${tail(r)}  (documents/s; letters = distinct inspections)`,
    );
  const tenK = runs['10000'];
  if (tenK)
    console.log(
      `10,000 letters at ${tenK.letters_per_s} letters/s (issue 19: ≥ ${BUDGETS.letters_per_s_10k}); zips of 450 in ${Object.values(
        zips,
      )
        .map((z) => `${z.seconds} s`)
        .join(' and ')} (≤ ${BUDGETS.zip_450_seconds} s)`,
    );
  const largest = runs[String(sizes[sizes.length - 1])]!;
  console.log(
    `largest run: ${largest.letters} letters at ${largest.letters_per_s} letters/s (budget ${BUDGETS.letters_per_s})`,
  );
  return {
    letters_per_s: Math.min(...Object.values(runs).map((r) => r.letters_per_s)),
    peak_rss_mb: Math.max(...Object.values(runs).map((r) => r.peak_rss_mb)),
    sizes: runs,
    zips,
  };
}

function printBrowser({ browser, runs }: BrowserBench): void {
  const sets = DATA_SETS.filter((s) => runs[s.name]);
  const cell = (text: string, width = 14) => text.padStart(width);
  console.log('');
  console.log(
    `first chart ${browser.first_chart_ms} ms (budget ${BUDGETS.first_chart_ms}); data-duckdb="ready" ${browser.duckdb_ready_ms} ms (budget ${BUDGETS.duckdb_ready_ms}); initial JS ${browser.initial_js_gzip_bytes} B gzip (budget ${BUDGETS.initial_js_gzip_bytes})`,
  );
  console.log('');
  console.log(
    `${'data set'.padEnd(10)}${cell('findings', 10)}${cell('first chart')}${cell('take-over')}${cell('engine up')}${cell('ready')}${cell('load (ready−up)', 17)}`,
  );
  for (const set of sets) {
    const r = runs[set.name]!;
    console.log(
      `${set.name.padEnd(10)}${cell(String(r.findings), 10)}${cell(`${r.first_chart_ms} ms`)}${cell(`${r.takeover_ms} ms`)}${cell(`${r.duckdb_engine_up_ms} ms`)}${cell(`${r.duckdb_ready_ms} ms`)}${cell(`${r.load_after_engine_ms} ms`, 17)}`,
    );
  }
  console.log('');
  console.log(
    'filter change → chart painted, p50 / p95 ms (budget p95: real ≤ 50, 100k ≤ 100, 1m ≤ 250)',
  );
  console.log(`${'view'.padEnd(20)}${sets.map((s) => cell(s.name)).join('')}`);
  for (const [view, bySet] of Object.entries(browser.views)) {
    const cells = sets.map((s) => {
      const p = bySet[s.name];
      if (!p) return cell('–');
      const budget = BUDGETS.filter_p95[s.name];
      const flag = budget !== undefined && p.p95_ms > budget ? ' !' : '';
      return cell(`${p.p50_ms} / ${p.p95_ms}${flag}`);
    });
    console.log(`${view.padEnd(20)}${cells.join('')}`);
  }
  console.log('("–": the view has no shared filter to change; "!": over its budget)');
  printSideBySide(browser);
}

/** The dashboard against the static page and the bare engine, as a table. */
function printSideBySide(browser: BrowserResults): void {
  const cell = (text: string, width = 14) => text.padStart(width);
  const side = browser.side_by_side;
  if (!side) return;
  console.log('');
  console.log(
    `side by side, real data, medians in ms (budgets: first chart ≤ ${RATIO_BUDGETS.first_chart}x the static page, ready ≤ ${RATIO_BUDGETS.duckdb_ready}x the bare engine)`,
  );
  console.log(
    `${'load'.padEnd(22)}${cell('first chart')}${cell('static page')}${cell('ratio', 8)}${cell('take-over')}${cell('ready')}${cell('bare engine')}${cell('ratio', 8)}`,
  );
  for (const [name, c] of [
    ['cold', side.cold],
    ['second visit', side.second_visit],
    ['throttled first visit', side.throttled],
  ] as const) {
    if (!c) continue;
    console.log(
      `${name.padEnd(22)}${cell(String(c.first_chart_ms.dashboard))}${cell(String(c.first_chart_ms.limit))}${cell(String(c.first_chart_ms.ratio), 8)}${cell(String(c.dashboard_takeover_ms))}${cell(String(c.duckdb_ready_ms.dashboard))}${cell(String(c.duckdb_ready_ms.limit))}${cell(String(c.duckdb_ready_ms.ratio), 8)}`,
    );
  }
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
  const resultsFile = path.join(ROOT, 'bench/results.json');
  const previous = JSON.parse(await readFile(resultsFile, 'utf8').catch(() => '{}')) as Record<
    string,
    unknown
  >;
  const results: Record<string, unknown> = {
    ...previous,
    measured_at: new Date().toISOString(),
    mode: quick ? 'quick' : 'full',
  };
  if (only === 'search') {
    await benchSearch(searchSets(quick));
    return;
  }
  // The dashboard against its limits alone (a few minutes), into the last browser run's results.
  if (only === 'side-by-side') {
    const last = previous.browser as BrowserResults | undefined;
    if (!last) throw new Error('--only=side-by-side needs an earlier browser run in results.json');
    const browser: BrowserResults = {
      ...last,
      side_by_side: await benchSideBySide(ROOT, {
        quick,
        log: (line) => process.stderr.write(`${line}\n`),
      }),
    };
    results.browser = browser;
    results.measured_at = previous.measured_at;
    printSideBySide(browser);
    if (!quick) {
      const runs = (previous.browser_runs ?? {}) as Record<string, unknown>;
      const sets = DATA_SETS.map((s) => s.name).filter((name) => runs[name]);
      const doc = path.join(ROOT, 'docs/performance.md');
      await writeBenchTables(doc, benchTables(browser, sets, String(previous.measured_at)));
      console.log(`tables written to ${path.relative(ROOT, doc)}`);
    }
    await writeFile(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
    console.log(`written to ${path.relative(ROOT, resultsFile)}`);
    return;
  }
  if (only !== 'browser' && only !== 'add-letters') results.pipeline = await benchPipeline(quick);
  if (only !== 'pipeline' && only !== 'add-letters') {
    const bench = await benchBrowser(ROOT, {
      quick,
      log: (line) => process.stderr.write(`${line}\n`),
    });
    results.browser = bench.browser;
    results.browser_runs = bench.runs;
    printBrowser(bench);
    // A full run's tables go into the performance document (a quick run's figures would not do).
    if (!quick) {
      const sets = DATA_SETS.map((s) => s.name).filter((name) => bench.runs[name]);
      const doc = path.join(ROOT, 'docs/performance.md');
      await writeBenchTables(doc, benchTables(bench.browser, sets, String(results.measured_at)));
      console.log(`tables written to ${path.relative(ROOT, doc)}`);
    }
  }
  // Adding letters in the page (issue 16 part 5), on the site the browser part built.
  if (only !== 'pipeline') {
    const addLetters = await benchAddLettersOnSite(ROOT, {
      quick,
      build: only === 'add-letters',
      log: (line) => process.stderr.write(`${line}\n`),
    });
    results.addLetters = addLetters;
    printAddLetters(addLetters);
  }
  await mkdir(path.dirname(resultsFile), { recursive: true });
  await writeFile(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`written to ${path.relative(ROOT, resultsFile)}`);
  if (only === undefined) await benchSearch(searchSets(quick));
}

/** The search benchmark's sets: quick, the real letters and 10k findings; else up to 1M. */
function searchSets(quick: boolean) {
  return quick
    ? { sets: ['real', '10k'], librarySets: ['real', '10k'] }
    : { sets: ['real', '10k', '100k', '1m'], librarySets: ['real', '10k', '100k'] };
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench: failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
