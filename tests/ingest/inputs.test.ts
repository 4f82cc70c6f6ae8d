import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LETTERS_DIR, letterFiles } from '../helpers/gold';
import { runToEnd } from './ingest-process';

interface Rejected {
  file: string;
  reason: string;
}

let work: string;
let duck: DuckDBInstance;
/** Folders and files made unreadable, given back their modes after (so the temp folder goes). */
const locked: string[] = [];

/** True when this process can read a file despite its mode (root, or a capability). */
function canRead(file: string): boolean {
  try {
    readFileSync(file);
    return true;
  } catch {
    return false;
  }
}

/** The source files of the letters written to a folder. */
async function sourceFiles(out: string): Promise<string[]> {
  const connection = await duck.connect();
  try {
    const reader = await connection.runAndReadAll(
      `SELECT source_file FROM read_parquet('${path.join(out, 'letters.parquet')}') ORDER BY 1`,
    );
    return reader.getRows().map((row) => String(row[0]));
  } finally {
    connection.closeSync();
  }
}

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'ingest-inputs-'));
  duck = await DuckDBInstance.create(':memory:');
});

afterAll(() => {
  for (const file of locked) chmodSync(file, 0o755);
  duck?.closeSync();
});

/** The unprivileged user of Debian and most systems. */
const NOBODY = { uid: 65534, gid: 65534 };

function canList(folder: string): boolean {
  try {
    readdirSync(folder);
    return true;
  } catch {
    return false;
  }
}

/**
 * Ingests the folder made by the first test into `out` (as `user`, or this process's user) and
 * checks each entry's fate: every good letter in, every bad entry named with its one-line reason.
 */
async function expectFates(
  inputs: string,
  out: string,
  user: { uid: number; gid: number } | null,
  readable: boolean,
  listable: boolean,
  fifo: boolean,
): Promise<void> {
  const run = await runToEnd(['--out', out, inputs], {}, user);
  expect(run.status, run.stderr).toBe(1);
  const rejected = JSON.parse(readFileSync(path.join(out, 'rejected.json'), 'utf8')) as Rejected[];
  const reasons = Object.fromEntries(rejected.map((r) => [r.file, r.reason]));
  const expected: Record<string, RegExp> = {
    'dangling.txt': /^a symbolic link to .*nowhere\.txt, which does not exist$/,
    'x.txt/': /^a folder, not a letter file, and there is nothing in it$/,
    'notes.xyz': /^unsupported file type "\.xyz": expected \.txt, /,
    'empty.txt': /^empty file$/,
    'binary.txt': /not text/,
    'loop/': /^a symbolic link back into a folder being read \(a loop\): not read again$/,
  };
  if (fifo) expected['pipe.txt'] = /^a named pipe, not a file$/;
  if (!readable) expected['locked.txt'] = /^could not be read: permission denied$/;
  if (!listable) expected['closed/'] = /^could not be listed: permission denied$/;
  expect(Object.keys(reasons).sort()).toEqual(Object.keys(expected).sort());
  for (const [file, reason] of Object.entries(expected))
    expect(reasons[file], file).toMatch(reason);
  // One line each, on stderr as in the file.
  for (const r of rejected) {
    expect(r.reason).not.toMatch(/\n/);
    expect(run.stderr).toContain(`rejected: ${r.file}: ${r.reason}\n`);
  }
  expect(run.stderr).not.toContain('.DS_Store');
  // Every good letter is in, the linked one under its link's name.
  const letters = [letterFiles[0]!, letterFiles[1]!, 'linked.txt'];
  if (readable) letters.push('locked.txt');
  if (listable) letters.push('inside.txt');
  expect(await sourceFiles(out)).toEqual(letters.sort());
  console.log(
    `folder test${user ? ` as uid ${user.uid}` : ''}: ${letters.length} letters read, ${rejected.length} entries rejected (a mode-000 file ${readable ? 'can' : 'cannot'} be read${fifo ? '' : '; no mkfifo here'})`,
  );
}

