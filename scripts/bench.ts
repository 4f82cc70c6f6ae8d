/**
 * `npm run bench [-- --quick] [-- --only=pipeline|browser|search]`: measures the pipeline and
 * the dashboard in Chromium and writes bench/results.json, then the search engine
 * (`scripts/bench/search-bench.ts`), which writes bench/search.json. Quick mode (CI) runs the
 * smallest sizes and fails only when a run breaks, never on a timing.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { benchBrowser, type BrowserBench, DATA_SETS } from './bench/browser-bench';
import { benchIngest, type PipelineRun, writeCorpus, writeZipCorpus } from './bench/pipeline-bench';
import { benchSearch } from './bench/search-bench';

const ROOT = path.resolve(import.meta.dirname, '..');

/** The budgets of issue 5, printed beside the figures (never enforced: timings vary). */
const BUDGETS = {
  letters_per_s: '≥ 200',
  first_chart_ms: '≤ 1000',
  duckdb_ready_ms: '≤ 3000 (real data)',
  initial_js_gzip_bytes: '≤ 307200',
  filter_p95: { '100k': 100, '1m': 250 } as Record<string, number>,
  load_1m_ms: '≤ 5000',
};

async function benchPipeline(quick: boolean) {
  const sizes = quick ? [450] : [450, 5_000, 50_000];
  const runs: Record<string, PipelineRun> = {};
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
  console.log('pipeline        letters  findings  seconds  letters/s  peak RSS MB');
  for (const [size, r] of Object.entries(runs))
    console.log(
      `${size.padEnd(14)} ${String(r.letters).padStart(8)} ${String(r.findings).padStart(9)} ${String(r.seconds).padStart(8)} ${String(r.letters_per_s).padStart(10)} ${String(r.peak_rss_mb).padStart(12)}`,
    );
  for (const [name, r] of Object.entries(zips))
    console.log(
      `${name.padEnd(14)} ${String(r.letters).padStart(8)} ${String(r.findings).padStart(9)} ${String(r.seconds).padStart(8)} ${String(r.documents_per_s).padStart(10)} ${String(r.peak_rss_mb).padStart(12)}  (documents/s; letters = distinct inspections)`,
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
    `${'data set'.padEnd(10)}${cell('findings', 10)}${cell('first chart')}${cell('engine up')}${cell('ready')}${cell('load (ready−up)', 17)}`,
  );
  for (const set of sets) {
    const r = runs[set.name]!;
    console.log(
      `${set.name.padEnd(10)}${cell(String(r.findings), 10)}${cell(`${r.first_chart_ms} ms`)}${cell(`${r.duckdb_engine_up_ms} ms`)}${cell(`${r.duckdb_ready_ms} ms`)}${cell(`${r.load_after_engine_ms} ms`, 17)}`,
    );
  }
  console.log('');
  console.log('filter change → chart painted, p50 / p95 ms (budget p95: 100k ≤ 100, 1m ≤ 250)');
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
  if (only !== 'browser') results.pipeline = await benchPipeline(quick);
  if (only !== 'pipeline') {
    const bench = await benchBrowser(ROOT, {
      quick,
      log: (line) => process.stderr.write(`${line}\n`),
    });
    results.browser = bench.browser;
    results.browser_runs = bench.runs;
    printBrowser(bench);
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
