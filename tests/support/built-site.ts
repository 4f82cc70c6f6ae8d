import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { TABLE_NAMES } from '@/core/schema';
import { PRECOMPUTED_FILE } from '@/lib/precomputed';

/** The project's root folder. */
export const ROOT = resolve(import.meta.dirname, '../..');

/** The sub-path the built site is served under, as a static host with a non-root path would. */
export const SUB_PATH = '/some/sub/path/';

/** Inputs of the build: a change to any file under these gives a new cache key. */
const INPUT_DIRS = ['src', 'scripts', 'data', 'public'];
const INPUT_FILES = ['index.html', 'vite.config.ts', 'tsconfig.json', 'package-lock.json'];
const SKIPPED = new Set(['public/data', 'node_modules', 'dist']);

/** The steps of `npm run build` after the ingest that write into the data folder, if present. */
const DATA_STEPS: readonly [string, (out: string) => string[]][] = [
  ['scripts/measure-accuracy.ts', (out) => ['--out', out]],
  ['scripts/precompute.ts', (out) => [out]],
];

/** One built site in the cache: the Parquet files the tests query and the `dist` folder served. */
export interface SiteFolders {
  /** The cache folder of this build (named after the inputs' hash). */
  dir: string;
  /** The pipeline's Parquet output for `data/letters`. */
  dataDir: string;
  /** The built site, with the Parquet files in its `data/` folder. */
  distDir: string;
}

function listFiles(dir: string, out: string[]): void {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (SKIPPED.has(relative(ROOT, path))) continue;
    if (entry.isDirectory()) listFiles(path, out);
    else if (entry.isFile()) out.push(path);
  }
}

