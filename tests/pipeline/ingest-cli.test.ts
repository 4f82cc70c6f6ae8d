import { spawn } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parquetReadObjects } from 'hyparquet';
import { beforeAll, describe, expect, it } from 'vitest';
import { LETTERS_DIR, ROOT, letterFiles, readLetter } from '../helpers/gold';
import { runIngest } from '../helpers/run-ingest';

const PARQUET = ['letters', 'findings', 'finding_themes', 'themes', 'councils'].map(
  (t) => `${t}.parquet`,
);

/** The bytes of every output file in a folder, by name. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith('.')) continue;
    out[name] = readFileSync(path.join(dir, name)).toString('base64');
  }
  return out;
}

/** A folder `name` under the work folder holding `count` files: the seed letters over and over. */
function copiesOfTheLetters(name: string, count: number): string {
  const dir = path.join(work, name);
  mkdirSync(dir);
  for (let i = 0; i < count; i += 1) {
    const f = letterFiles[i % letterFiles.length]!;
    copyFileSync(path.join(LETTERS_DIR, f), path.join(dir, `${String(i).padStart(3, '0')}-${f}`));
  }
  return dir;
}

/** A file's bytes as an ArrayBuffer of its own, for hyparquet. */
function fileBuffer(file: string): ArrayBuffer {
  const bytes = readFileSync(file);
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

let work: string;
beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'ingest-'));
});

