import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { isArchive } from '@/core/read/registry';
import {
  MAX_ARCHIVE_BYTES,
  MAX_ARCHIVE_DEPTH,
  MAX_COMPRESSION_RATIO,
  MAX_MEMBER_BYTES,
  RATIO_FLOOR_BYTES,
  unsafeMemberReason,
  unzipMembers,
  walkArchive,
} from '@/core/read/zip';
import { LETTERS_DIR, ROOT, letterFiles } from '../helpers/gold';
import { runToEnd } from './ingest-process';

/** Every path under a folder (links not followed), relative to it. */
function tree(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const rel = entry.name;
    return entry.isDirectory() && !entry.isSymbolicLink()
      ? [`${rel}/`, ...tree(path.join(dir, rel)).map((sub) => `${rel}/${sub}`)]
      : [rel];
  });
}

/** The offset of each central directory header of a zip (signature PK\1\2). */
function centralHeaders(zip: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = 0; i + 4 <= zip.length; i += 1)
    if (zip[i] === 0x50 && zip[i + 1] === 0x4b && zip[i + 2] === 1 && zip[i + 3] === 2) out.push(i);
  return out;
}

/** A zip whose first member's central directory says `set` (offset → 32-bit value). */
function patched(zip: Uint8Array, set: Record<number, number>, width: 2 | 4 = 4): Uint8Array {
  const copy = zip.slice();
  const view = new DataView(copy.buffer);
  const header = centralHeaders(copy)[0]!;
  for (const [offset, value] of Object.entries(set))
    if (width === 4) view.setUint32(header + Number(offset), value, true);
    else view.setUint16(header + Number(offset), value, true);
  return copy;
}

let work: string;
const letter = () => readFileSync(path.join(LETTERS_DIR, letterFiles[0]!));

beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'ingest-zip-'));
});

describe('zip members with unsafe names', () => {
  /** Names a zip-slip attack uses: none may ever be used as a path on disk. */
  const UNSAFE = [
    '../escape.txt',
    '../../tmp-escape/evil.txt',
    'sub/../../up.txt',
    '..\\back.txt',
    '/abs-ucra-zip-test.txt',
    'C:/windows.txt',
    'line\nbreak.txt',
  ];

  it('are named and refused, never read nor written, and the letters beside them go in', async () => {
    const folder = path.join(work, 'slip');
    mkdirSync(folder);
    const members: Record<string, Uint8Array> = { 'good/letter.txt': letter() };
    for (const name of UNSAFE) members[name] = letter();
    writeFileSync(path.join(folder, 'evil.zip'), zipSync(members));
    const out = path.join(work, 'slip-out');
    const before = tree(work);
    const outside = [
      path.join(work, 'escape.txt'),
      path.join(folder, '..', 'escape.txt'),
      path.join(ROOT, '..', 'escape.txt'),
      path.join(path.dirname(ROOT), 'up.txt'),
      '/abs-ucra-zip-test.txt',
    ];
    for (const file of outside) expect(existsSync(file), file).toBe(false);
    const run = await runToEnd(['--out', out, path.join(folder, 'evil.zip')]);
    expect(run.status, run.stderr).toBe(1);
    // Nothing appeared anywhere but the output folder and its sets folder.
    const grown = tree(work).filter((p) => !before.includes(p));
    expect(grown.filter((p) => !/^(slip-out|\.tmp-slip-out\.sets)(\/|$)/.test(p))).toEqual([]);
    for (const file of outside) expect(existsSync(file), file).toBe(false);
    const rejected = JSON.parse(readFileSync(path.join(out, 'rejected.json'), 'utf8')) as {
      file: string;
      reason: string;
    }[];
    expect(rejected.map((r) => r.file).sort()).toEqual(UNSAFE.map((n) => `evil.zip/${n}`).sort());
    for (const r of rejected)
      expect(r.reason).toMatch(/^unsafe name in the archive \(.+\): not read$/);
    // On stderr, one line each: the newline in a name is shown escaped.
    const lines = run.stderr.split('\n').filter((line) => line.startsWith('rejected: '));
    expect(lines).toHaveLength(UNSAFE.length);
    expect(lines).toContain(
      'rejected: evil.zip/line\\nbreak.txt: unsafe name in the archive (control characters): not read',
    );
    expect(run.stderr).toMatch(/1 letters, /);
  });

  it('are told apart from safe ones', () => {
    for (const name of UNSAFE) expect(unsafeMemberReason(name), name).not.toBeNull();
    for (const name of ['a.txt', 'more/b.docx', 'x..y.txt', '..hidden.txt', 'a/b/c.pdf'])
      expect(unsafeMemberReason(name), name).toBeNull();
  });
});