/** A hash of every input of the ingest and the build (and the env the build reads). */
export function buildInputsHash(): string {
  const files: string[] = [];
  for (const dir of INPUT_DIRS) listFiles(join(ROOT, dir), files);
  for (const file of INPUT_FILES) if (existsSync(join(ROOT, file))) files.push(join(ROOT, file));
  const hash = createHash('sha256');
  hash.update(`VITE_DATA_BASE_URL=${process.env.VITE_DATA_BASE_URL ?? ''}\0`);
  for (const file of files.sort()) {
    hash.update(relative(ROOT, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * The cache folder for this checkout, one sub-folder per build-inputs hash; the environment
 * variable `DASHBOARD_SITE_CACHE` puts it elsewhere (e.g. a CI cache directory).
 */
export function cacheRoot(): string {
  const given = process.env.DASHBOARD_SITE_CACHE;
  if (given) return resolve(given);
  const checkout = createHash('sha256').update(ROOT).digest('hex').slice(0, 8);
  return join(tmpdir(), `dashboard-site-cache-${checkout}`);
}

/** The folders of the build for a given inputs hash (which may not exist yet). */
export function siteFolders(hash: string): SiteFolders {
  const dir = join(cacheRoot(), hash);
  return { dir, dataDir: join(dir, 'data'), distDir: join(dir, 'dist') };
}

/** How many unused earlier builds to keep besides the current one, for quick switches back. */
const KEEP_EARLIER = 2;

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Marks a build folder as in use by this process until {@link releaseFolder}. */
export function claimFolder(dir: string): void {
  mkdirSync(join(dir, 'users'), { recursive: true });
  writeFileSync(join(dir, 'users', String(process.pid)), '');
}

/** Drops this process's mark on a build folder. */
export function releaseFolder(dir: string): void {
  rmSync(join(dir, 'users', String(process.pid)), { force: true });
}

function inUse(dir: string): boolean {
  const users = join(dir, 'users');
  const live = existsSync(users) && readdirSync(users).some((name) => pidAlive(Number(name)));
  return live || lockHolderAlive(dir);
}

/**
 * Deletes earlier builds that no running test process uses, keeping the most recently used few,
 * and forgets a failed build's note for the current inputs from an earlier run.
 */
export function pruneCache(current: string): void {
  const root = cacheRoot();
  if (!existsSync(root)) return;
  const earlier: { dir: string; used: number }[] = [];
  for (const name of readdirSync(root)) {
    const dir = join(root, name);
    if (name === current) {
      if (!lockHolderAlive(dir)) rmSync(join(dir, 'failed.txt'), { force: true });
    } else if (!inUse(dir)) {
      const stamp = join(dir, 'ready');
      earlier.push({ dir, used: statSync(existsSync(stamp) ? stamp : dir).mtimeMs });
    }
  }
  earlier.sort((a, b) => b.used - a.used);
  for (const { dir } of earlier.slice(KEEP_EARLIER)) rmSync(dir, { recursive: true, force: true });
}

function lockHolderAlive(dir: string): boolean {
  const owner = join(dir, 'lock', 'pid');
  if (!existsSync(join(dir, 'lock'))) return false;
  const pid = Number(existsSync(owner) ? readFileSync(owner, 'utf8') : NaN);
  // A lock without a pid yet is being taken right now: treat its holder as alive.
  if (!Number.isInteger(pid)) return true;
  return pidAlive(pid);
}

function run(command: string, args: string[], what: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolvePromise() : reject(new Error(`${what} exited ${code}:\n${stderr}`)),
    );
  });
}

async function build(folders: SiteFolders): Promise<void> {
  const dataTmp = `${folders.dataDir}.tmp`;
  const distTmp = `${folders.distDir}.tmp`;
  rmSync(dataTmp, { recursive: true, force: true });
  rmSync(distTmp, { recursive: true, force: true });
  mkdirSync(dataTmp, { recursive: true });
  await run(
    process.execPath,
    [
      join(ROOT, 'node_modules/tsx/dist/cli.mjs'),
      join(ROOT, 'scripts/ingest.ts'),
      '--out',
      dataTmp,
      'data/letters',
    ],
    'ingest',
  );
  // What `npm run build` writes beside the Parquet files: the measured accuracy (methodology)
  // and the overview's precomputed answers.
  for (const [script, args] of DATA_STEPS) {
    if (!existsSync(join(ROOT, script))) continue;
    await run(
      process.execPath,
      [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, script), ...args(dataTmp)],
      script,
    );
  }
  await run(
    process.execPath,
    [
      join(ROOT, 'node_modules/vite/bin/vite.js'),
      'build',
      '--outDir',
      distTmp,
      '--emptyOutDir',
      '--logLevel',
      'warn',
    ],
    'vite build',
  );
  // Vite copies public/, and so whatever a local `npm run build` left in public/data: replace
  // that folder wholesale so the site serves exactly this build's data, as on a clean clone.
  rmSync(join(distTmp, 'data'), { recursive: true, force: true });
  mkdirSync(join(distTmp, 'data'), { recursive: true });
  for (const name of readdirSync(dataTmp)) {
    copyFileSync(join(dataTmp, name), join(distTmp, 'data', name));
  }
  for (const name of [...TABLE_NAMES.map((t) => `${t}.parquet`), PRECOMPUTED_FILE]) {
    if (!existsSync(join(distTmp, 'data', name))) throw new Error(`the build wrote no ${name}`);
  }
  // As `npm run build` does after `vite build`: the overview prerendered into index.html, from
  // this build's data.
  await run(
    process.execPath,
    [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'scripts/prerender.ts'), distTmp],
    'prerender',
  );
  rmSync(folders.dataDir, { recursive: true, force: true });
  rmSync(folders.distDir, { recursive: true, force: true });
  renameSync(dataTmp, folders.dataDir);
  renameSync(distTmp, folders.distDir);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Makes sure the build for these folders exists, building it at most once across every test
 * worker and run: the first caller takes a lock folder and builds, the others wait for `ready`.
 */
export async function ensureBuilt(folders: SiteFolders, timeoutMs = 170_000): Promise<void> {
  const ready = join(folders.dir, 'ready');
  const failed = join(folders.dir, 'failed.txt');
  const lock = join(folders.dir, 'lock');
  mkdirSync(folders.dir, { recursive: true });
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(ready)) {
    if (existsSync(failed)) throw new Error(readFileSync(failed, 'utf8'));
    let owned = false;
    try {
      mkdirSync(lock);
      owned = true;
    } catch {
      // Someone else holds the lock; take it over only when its process has died.
      if (!lockHolderAlive(folders.dir)) rmSync(lock, { recursive: true, force: true });
    }
    if (owned) {
      writeFileSync(join(lock, 'pid'), String(process.pid));
      try {
        if (!existsSync(ready)) {
          await build(folders);
          writeFileSync(ready, new Date().toISOString());
        }
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        writeFileSync(failed, `The site build for the browser tests failed: ${message}`);
        throw error;
      } finally {
        rmSync(lock, { recursive: true, force: true });
      }
      break;
    }
    if (Date.now() > deadline) {
      throw new Error(`Timed out waiting for another worker to build the site in ${folders.dir}`);
    }
    await sleep(250);
  }
  const now = new Date();
  utimesSync(ready, now, now);
}