describe('npm run ingest', () => {
  it('writes the five Parquet files and exits 0 when every input is a letter', () => {
    const out = path.join(work, 'good');
    const run = runIngest(['--out', out, LETTERS_DIR]);
    expect(run.stderr).toMatch(/5 letters, 97 findings/);
    expect(run.stderr).toMatch(/; 0 rejected; 0 letters with warnings\n$/);
    expect(run.stderr).not.toMatch(/warning:/);
    expect(run.status).toBe(0);
    expect(readdirSync(out).sort()).toEqual([...PARQUET, 'rejected.json'].sort());
    expect(JSON.parse(readFileSync(path.join(out, 'rejected.json'), 'utf8'))).toEqual([]);
  });

  it('gives byte-identical files on a second run', () => {
    const a = path.join(work, 'a');
    const b = path.join(work, 'b');
    expect(runIngest(['--out', a, LETTERS_DIR]).status).toBe(0);
    expect(runIngest(['--out', b, LETTERS_DIR]).status).toBe(0);
    expect(snapshot(b)).toEqual(snapshot(a));
  });

  it('rejects bad inputs by name and reason, writes the rest with their warnings and exits 1', async () => {
    const inputs = path.join(work, 'mixed');
    mkdirSync(inputs);
    for (const f of letterFiles) copyFileSync(path.join(LETTERS_DIR, f), path.join(inputs, f));
    writeFileSync(path.join(inputs, 'empty.txt'), '');
    writeFileSync(
      path.join(inputs, 'picture.txt'),
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13, 0]),
    );
    writeFileSync(path.join(inputs, 'shopping.md'), '# Shopping\n\n- eggs\n- milk\n');
    writeFileSync(
      path.join(inputs, 'no-findings.txt'),
      'Annual unannounced inspection of contact, referral and assessment arrangements within Leeds City Council children’s services\n\nThe inspection was conducted on 3 and 4 March 2010.\n\nYours sincerely\n',
    );
    const unknown = readLetter('001_01074a0f891bb9e6.txt').replaceAll('North Somerset', 'Atlantis');
    writeFileSync(path.join(inputs, 'atlantis.txt'), unknown);
    // Norfolk's letter, made Suffolk's (not a duplicate), with its areas for development cut from
    // under their heading.
    const bare = readLetter('004_88aacc15415e043e.txt')
      .replaceAll('Norfolk', 'Suffolk')
      .replace(/(Areas for development\n\n)[\s\S]*?(\n\nAny areas for development)/, '$1$2');
    expect(bare).not.toBe(readLetter('004_88aacc15415e043e.txt'));
    writeFileSync(path.join(inputs, 'norfolk-bare.txt'), bare);
    const out = path.join(work, 'mixed-out');
    const run = runIngest(['--out', out, inputs]);
    expect(run.status).toBe(1);
    const rejected = JSON.parse(readFileSync(path.join(out, 'rejected.json'), 'utf8')) as {
      file: string;
      reason: string;
    }[];
    expect(rejected.map((r) => r.file)).toEqual([
      'empty.txt',
      'no-findings.txt',
      'picture.txt',
      'shopping.md',
    ]);
    expect(rejected.find((r) => r.file === 'empty.txt')?.reason).toMatch(/empty/);
    expect(rejected.find((r) => r.file === 'picture.txt')?.reason).toMatch(/not text/);
    expect(rejected.find((r) => r.file === 'shopping.md')?.reason).toMatch(/not a recognisable/);
    expect(rejected.find((r) => r.file === 'no-findings.txt')?.reason).toMatch(/no findings/);
    for (const r of rejected) expect(run.stderr).toContain(`rejected: ${r.file}: ${r.reason}`);
    // An unknown council or a heading with nothing under it is a warning, not a reject.
    expect(run.stderr).toMatch(/warning: atlantis\.txt: council "Atlantis" not recognised/);
    expect(run.stderr).toContain(
      'warning: norfolk-bare.txt: the section "Areas for development" has a heading but no findings\n',
    );
    expect(run.stderr).toMatch(/7 letters, .*; 4 rejected; 2 letters with warnings\n$/);
    const letters = await parquetReadObjects({
      file: fileBuffer(path.join(out, 'letters.parquet')),
    });
    expect(
      Object.fromEntries(letters.map((l) => [l.source_file as string, l.parse_warnings])),
    ).toMatchObject({
      'atlantis.txt': expect.stringMatching(/^council "Atlantis" not recognised/) as unknown,
      'norfolk-bare.txt': 'the section "Areas for development" has a heading but no findings',
      '001_01074a0f891bb9e6.txt': null,
    });
  });

  it('exits 2 on a usage error and writes nothing', () => {
    const out = path.join(work, 'usage');
    expect(runIngest(['--out', out]).status).toBe(2);
    expect(runIngest(['--bogus', '--out', out, LETTERS_DIR]).status).toBe(2);
    expect(runIngest(['--out', out, path.join(work, 'does-not-exist')]).status).toBe(2);
    writeFileSync(path.join(work, 'a-file'), '');
    expect(runIngest(['--out', path.join(work, 'a-file'), LETTERS_DIR]).status).toBe(2);
    expect(() => readdirSync(out)).toThrow();
    expect(readdirSync(work).filter((name) => name.includes('usage'))).toEqual([]);
  });

  it('gives the same bytes with worker threads as on the main thread alone', () => {
    // Sixty copies of each letter (enough that the workers get files after their start) and a bad
    // file: the pool hands files out in no set order, and duplicates (the later file wins) and
    // rejects must come out as a single thread gives them.
    const inputs = copiesOfTheLetters('pooled', 300);
    writeFileSync(path.join(inputs, '150-empty.txt'), '');
    const single = path.join(work, 'pooled-0');
    const pooled = path.join(work, 'pooled-2');
    const one = runIngest(['--out', single, '--workers', '0', inputs]);
    const two = runIngest(['--out', pooled, '--workers=2', inputs]);
    expect(one.status).toBe(1);
    expect(two.status).toBe(1);
    expect(two.stderr).toMatch(/5 letters, 97 findings/);
    expect(snapshot(pooled)).toEqual(snapshot(single));
    expect(JSON.parse(readFileSync(path.join(pooled, 'rejected.json'), 'utf8'))).toHaveLength(1);
    expect(runIngest(['--out', pooled, '--workers', 'many', inputs]).status).toBe(2);
  });

  it('leaves the previous output untouched when a run fails', () => {
    const out = path.join(work, 'kept');
    expect(runIngest(['--out', out, LETTERS_DIR]).status).toBe(0);
    const before = snapshot(out);
    const junk = path.join(work, 'junk');
    mkdirSync(junk);
    writeFileSync(path.join(junk, 'empty.txt'), '');
    const run = runIngest(['--out', out, junk]);
    // Nothing usable: exit 3, and the folder (its rejected.json too) as the last good run left it.
    expect(run.status).toBe(3);
    expect(run.stderr).toMatch(/left as it was/);
    expect(snapshot(out)).toEqual(before);
  });

  it('leaves the previous output untouched when a run is killed part-way', async () => {
    const out = path.join(work, 'killed');
    expect(runIngest(['--out', out, LETTERS_DIR]).status).toBe(0);
    const before = snapshot(out);
    const many = copiesOfTheLetters('many', 400);
    // tsx loaded in-process, so that the kill reaches the ingest itself (tsx's own command
    // runs it in a child process, which a SIGKILL to the parent would leave running).
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'scripts/ingest.ts', '--out', out, many],
      { cwd: ROOT },
    );
    // Killed as soon as it reports progress: mid-run, before anything can have been written.
    await new Promise<void>((resolve) => {
      child.stderr.on('data', (chunk: Buffer) => {
        if (/\d+\/400 read/.test(chunk.toString())) child.kill('SIGKILL');
      });
      child.on('exit', () => resolve());
    });
    expect(snapshot(out)).toEqual(before);
  });
});
