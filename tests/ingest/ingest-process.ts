import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { ROOT } from '../helpers/gold';

/** The files an ingest publishes as one set. */
export const SET_FILES = [
  'letters.parquet',
  'findings.parquet',
  'finding_themes.parquet',
  'themes.parquet',
  'councils.parquet',
  'rejected.json',
];

/** A running ingest: its process (the ingest itself, not a wrapper) and what it has said. */
export interface IngestProcess {
  child: ChildProcess;
  /** Everything written to stderr so far. */
  stderr: () => string;
  /** Resolves with the exit code (null when killed) once the process has ended. */
  exited: Promise<number | null>;
}

/**
 * Starts `scripts/ingest.ts` in a child process of its own (tsx loaded in-process with
 * `--import`, so that killing `child` kills the ingest, not a wrapper that would leave it running).
 */
export function startIngest(
  args: string[],
  env: Record<string, string> = {},
  user: { uid: number; gid: number } | null = null,
): IngestProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/ingest.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(user ?? {}),
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout?.resume();
  const exited = new Promise<number | null>((resolve) =>
    child.on('close', (code) => resolve(code)),
  );
  return { child, stderr: () => stderr, exited };
}

/** Runs the ingest to its end; gives its exit code and stderr. */
export async function runToEnd(
  args: string[],
  env: Record<string, string> = {},
  user: { uid: number; gid: number } | null = null,
): Promise<{ status: number | null; stderr: string }> {
  const run = startIngest(args, env, user);
  const status = await run.exited;
  return { status, stderr: run.stderr() };
}

/**
 * Waits until the ingest says it is paused at `stage` (UCRA_INGEST_PAUSE_AT), or throws if it
 * ends first (it never came to that stage).
 */
export async function waitForPause(run: IngestProcess, stage: string): Promise<void> {
  const line = `ingest: paused at ${stage} `;
  let ended = false;
  void run.exited.then(() => (ended = true));
  const deadline = Date.now() + 30_000;
  while (!run.stderr().includes(line)) {
    if (ended) throw new Error(`the ingest ended before ${stage}:\n${run.stderr()}`);
    if (Date.now() > deadline) throw new Error(`no pause at ${stage}:\n${run.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Kills a running ingest outright and waits for it to be gone. */
export async function killHard(run: IngestProcess): Promise<void> {
  run.child.kill('SIGKILL');
  await run.exited;
}

/** What a folder shows of a set: each file's SHA-256 and each table's row count. */
export interface SetView {
  hashes: Record<string, string>;
  rows: Record<string, number>;
}

/**
 * Reads the set `dir` shows, as a reader of `DIR/<table>.parquet` would: every file's hash, and
 * every table read whole by DuckDB (which throws on a torn file). A missing file is left out.
 */
export async function readSet(dir: string, duck: DuckDBInstance): Promise<SetView> {
  const hashes: Record<string, string> = {};
  const rows: Record<string, number> = {};
  const connection = await duck.connect();
  try {
    for (const name of SET_FILES) {
      const file = path.join(dir, name);
      if (!existsSync(file)) continue;
      hashes[name] = createHash('sha256').update(readFileSync(file)).digest('hex');
      if (name.endsWith('.parquet')) {
        // Every column of every row is read, so that a half-written file cannot pass.
        const reader = await connection.runAndReadAll(
          `SELECT * FROM read_parquet('${file.replace(/'/g, "''")}')`,
        );
        rows[name] = reader.getRows().length;
      } else rows[name] = (JSON.parse(readFileSync(file, 'utf8')) as unknown[]).length;
    }
  } finally {
    connection.closeSync();
  }
  return { hashes, rows };
}

/**
 * What is left beside and in an output folder that a finished run should have removed: anything
 * in the sets folder but `current` and its set, a lock, temporary links in the folder.
 */
export function leftovers(dir: string): string[] {
  const sets = path.join(path.dirname(dir), `.tmp-${path.basename(dir)}.sets`);
  const out: string[] = [];
  const current = existsSync(path.join(sets, 'current'))
    ? path.basename(path.resolve(sets, readlinkSafe(path.join(sets, 'current'))))
    : null;
  for (const name of existsSync(sets) ? readdirSync(sets) : [])
    if (name !== 'current' && name !== current) out.push(`sets/${name}`);
  for (const name of existsSync(dir) ? readdirSync(dir) : [])
    if (name.startsWith('.')) out.push(`dir/${name}`);
  return out;
}

function readlinkSafe(file: string): string {
  try {
    return readlinkSync(file);
  } catch {
    return '';
  }
}

/** A small seeded generator (mulberry32), for kill moments that are the same on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