describe('a folder of good and bad entries', () => {
  it('reads every letter and names every bad entry with a one-line reason', async () => {
    const inputs = path.join(work, 'letters');
    mkdirSync(inputs);
    // Two letters, and a link to a third elsewhere (followed).
    for (const f of letterFiles.slice(0, 2))
      copyFileSync(path.join(LETTERS_DIR, f), path.join(inputs, f));
    symlinkSync(path.join(LETTERS_DIR, letterFiles[2]!), path.join(inputs, 'linked.txt'));
    // The bad: a link to nothing, a folder named like a letter, a type no reader takes, an empty
    // file, a binary one, a link back to the folder itself.
    symlinkSync(path.join(work, 'nowhere.txt'), path.join(inputs, 'dangling.txt'));
    mkdirSync(path.join(inputs, 'x.txt'));
    writeFileSync(path.join(inputs, 'notes.xyz'), 'some notes\n');
    writeFileSync(path.join(inputs, 'empty.txt'), '');
    writeFileSync(
      path.join(inputs, 'binary.txt'),
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0, 0]),
    );
    symlinkSync(inputs, path.join(inputs, 'loop'));
    // A named pipe (reading it would wait for ever), where mkfifo is at hand.
    const fifo = spawnSync('mkfifo', [path.join(inputs, 'pipe.txt')]).status === 0;
    // A hidden file: passed over without a word, as documented.
    writeFileSync(path.join(inputs, '.DS_Store'), 'Bud1');
    // An unreadable letter and an unreadable folder holding one: read when this process can
    // read them anyway (root), rejected by name otherwise.
    const unreadable = path.join(inputs, 'locked.txt');
    copyFileSync(path.join(LETTERS_DIR, letterFiles[3]!), unreadable);
    chmodSync(unreadable, 0o000);
    locked.push(unreadable);
    const closed = path.join(inputs, 'closed');
    mkdirSync(closed);
    copyFileSync(path.join(LETTERS_DIR, letterFiles[4]!), path.join(closed, 'inside.txt'));
    chmodSync(closed, 0o000);
    locked.push(closed);
    await expectFates(
      inputs,
      path.join(work, 'out'),
      null,
      canRead(unreadable),
      canList(closed),
      fifo,
    );
    // As root everything can be read: run again as an unprivileged user, so that the files it
    // cannot read are really met.
    if (process.getuid?.() === 0) {
      chmodSync(work, 0o755);
      const open = path.join(work, 'open');
      mkdirSync(open, { mode: 0o777 });
      chmodSync(open, 0o777);
      await expectFates(inputs, path.join(open, 'out'), NOBODY, false, false, fifo);
    }
  });

  it('exits 3 and leaves the folder as it was when nothing can be read', async () => {
    const out = path.join(work, 'out');
    const before = readFileSync(path.join(out, 'letters.parquet'));
    const rejectedBefore = readFileSync(path.join(out, 'rejected.json'), 'utf8');
    const junk = path.join(work, 'junk');
    mkdirSync(junk);
    writeFileSync(path.join(junk, 'empty.txt'), '');
    writeFileSync(path.join(junk, 'notes.xyz'), 'x');
    const run = await runToEnd(['--out', out, junk]);
    expect(run.status).toBe(3);
    expect(run.stderr).toContain('rejected: empty.txt: empty file\n');
    expect(run.stderr).toMatch(/no letters could be read \(2 rejected\); .* left as it was\n$/);
    expect(readFileSync(path.join(out, 'letters.parquet'))).toEqual(before);
    // rejected.json stays with the files it describes.
    expect(readFileSync(path.join(out, 'rejected.json'), 'utf8')).toBe(rejectedBefore);
    // Into a new folder: nothing is made at all.
    const fresh = path.join(work, 'never');
    expect((await runToEnd(['--out', fresh, junk])).status).toBe(3);
    expect(existsSync(fresh)).toBe(false);
    expect(readdirSync(work).filter((name) => name.includes('never'))).toEqual([]);
  });

  it('tells its exit codes in --help', async () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/ingest.ts', '--help'], {
      cwd: path.resolve(import.meta.dirname, '../..'),
      encoding: 'utf8',
    });
    expect(run.status).toBe(0);
    for (const code of [0, 1, 2, 3, 4]) expect(run.stdout).toMatch(new RegExp(`^  ${code}  `, 'm'));
  });
});
