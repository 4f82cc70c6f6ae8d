import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/gold';
import { randomCases } from '../support/test-depth';

/** Fixed, so that every run tries the same cases. */
const SEED = 2016;
/**
 * Cases tried: 500 (some fifteen seconds of one core); in CI the first 150 of them, unless
 * `DASHBOARD_TEST_FULL=1` (tests/support/test-depth.ts).
 */
const RUNS = randomCases(500, 150);
/** Longer than this and the fuzzer is taken to hang (each case has its own 20 s limit too). */
const LIMIT_MS = 170_000;

interface Summary {
  seeds: number;
  cases: number;
  numRuns: number;
  letters: number;
  rejected: number;
  failed: boolean;
  counterexample: string | null;
  error: string | null;
}

describe('the letter reader on random and damaged bytes', () => {
  it('gives a letter or a one-line reason for every case, never a throw or a hang', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'tests/ingest/fuzz-parse.ts', String(SEED), String(RUNS)],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let lastCase = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      const lines = chunk.toString().trim().split('\n');
      lastCase = lines.findLast((line) => line.startsWith('case ')) ?? lastCase;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), LIMIT_MS);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    clearTimeout(timer);
    expect(code, `the fuzzer stopped (a hang or a crash?) at ${lastCase}`).toBe(0);
    const summary = JSON.parse(stdout) as Summary;
    console.log(
      `fuzz: ${summary.cases} cases (seed ${SEED}, ${summary.numRuns} runs over ${summary.seeds} seed files): ${summary.letters} letters, ${summary.rejected} clean rejections`,
    );
    expect(summary.error, summary.counterexample ?? '').toBeNull();
    expect(summary.failed).toBe(false);
    expect(summary.numRuns).toBe(RUNS);
  }, 180_000);
});
