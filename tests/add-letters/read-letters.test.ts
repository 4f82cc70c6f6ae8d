import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dedupeLetters } from '@/core/dedupe-letters';
import type { LetterFileResult } from '@/core/parse-letter-file';
import { buildCouncilMatcher } from '@/core/pipeline/match-council';
import { defaultTaxonomy } from '@/core/pipeline/taxonomy';
import { assembleRows } from '@/core/pipeline/to-rows';
import { readLetterSources } from '@/features/add-letters/read-letters';
import { pdfToText } from '../../scripts/lib/read-pdf';
import { comparable, letterFiles, readLetter } from '../helpers/gold';
import {
  makeCorruptPdf,
  makeEncryptedPdf,
  makeLetterPdf,
  makeScannedPdf,
} from '../helpers/make-pdf';
import { runIngest } from '../helpers/run-ingest';

/** The tables a letter's rows go into, as the CLI writes and the page inserts them. */
const LETTER_TABLES = ['letters', 'findings', 'finding_themes'] as const;

const pdfName = (file: string): string => file.replace(/\.(txt|md)$/, '.pdf');

let work: string;
let instance: DuckDBInstance;
let db: DuckDBConnection;

/** The files of a folder in the CLI's order (code-point order of their names). */
function filesOf(dir: string): { name: string; bytes: Uint8Array }[] {
  return readdirSync(dir)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((name) => ({ name, bytes: new Uint8Array(readFileSync(path.join(dir, name))) }));
}

/** What the CLI wrote for a folder: its letter tables as the app's plain rows, and its rejects. */
async function ingestWithCli(dir: string): Promise<{
  tables: Record<(typeof LETTER_TABLES)[number], Record<string, unknown>[]>;
  rejected: { file: string; reason: string }[];
}> {
  const out = path.join(work, `${path.basename(dir)}-out`);
  // Each file named on the command line, as a user picks them: a folder would skip other types.
  const run = runIngest(['--out', out, ...filesOf(dir).map((f) => path.join(dir, f.name))]);
  expect([0, 1], run.stderr).toContain(run.status);
  const tables = {} as Record<(typeof LETTER_TABLES)[number], Record<string, unknown>[]>;
  for (const table of LETTER_TABLES) {
    const file = path.join(out, `${table}.parquet`).replace(/'/g, "''");
    const reader = await db.runAndReadAll(`SELECT * FROM read_parquet('${file}')`);
    tables[table] = reader.getRowObjectsJson() as Record<string, unknown>[];
  }
  const rejected = JSON.parse(readFileSync(path.join(out, 'rejected.json'), 'utf8')) as {
    file: string;
    reason: string;
  }[];
  return { tables, rejected };
}

/** What the add-letters worker's core makes of the same files, laid out as the CLI's rows. */
async function readWithWorkerCore(dir: string) {
  const files = filesOf(dir);
  const seen: number[] = [];
  const perFile = await readLetterSources(
    files,
    { readPdf: pdfToText, matcher: buildCouncilMatcher() },
    (index) => seen.push(index),
  );
  expect(seen).toEqual(files.map((_, i) => i));
  const results = perFile.flat();
  const ok = results.flatMap((r) => (r.ok ? [r.rows] : []));
  const rows = assembleRows(dedupeLetters(ok).letters, defaultTaxonomy);
  const rejected = results
    .flatMap((r) => (r.ok ? [] : [{ file: r.name, reason: r.reason }]))
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { results, rows, rejected };
}

function expectSameRows(
  cli: Record<string, Record<string, unknown>[]>,
  core: ReturnType<typeof assembleRows>,
): void {
  for (const table of LETTER_TABLES) {
    expect(core[table].length, table).toBeGreaterThan(0);
    expect(core[table], table).toEqual(cli[table]);
  }
}

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'add-letters-'));
  instance = await DuckDBInstance.create(':memory:');
  db = await instance.connect();
});

afterAll(() => {
  db.closeSync();
  instance.closeSync();
  rmSync(work, { recursive: true, force: true });
});

