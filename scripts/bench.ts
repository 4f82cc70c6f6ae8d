/**
 * `npm run bench [-- --quick]`: measures the pipeline (and the dashboard in Chromium) and writes
 * bench/results.json. Quick mode (CI) runs the smallest sizes and fails only when a run breaks.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { benchIngest, type PipelineRun, writeCorpus } from './bench/pipeline-bench';

const ROOT = path.resolve(import.meta.dirname, '..');

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const sizes = quick ? [450] : [450, 5_000, 50_000];
  const runs: Record<string, PipelineRun> = {};
  for (const size of sizes) {
    process.stderr.write(`bench: pipeline, ${size} synthetic letters…\n`);
    const corpus = await writeCorpus(ROOT, size);
    const out = path.join(ROOT, 'bench/out', `parquet-${size}`);
    runs[String(size)] = await benchIngest(ROOT, corpus, out);
  }
  const largest = runs[String(sizes[sizes.length - 1])]!;
  const resultsFile = path.join(ROOT, 'bench/results.json');
  const previous = JSON.parse(await readFile(resultsFile, 'utf8').catch(() => '{}')) as Record<
    string,
    unknown
  >;
  const results = {
    ...previous,
    measured_at: new Date().toISOString(),
    mode: quick ? 'quick' : 'full',
    pipeline: {
      letters_per_s: Math.min(...Object.values(runs).map((r) => r.letters_per_s)),
      peak_rss_mb: Math.max(...Object.values(runs).map((r) => r.peak_rss_mb)),
      sizes: runs,
    },
  };
  await mkdir(path.dirname(resultsFile), { recursive: true });
  await writeFile(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
  console.log('pipeline        letters  findings  seconds  letters/s  peak RSS MB');
  for (const [size, r] of Object.entries(runs))
    console.log(
      `${size.padEnd(14)} ${String(r.letters).padStart(8)} ${String(r.findings).padStart(9)} ${String(r.seconds).padStart(8)} ${String(r.letters_per_s).padStart(10)} ${String(r.peak_rss_mb).padStart(12)}`,
    );
  console.log(`largest run: ${largest.letters} letters at ${largest.letters_per_s} letters/s`);
  console.log(`written to ${path.relative(ROOT, resultsFile)}`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench: failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
