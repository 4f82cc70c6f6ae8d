import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { zipSync } from 'fflate';
import { parseLetter } from '@/core/pipeline/parse-letter';
import { bundleParseWorker } from '../lib/worker-bundle';
import { makeSyntheticLetters } from './synthetic-letters';

/** Throughput and memory of one ingest run over a synthetic corpus. */
export interface PipelineRun {
  letters: number;
  findings: number;
  seconds: number;
  letters_per_s: number;
  /**
   * CPU time of the ingest process, every thread of it (user and system): what the run costs
   * whatever else shares the machine, where `seconds` depends on what does.
   */
  cpu_seconds: number;
  /** The machine's load average (one minute) as the run started: above the core count, others' work slowed it. */
  load_average: number;
  peak_rss_mb: number;
  parquet_bytes: Record<string, number>;
}

/**
 * Builds the ingest's worker module ahead of the runs (scripts/lib/worker-bundle.ts keeps it from
 * run to run), so that each run measures the ingest as it runs again and again, not the one run
 * after a change to the pipeline's code that builds it.
 */
export async function primeWorkerModule(): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'bench-worker-'));
  try {
    await bundleParseWorker(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Reads the bundled letters, the pool that synthetic letters are recombined from. */
async function realLetters(root: string) {
  const dir = path.join(root, 'data/letters');
  const names = (await readdir(dir)).filter((n) => /\.(txt|md)$/.test(n)).sort();
  return Promise.all(
    names.map(async (n) => parseLetter(await readFile(path.join(dir, n), 'utf8'), n)),
  );
}

/** Writes a synthetic corpus of `count` letters under bench/out (never under data/). */
export async function writeCorpus(root: string, count: number): Promise<string> {
  const dir = path.join(root, 'bench/out', `corpus-${count}`);
  const done = path.join(dir, '.complete');
  if (await stat(done).catch(() => null)) return dir;
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const letters = makeSyntheticLetters(await realLetters(root), count);
  for (let i = 0; i < letters.length; i += 500)
    await Promise.all(
      letters.slice(i, i + 500).map((l) => writeFile(path.join(dir, l.name), l.text)),
    );
  await writeFile(done, '');
  return dir;
}

/**
 * Writes a zip of `count` letters under bench/out: the synthetic text letters of
 * {@link writeCorpus} (`text`), or the committed fixtures of every other format (.pdf, .doc,
 * .docx, .odt, .rtf, .html, .txt from tests/fixtures/formats) taken in turn until there are
 * `count` (`mixed`: the same few dozen inspections again and again, so most are duplicates).
 */
export async function writeZipCorpus(
  root: string,
  count: number,
  kind: 'text' | 'mixed',
): Promise<string> {
  const file = path.join(root, 'bench/out', `letters-${kind}-${count}.zip`);
  if (await stat(file).catch(() => null)) return file;
  const members: Record<string, Uint8Array> = {};
  if (kind === 'text') {
    const dir = await writeCorpus(root, count);
    for (const name of (await readdir(dir)).filter((n) => n.endsWith('.txt')).sort())
      members[name] = new Uint8Array(await readFile(path.join(dir, name)));
  } else {
    const base = path.join(root, 'tests/fixtures/formats');
    const pool: string[] = [];
    for (const set of (await readdir(base, { withFileTypes: true })).filter((d) => d.isDirectory()))
      for (const name of (await readdir(path.join(base, set.name))).sort())
        if (!name.endsWith('.zip')) pool.push(path.join(base, set.name, name));
    pool.sort();
    for (let i = 0; i < count; i += 1) {
      const source = pool[i % pool.length]!;
      members[`${String(i).padStart(4, '0')}-${path.basename(source)}`] = new Uint8Array(
        await readFile(source),
      );
    }
  }
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, zipSync(members, { level: 6 }));
  return file;
}

/** Runs the real ingest CLI in a child process over a corpus and measures it. */
export async function benchIngest(root: string, corpus: string, out: string): Promise<PipelineRun> {
  const load = loadavg()[0] ?? 0;
  const started = performance.now();
  const stderr = await new Promise<string>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        // tsx as a loader, not its CLI: the CLI forks a second process whose memory we would miss.
        '--import',
        'tsx',
        '--import',
        path.join(root, 'scripts/bench/report-rss.mjs'),
        path.join(root, 'scripts/ingest.ts'),
        '--out',
        out,
        corpus,
      ],
      { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let text = '';
    child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(text) : reject(new Error(`ingest exited ${code}: ${text.slice(-500)}`)),
    );
  });
  const seconds = (performance.now() - started) / 1000;
  const summary = /ingest: (\d+) letters, (\d+) findings/.exec(stderr);
  const rss = /BENCH_MAX_RSS_KB=(\d+)/.exec(stderr);
  const cpu = /BENCH_CPU_US=(\d+)/.exec(stderr);
  const letters = Number(summary?.[1] ?? 0);
  const sizes: Record<string, number> = {};
  for (const name of (await readdir(out)).filter((n) => n.endsWith('.parquet')).sort())
    sizes[name] = (await stat(path.join(out, name))).size;
  return {
    letters,
    findings: Number(summary?.[2] ?? 0),
    seconds: Math.round(seconds * 100) / 100,
    letters_per_s: Math.round(letters / seconds),
    cpu_seconds: Math.round(Number(cpu?.[1] ?? 0) / 10_000) / 100,
    load_average: Math.round(load * 10) / 10,
    peak_rss_mb: Math.round(Number(rss?.[1] ?? 0) / 1024),
    parquet_bytes: sizes,
  };
}