describe('zip bombs and the limits on unpacking', () => {
  it('states its limits', () => {
    expect({
      MAX_MEMBER_BYTES,
      MAX_ARCHIVE_BYTES,
      MAX_COMPRESSION_RATIO,
      RATIO_FLOOR_BYTES,
      MAX_ARCHIVE_DEPTH,
    }).toEqual({
      MAX_MEMBER_BYTES: 200 * 2 ** 20,
      MAX_ARCHIVE_BYTES: 2 ** 30,
      MAX_COMPRESSION_RATIO: 200,
      RATIO_FLOOR_BYTES: 2 ** 20,
      MAX_ARCHIVE_DEPTH: 3,
    });
  });

  it('refuses a member that unpacks to over 200 times its size', () => {
    const zip = zipSync({ 'bomb.txt': new Uint8Array(2 * RATIO_FLOOR_BYTES), 'a.txt': letter() });
    const members = unzipMembers(zip);
    expect(members.map((m) => [m.name, 'reason' in m ? m.reason : 'read'])).toEqual([
      ['a.txt', 'read'],
      ['bomb.txt', expect.stringMatching(/over 200 times its packed size \(a zip bomb/)],
    ]);
  });

  it('refuses a member whose stated size is over the limit, before unpacking it', () => {
    const zip = zipSync({ 'big.txt': strToU8('small really') }, { level: 0 });
    // Central directory header: the unpacked size is at offset 24.
    const lying = patched(zip, { 24: MAX_MEMBER_BYTES + 1 });
    expect(unzipMembers(lying)).toEqual([{ name: 'big.txt', reason: 'over 200 MB once unpacked' }]);
  });

  it('keeps an archive and the archives inside it within one budget', () => {
    const inner = zipSync({ 'c.txt': new Uint8Array(1000).fill(65), 'd.txt': letter() });
    const outer = zipSync({ 'a.txt': new Uint8Array(1000).fill(65), 'inner.zip': inner });
    const budget = { bytesLeft: 1000 + inner.length + 1000 + 10 };
    const entries = walkArchive(outer, 'outer.zip', isArchive, [], budget);
    expect(entries.map((e) => [e.name, 'reason' in e ? e.reason : 'read'])).toEqual([
      ['outer.zip/a.txt', 'read'],
      ['outer.zip/inner.zip/c.txt', 'read'],
      ['outer.zip/inner.zip/d.txt', expect.stringMatching(/^would take the archive over 1 GB/)],
    ]);
  });

  it('names what cannot be unpacked rather than losing it', () => {
    // Two members of one name: the second is named (fflate would keep only one).
    const renamed = (zip: Uint8Array, from: string, to: string) =>
      new Uint8Array(
        Buffer.from(Buffer.from(zip).toString('latin1').replaceAll(from, to), 'latin1'),
      );
    const twins = zipSync({ 'a.txt': strToU8('first'), 'b.txt': strToU8('second') });
    expect(unzipMembers(renamed(twins, 'b.txt', 'a.txt'))).toEqual([
      { name: 'a.txt', bytes: strToU8('first') },
      { name: 'a.txt', reason: 'a second member of the same name in the archive: not read' },
    ]);
    // A name that is a property of every object.
    const proto = zipSync({ xxproto__: strToU8('x'), 'a.txt': strToU8('y') });
    expect(unzipMembers(renamed(proto, 'xxproto__', '__proto__'))).toEqual([
      { name: '__proto__', reason: 'could not be unpacked' },
      { name: 'a.txt', bytes: strToU8('y') },
    ]);
    // A compression method no reader has (the method is at offset 10).
    const odd = patched(zipSync({ 'a.txt': strToU8('y') }), { 10: 99 }, 2);
    expect(unzipMembers(odd)).toEqual([
      {
        name: 'a.txt',
        reason: 'packed with zip method 99, which cannot be unpacked (only stored and deflate)',
      },
    ]);
  });
});
