import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { pdfToText } from '../../scripts/lib/read-pdf';
import { type ParsedLetter, parseLetter } from '@/core/pipeline/parse-letter';
import { comparable, goldFindings, goldLetters, letterFiles, readLetter } from '../helpers/gold';
import {
  A5,
  type LetterPdf,
  makeCorruptPdf,
  makeEncryptedPdf,
  makeLetterPdf,
  makeScannedPdf,
} from '../helpers/make-pdf';
import { runIngest } from '../helpers/run-ingest';

/** A seed letter's name with the PDF extension. */
const pdfName = (file: string): string => file.replace(/\.(txt|md)$/, '.pdf');

/** The seed letters drawn on one page size, read back through pdf.js and parsed. */
interface Rendering {
  pdfs: Map<string, LetterPdf>;
  texts: Map<string, string>;
  letters: Map<string, ParsedLetter>;
}

/** Draws every seed letter as a PDF, writes it to `dir`, reads it back and parses it. */
async function render(dir: string, pageSize?: [number, number]): Promise<Rendering> {
  mkdirSync(dir, { recursive: true });
  const rendering: Rendering = { pdfs: new Map(), texts: new Map(), letters: new Map() };
  for (const file of letterFiles) {
    // One letter has its bullets in the Symbol font, as Word sets them.
    const pdf = await makeLetterPdf(readLetter(file), {
      pageSize,
      symbolBullets: file.startsWith('001'),
    });
    writeFileSync(path.join(dir, pdfName(file)), pdf.bytes);
    const text = await pdfToText(new Uint8Array(readFileSync(path.join(dir, pdfName(file)))));
    rendering.pdfs.set(file, pdf);
    rendering.texts.set(file, text);
    rendering.letters.set(file, parseLetter(text, pdfName(file)));
  }
  return rendering;
}

/** How many of a letter's gold findings come out of its PDF in the same place and words. */
function matched(file: string, letter: ParsedLetter | undefined): number {
  const gold = goldFindings.filter((g) => g.source_file === file);
  return gold.filter((g, i) => {
    const f = letter?.findings[i];
    return (
      f !== undefined &&
      f.position === g.position &&
      f.section === g.section &&
      comparable(f.text) === comparable(g.text) &&
      f.previouslyIdentified === g.previously_identified
    );
  }).length;
}

// Page sizes that turn the page in other places of the same letters: A5, and A4's width with
// heights from a short page to a tall one, and A4's height with narrow to wide pages.
const PAGE_SIZES: [number, number][] = [
  A5,
  ...Array.from({ length: 10 }, (_, i): [number, number] => [595.28, 430 + i * 45]),
  ...Array.from({ length: 5 }, (_, i): [number, number] => [400 + i * 60, 700]),
];

let work: string;
let a4: Rendering;
let sizes: Rendering[];

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'pdf-ingest-'));
  a4 = await render(path.join(work, 'a4'));
  sizes = [];
  for (const [i, size] of PAGE_SIZES.entries())
    sizes.push(await render(path.join(work, `size-${i}`), size));
});

describe('the seed letters drawn as PDFs', () => {
  it('run over several pages, with list items and paragraphs split by page breaks', () => {
    for (const pdf of a4.pdfs.values()) expect(pdf.pages).toBeGreaterThan(1);
    const a4Splits = [...a4.pdfs.values()].flatMap((pdf) => pdf.splits);
    expect(a4Splits.filter((split) => split.bullet).length).toBeGreaterThanOrEqual(1);
    // Across the page sizes, a break also falls mid-sentence before a capital letter, where
    // only the layout can tell that the list item or paragraph goes on.
    const all = sizes.flatMap((r) => [...r.pdfs.values()].flatMap((pdf) => pdf.splits));
    const beforeCapital = all.filter(
      (split) => !/[.:;]$/.test(split.lastLineBefore) && /^[A-Z]/.test(split.firstLineAfter),
    );
    expect(beforeCapital.filter((split) => split.bullet).length).toBeGreaterThanOrEqual(1);
    expect(beforeCapital.filter((split) => !split.bullet).length).toBeGreaterThanOrEqual(1);
  });

  it('read back line by line without running headers or page numbers, a form feed per page turn', () => {
    for (const rendering of [a4, ...sizes]) {
      for (const [file, text] of rendering.texts) {
        const pdf = rendering.pdfs.get(file)!;
        const lines = text.split('\n');
        expect(lines.filter((l) => /^Page \d+ of \d+$/.test(l))).toEqual([]);
        expect(lines.filter((l) => l !== '' && l !== '\f')).toEqual(pdf.bodyLines);
        expect(lines.filter((l) => l === '\f')).toHaveLength(pdf.pages - 1);
      }
    }
  });

  it.each(goldLetters.map((g) => [g.source_file, g] as const))(
    '%s: the same metadata as the text letter',
    (file, gold) => {
      for (const rendering of [a4, ...sizes]) {
        const letter = rendering.letters.get(file)!;
        const m = letter.metadata;
        const counts = { strength: 0, satisfactory: 0, development: 0, priority_action: 0 };
        for (const f of letter.findings) counts[f.section] += 1;
        expect({
          document_kind: m.documentKind,
          council_name: m.councilName,
          letter_date: m.letterDate,
          inspection_start: m.inspectionStart,
          inspection_end: m.inspectionEnd,
          inspector: m.inspector,
          has_priority_actions: letter.findings.some((f) => f.section === 'priority_action'),
          counts,
        }).toEqual({
          document_kind: gold.document_kind,
          council_name: gold.council_name,
          letter_date: gold.letter_date,
          inspection_start: gold.inspection_start,
          inspection_end: gold.inspection_end,
          inspector: gold.inspector,
          has_priority_actions: gold.has_priority_actions,
          counts: gold.counts,
        });
      }
    },
  );

  it.each(letterFiles.map((f) => [f] as const))(
    '%s: every gold finding, in order, with its section, words and flag',
    (file) => {
      const expected = goldFindings
        .filter((g) => g.source_file === file)
        .map((g) => ({
          position: g.position,
          section: g.section,
          text: comparable(g.text),
          previouslyIdentified: g.previously_identified,
        }));
      for (const rendering of [a4, ...sizes]) {
        const actual = rendering.letters.get(file)!.findings.map((f) => ({
          position: f.position,
          section: f.section,
          text: comparable(f.text),
          previouslyIdentified: f.previouslyIdentified,
        }));
        expect(actual).toEqual(expected);
      }
    },
  );

  it('matches every gold finding from the PDFs, on A4 and on every page size', () => {
    const count = (rendering: Rendering): number =>
      letterFiles.reduce((n, f) => n + matched(f, rendering.letters.get(f)), 0);
    const a4Hits = count(a4);
    const sizeHits = sizes.reduce((n, r) => n + count(r), 0);
    console.log(`PDF (A4): ${a4Hits}/${goldFindings.length} gold findings matched`);
    console.log(
      `PDF (${sizes.length} other page sizes): ${sizeHits}/${sizes.length * goldFindings.length} gold findings matched`,
    );
    expect(a4Hits).toBe(goldFindings.length);
    expect(sizeHits).toBe(sizes.length * goldFindings.length);
  });
});

