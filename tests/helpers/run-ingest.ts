import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './gold';

/** What one run of the ingest CLI gave. */
export interface IngestRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `scripts/ingest.ts` as the CLI is run, with the given arguments. */
export function runIngest(args: string[]): IngestRun {
  const result = spawnSync(
    process.execPath,
    [
      path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'),
      path.join(ROOT, 'scripts/ingest.ts'),
      ...args,
    ],
    { cwd: ROOT, encoding: 'utf8', timeout: 120_000 },
  );
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
