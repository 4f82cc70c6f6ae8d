import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { LETTERS_DIR } from '../helpers/gold';
import { killHard, leftovers, runToEnd, startIngest, waitForPause } from './ingest-process';

let work: string;

/** The lock file of an output folder. */
const lockOf = (dir: string) =>
  path.join(path.dirname(dir), `.tmp-${path.basename(dir)}.sets`, 'lock');

beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'ingest-lock-'));
});

describe('the output folder lock', () => {
  it('refuses a second ingest while the first runs, naming it, and takes over once it is dead', async () => {
    const dir = path.join(work, 'data');
    const first = startIngest(['--out', dir, LETTERS_DIR], { UCRA_INGEST_PAUSE_AT: 'parsing' });
    try {
      await waitForPause(first, 'parsing');
      const pid = first.child.pid!;
      expect(first.stderr()).toContain(`paused at parsing (pid ${pid})`);
      const second = await runToEnd(['--out', dir, LETTERS_DIR]);
      expect(second.status).toBe(4);
      expect(second.stderr).toMatch(
        new RegExp(
          `^ingest: ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is being written by another ingest \\(pid ${pid}, started \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\\); nothing was written\\.`,
        ),
      );
      expect(existsSync(dir)).toBe(false);
      // Another folder is another lock.
      expect((await runToEnd(['--out', path.join(work, 'other'), LETTERS_DIR])).status).toBe(0);
    } finally {
      await killHard(first);
    }
    // Its holder dead, the lock is stale: the next run takes it over and publishes.
    const third = await runToEnd(['--out', dir, LETTERS_DIR]);
    expect(third.status, third.stderr).toBe(0);
    expect(third.stderr).toMatch(
      new RegExp(
        `taking over .* from an ingest that is no longer running \\(pid ${first.child.pid}, `,
      ),
    );
    expect(existsSync(path.join(dir, 'letters.parquet'))).toBe(true);
    expect(leftovers(dir)).toEqual([]);
  }, 120_000);

  it('tells a reused pid, another host and a garbled lock file', async () => {
    const dir = path.join(work, 'data');
    const lock = (info: object | string) =>
      writeFileSync(lockOf(dir), typeof info === 'string' ? info : JSON.stringify(info));
    const base = { started: '2020-01-01T00:00:00.000Z', host: hostname(), token: 'old' };
    // Another host: its process cannot be checked, so it is taken to be running.
    lock({ ...base, pid: 1, host: 'elsewhere.example', procStart: null });
    const elsewhere = await runToEnd(['--out', dir, LETTERS_DIR]);
    expect(elsewhere.status).toBe(4);
    expect(elsewhere.stderr).toContain(
      '(pid 1, started 2020-01-01T00:00:00.000Z on elsewhere.example)',
    );
    // A live pid (this test's own) that started at another time than the lock says: reused.
    if (existsSync('/proc/self/stat')) {
      lock({ ...base, pid: process.pid, procStart: '1' });
      const reused = await runToEnd(['--out', dir, LETTERS_DIR]);
      expect(reused.status, reused.stderr).toBe(0);
      expect(reused.stderr).toContain(`no longer running (pid ${process.pid}, `);
    }
    lock('not a lock');
    const garbled = await runToEnd(['--out', dir, LETTERS_DIR]);
    expect(garbled.status, garbled.stderr).toBe(0);
    expect(garbled.stderr).toContain('its lock file was unreadable');
    expect(leftovers(dir)).toEqual([]);
  }, 120_000);
});
