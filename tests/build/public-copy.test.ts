import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { copyPublic } from '../../vite.config';
import { LETTERS_DIR } from '../helpers/gold';
import { runIngest } from '../helpers/run-ingest';

const dir = mkdtempSync(path.join(tmpdir(), 'public-copy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every path below `root`, relative to it. */
function walk(root: string, from = ''): string[] {
  return readdirSync(path.join(root, from)).flatMap((name) => {
    const rel = path.join(from, name);
    return lstatSync(path.join(root, rel)).isDirectory() ? [rel, ...walk(root, rel)] : [rel];
  });
}

describe("the build's copy of public/", () => {
  it('copies the published set as plain files and leaves the ingest’s staging out', () => {
    // A public/ as a real ingest leaves it: data/NAME links into .tmp-data.sets/current/, plus
    // what a killed run leaves: another set and a half-made link.
    const publicDir = path.join(dir, 'public');
    mkdirSync(publicDir);
    writeFileSync(path.join(publicDir, 'sw.js'), '// service worker\n');
    const ingest = runIngest(['--out', path.join(publicDir, 'data'), LETTERS_DIR]);
    expect(ingest.status, ingest.stderr).toBe(0);
    const sets = path.join(publicDir, '.tmp-data.sets');
    mkdirSync(path.join(sets, 'killed-run'));
    writeFileSync(path.join(sets, 'killed-run', 'findings.parquet'), 'half written');
    symlinkSync(path.join(sets, 'killed-run'), path.join(publicDir, '.ingest-link-4242'));
    const published = readdirSync(path.join(publicDir, 'data')).sort();
    expect(published).toContain('findings.parquet');
    expect(lstatSync(path.join(publicDir, 'data', 'findings.parquet')).isSymbolicLink()).toBe(true);

    const dist = path.join(dir, 'dist');
    copyPublic(publicDir, dist);

    const copied = walk(dist);
    expect(copied.filter((p) => /(^|\/)\.(tmp-|ingest-)/.test(p))).toEqual([]);
    expect(readdirSync(path.join(dist, 'data')).sort()).toEqual(published);
    for (const name of published) {
      const file = path.join(dist, 'data', name);
      expect(lstatSync(file).isFile(), name).toBe(true);
      expect(readFileSync(file).equals(readFileSync(path.join(publicDir, 'data', name)))).toBe(
        true,
      );
    }
    expect(readFileSync(path.join(dist, 'sw.js'), 'utf8')).toBe('// service worker\n');
  });
});
