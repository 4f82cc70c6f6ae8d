import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

/** Runs the build's accuracy step into a fresh folder and returns the file it wrote, parsed. */
export function measureAccuracyFile(): unknown {
  const out = mkdtempSync(join(tmpdir(), 'accuracy-'));
  try {
    const run = spawnSync(
      process.execPath,
      [
        join(ROOT, 'node_modules/tsx/dist/cli.mjs'),
        join(ROOT, 'scripts/measure-accuracy.ts'),
        '--out',
        out,
      ],
      { cwd: ROOT, encoding: 'utf8', timeout: 120_000 },
    );
    if (run.status !== 0) throw new Error(`measure-accuracy exited ${run.status}: ${run.stderr}`);
    return JSON.parse(readFileSync(join(out, 'accuracy.json'), 'utf8'));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