describe('PDFs that cannot be read', () => {
  it('rejects a scan: pages without a text layer', async () => {
    await expect(pdfToText(await makeScannedPdf())).rejects.toThrow(
      /^no text layer \(a scanned PDF\?\)$/,
    );
  });

  it('rejects a corrupt file, noise or cut short, with what pdf.js found', async () => {
    await expect(pdfToText(makeCorruptPdf())).rejects.toThrow(/^corrupt PDF: \S/);
    const whole = a4.pdfs.get(letterFiles[0]!)!.bytes;
    const cut = whole.slice(0, Math.floor(whole.length / 2));
    await expect(pdfToText(cut)).rejects.toThrow(/^corrupt PDF: \S/);
  });

  it('rejects a password-protected PDF that opens with its password', async () => {
    const locked = makeEncryptedPdf('hunter2', 'Annual unannounced inspection');
    await expect(pdfToText(locked)).rejects.toThrow(/^password-protected PDF$/);
    // The file is a valid encrypted PDF, not a corrupt one: with the password it reads.
    const doc = await getDocument({
      data: new Uint8Array(locked),
      password: 'hunter2',
      verbosity: 0,
    }).promise;
    const content = await (await doc.getPage(1)).getTextContent();
    expect(content.items.map((item) => ('str' in item ? item.str : '')).join('')).toBe(
      'Annual unannounced inspection',
    );
    await doc.destroy();
  });

  it('npm run ingest: writes the five PDF letters, rejects the three bad files, exits 1', async () => {
    const inputs = path.join(work, 'mixed');
    mkdirSync(inputs);
    for (const file of letterFiles)
      writeFileSync(path.join(inputs, pdfName(file)), a4.pdfs.get(file)!.bytes);
    writeFileSync(path.join(inputs, 'scanned.pdf'), await makeScannedPdf());
    writeFileSync(path.join(inputs, 'corrupt.pdf'), makeCorruptPdf());
    writeFileSync(path.join(inputs, 'locked.pdf'), makeEncryptedPdf('hunter2', 'Letter'));
    const out = path.join(work, 'mixed-out');
    const run = runIngest(['--out', out, inputs]);
    expect(run.status).toBe(1);
    const rejected = JSON.parse(readFileSync(path.join(out, 'rejected.json'), 'utf8')) as {
      file: string;
      reason: string;
    }[];
    expect(rejected.map((r) => r.file)).toEqual(['corrupt.pdf', 'locked.pdf', 'scanned.pdf']);
    expect(rejected.find((r) => r.file === 'scanned.pdf')?.reason).toBe(
      'no text layer (a scanned PDF?)',
    );
    expect(rejected.find((r) => r.file === 'corrupt.pdf')?.reason).toMatch(/^corrupt PDF: \S/);
    expect(rejected.find((r) => r.file === 'locked.pdf')?.reason).toBe('password-protected PDF');
    for (const r of rejected) expect(run.stderr).toContain(`rejected: ${r.file}: ${r.reason}`);
    expect(run.stderr).toMatch(/5 letters, 97 findings/);
    const db = await DuckDBInstance.create(':memory:');
    const connection = await db.connect();
    const reader = await connection.runAndReadAll(
      `SELECT source_file FROM read_parquet('${path.join(out, 'letters.parquet')}') ORDER BY 1`,
    );
    expect(reader.getRowObjects().map((r) => r.source_file)).toEqual(letterFiles.map(pdfName));
    connection.closeSync();
    db.closeSync();
  });
});