describe("the add-letters worker's core reads letters as the ingest CLI does", () => {
  it('seed PDFs and bad files: the same rows and the same rejects, by file name', async () => {
    const dir = path.join(work, 'pdfs');
    mkdirSync(dir);
    for (const file of letterFiles) {
      const pdf = await makeLetterPdf(readLetter(file), { symbolBullets: file.startsWith('001') });
      writeFileSync(path.join(dir, pdfName(file)), pdf.bytes);
    }
    writeFileSync(path.join(dir, 'scanned.pdf'), await makeScannedPdf());
    writeFileSync(path.join(dir, 'corrupt.pdf'), makeCorruptPdf());
    writeFileSync(path.join(dir, 'locked.pdf'), makeEncryptedPdf('secret', 'Hello'));
    writeFileSync(path.join(dir, 'binary.txt'), new Uint8Array([0x50, 0x4b, 0, 1, 2, 3, 0]));
    writeFileSync(path.join(dir, 'shopping.md'), '# Shopping\n\n- milk\n- eggs\n');

    const cli = await ingestWithCli(dir);
    const core = await readWithWorkerCore(dir);
    expectSameRows(cli.tables, core.rows);
    expect(core.rows.letters).toHaveLength(letterFiles.length);
    expect(core.rejected).toEqual(cli.rejected);
    expect(Object.fromEntries(core.rejected.map((r) => [r.file, r.reason]))).toMatchObject({
      'scanned.pdf': expect.stringContaining('no text layer'),
      'corrupt.pdf': expect.stringContaining('corrupt PDF'),
      'locked.pdf': 'password-protected PDF',
      'binary.txt': expect.stringContaining('not text'),
    });
  });

  it('a PDF gives the same findings as the text it was drawn from', async () => {
    for (const file of letterFiles) {
      const pdf = await makeLetterPdf(readLetter(file));
      const [pdfResults, textResults] = await readLetterSources(
        [
          { name: pdfName(file), bytes: pdf.bytes },
          { name: file, bytes: new TextEncoder().encode(readLetter(file)) },
        ],
        { readPdf: pdfToText },
      );
      const fromPdf = pdfResults?.[0];
      const fromText = textResults?.[0];
      const findings = (r: LetterFileResult | undefined) =>
        r?.ok ? r.rows.findings.map((f) => [f.position, f.section, comparable(f.text)]) : r?.reason;
      expect(findings(fromPdf), file).toEqual(findings(fromText));
      expect(fromPdf?.ok && fromPdf.rows.letter.letter_id).toBe(
        fromText?.ok && fromText.rows.letter.letter_id,
      );
    }
  });

  it('texts and duplicates: the same rows, the same copy kept, other types rejected', async () => {
    const dir = path.join(work, 'mixed');
    mkdirSync(dir);
    for (const file of letterFiles) writeFileSync(path.join(dir, file), readLetter(file));
    // The same inspection as a PDF (read before the text file, which then replaces it) ...
    const first = letterFiles[0]!;
    writeFileSync(path.join(dir, pdfName(first)), (await makeLetterPdf(readLetter(first))).bytes);
    // ... and a second copy of the council's report under a later name, which replaces the first.
    const report = letterFiles.find((f) => f.startsWith('003'))!;
    writeFileSync(path.join(dir, `zz-${report}`), readLetter(report));
    writeFileSync(path.join(dir, 'notes.xlsx'), 'not a letter');

    const cli = await ingestWithCli(dir);
    const core = await readWithWorkerCore(dir);
    expectSameRows(cli.tables, core.rows);
    expect(core.rejected).toEqual(cli.rejected);
    expect(core.rejected.map((r) => r.file)).toEqual(['notes.xlsx']);
    expect(core.rows.letters.map((l) => l.source_file)).toContain(first);
    expect(core.rows.letters.map((l) => l.source_file)).toContain(`zz-${report}`);
    expect(core.rows.letters).toHaveLength(letterFiles.length);
  });

  it('a text remembered from an earlier visit reads to the same rows as its file', async () => {
    const file = letterFiles[1]!;
    const bytes = new TextEncoder().encode(readLetter(file));
    const fromFile = (
      await readLetterSources([{ name: file, bytes }], { readPdf: pdfToText })
    )[0]?.[0];
    expect(fromFile?.ok).toBe(true);
    const fromText = (
      await readLetterSources(
        [{ name: file, text: (fromFile as Extract<LetterFileResult, { ok: true }>).text }],
        { readPdf: pdfToText },
      )
    )[0]?.[0];
    expect(fromText).toEqual(fromFile);
  });

  it('a bug in one file is that file’s reason; the others still go through', async () => {
    const results = await readLetterSources(
      [
        { name: 'bad.pdf', bytes: new Uint8Array([1]) },
        { name: letterFiles[2]!, bytes: new TextEncoder().encode(readLetter(letterFiles[2]!)) },
      ],
      {
        readPdf: () => {
          throw new TypeError('boom');
        },
      },
    );
    expect(results[0]).toEqual([{ name: 'bad.pdf', ok: false, reason: 'could not be read: boom' }]);
    expect(results[1]?.[0]?.ok).toBe(true);
  });
});
