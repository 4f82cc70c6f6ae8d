import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/gold';

const dir = mkdtempSync(path.join(tmpdir(), 'compress-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(target: string) {
  return spawnSync(
    process.execPath,
    [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'scripts/compress-dist.ts', target],
    { cwd: ROOT, encoding: 'utf8' },
  );
}

describe('compress-dist', () => {
  it('writes .br and .gz beside files that shrink, the same bytes as the original once inflated', () => {
    mkdirSync(path.join(dir, 'assets'));
    const js = path.join(dir, 'assets', 'app-abc123.js');
    const text = 'export const rows = ['.concat('{"council":"Leeds","n":1},'.repeat(2000), '];\n');
    writeFileSync(js, text);
    const tiny = path.join(dir, 'tiny.css');
    writeFileSync(tiny, 'a{}');
    const random = path.join(dir, 'noise.bin');
    writeFileSync(random, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251)));
    const result = run(dir);
    expect(result.status, result.stderr).toBe(0);
    expect(brotliDecompressSync(readFileSync(`${js}.br`)).toString()).toBe(text);
    expect(gunzipSync(readFileSync(`${js}.gz`)).toString()).toBe(text);
    expect(existsSync(`${tiny}.br`)).toBe(false);
    const summary = JSON.parse(readFileSync(path.join(dir, 'compressed.json'), 'utf8')) as {
      files: number;
      brotli_bytes: number;
      bytes: number;
    };
    expect(summary.files).toBe(3);
    expect(summary.brotli_bytes).toBeLessThan(summary.bytes);
    // Run again: the copies are not compressed again, and the bytes are the same.
    const before = readFileSync(`${js}.br`);
    expect(run(dir).status).toBe(0);
    expect(readFileSync(`${js}.br`).equals(before)).toBe(true);
    expect(existsSync(`${js}.br.br`)).toBe(false);
  });

  it('says so when the folder does not exist', () => {
    const result = run(path.join(dir, 'missing'));
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('no such folder');
  });
});
