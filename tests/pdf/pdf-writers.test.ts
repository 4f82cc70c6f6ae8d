import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { pdfToText } from '../../scripts/lib/read-pdf';
import { type ParsedLetter, parseLetter } from '@/core/pipeline/parse-letter';
import { ROOT } from '../helpers/gold';

// PDFs made by real writers, read as the ingest reads them:
// - the sets of tests/fixtures/formats/manifest.json that hold PDFs (each entry says how it was
//   made: LibreOffice 7.4 converting the letters-more Word files and the seed letters, Chromium
//   printing the seed letters' web-archive pages) and the shared ones it lists
//   (../shared/letters-more/variants/pdf-chromium: Chromium-printed archive pages;
//   ../shared/letters-more/files: two LibreOffice PDFs of Word letters with a letterhead table);
// - tests/pdf/fixtures (see make-fixtures.ts there): Chromium and LibreOffice printing the Leeds
//   2009 letter with a letterhead in two columns that share baselines, a running header and a
//   page-number footer, and Chromium printing it with unmarked, unspaced, justified list items.
// Expectations come from the hand-labelled gold beside each set, never from the layout.

interface GoldLetter {
  source_file: string;
  document_kind: string;
  council_name: string;
  letter_date: string | null;
  inspector: string | null;
}
interface GoldFinding {
  source_file: string;
  section: string;
  position: number;
  text: string;
}

/** A gold folder's letters and findings. */
function readGold(dir: string): { letters: GoldLetter[]; findings: GoldFinding[] } {
  const read = <T>(name: string): T[] =>
    readFileSync(path.resolve(ROOT, dir, name), 'utf8')
      .split('\n')
      .filter((line) => line.trim().length > 0)
      .map((line) => JSON.parse(line) as T);
  return { letters: read('letters.jsonl'), findings: read('findings.jsonl') };
}

const stem = (file: string): string => path.basename(file).replace(/\.[a-z0-9]+$/i, '');
/** Words only: what two renderings of one text share whatever their quotes, dashes and breaks. */
const words = (text: string): string[] =>
  text
    .toLowerCase()
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[^a-z0-9']+/g, ' ')
    .trim()
    .split(' ')
    .filter(Boolean);

interface PdfSet {
  name: string;
  files: string[];
  gold: string;
}

interface ManifestEntry {
  dir: string;
  path: string;
  gold: string;
  files: string[];
}

const manifest = JSON.parse(
  readFileSync(path.join(ROOT, 'tests/fixtures/formats/manifest.json'), 'utf8'),
) as ManifestEntry[];
const SETS: PdfSet[] = manifest
  .map((entry) => ({
    name: entry.dir,
    files: entry.files
      .filter((f) => f.endsWith('.pdf'))
      .map((f) => path.resolve(ROOT, entry.path, f)),
    gold: entry.gold,
  }))
  .filter((set) => set.files.length > 0);

/** One PDF read: its text, its page count, the letter parsed from it and its gold. */
interface Reading {
  file: string;
  text: string;
  pages: number;
  letter: ParsedLetter;
  gold: GoldLetter;
  findings: GoldFinding[];
}

async function readPdf(file: string, goldDir: string, as = file): Promise<Reading> {
  const bytes = new Uint8Array(readFileSync(file));
  const doc = await getDocument({ data: new Uint8Array(bytes), verbosity: 0 }).promise;
  const pages = doc.numPages;
  await doc.destroy();
  const text = await pdfToText(bytes);
  const gold = readGold(goldDir);
  const letter = gold.letters.find((l) => stem(l.source_file) === stem(as));
  if (!letter) throw new Error(`no gold letter for ${as} in ${goldDir}`);
  return {
    file,
    text,
    pages,
    letter: parseLetter(text, path.basename(as)),
    gold: letter,
    findings: gold.findings.filter((f) => f.source_file === letter.source_file),
  };
}

/** The gold date as a letter prints it: "12 August 2009". */
function printedDate(iso: string): string {
  const date = new Date(`${iso}T00:00:00Z`);
  const month = date.toLocaleString('en-GB', { month: 'long', timeZone: 'UTC' });
  return `${date.getUTCDate()} ${month} ${date.getUTCFullYear()}`;
}

/**
 * Gold findings that do not begin at the start of a paragraph or list item and end at the end of
 * one: a finding glued to the text before or after it (bullets run together, a list read as one
 * paragraph, a letterhead line in front). A finding may span several blocks (a page break, a
 * list of sub-items), never share one.
 */
function misplacedFindings(text: string, findings: readonly GoldFinding[]): string[] {
  const tokens: string[] = [];
  const starts = new Set<number>();
  for (const block of text.split(/\n\s*\n|\f/)) {
    const content = block.replace(/^\s*•\s*/, '');
    const blockWords = words(content);
    if (blockWords.length === 0) continue;
    starts.add(tokens.length);
    tokens.push(...blockWords);
  }
  starts.add(tokens.length);
  const problems: string[] = [];
  for (const finding of findings) {
    const target = words(finding.text);
    let placed = false;
    for (const start of starts) {
      if (target.every((w, i) => tokens[start + i] === w) && starts.has(start + target.length)) {
        placed = true;
        break;
      }
    }
    if (!placed) problems.push(`#${finding.position} ${finding.text.slice(0, 60)}`);
  }
  return problems;
}

/** The gold findings the parsed letter has, in the same section and words. */
function matched(reading: Reading): GoldFinding[] {
  const found = reading.letter.findings.map((f) => ({
    section: f.section,
    text: words(f.text).join(' '),
  }));
  return reading.findings.filter((g) => {
    const text = words(g.text).join(' ');
    const at = found.findIndex((f) => f.section === g.section && f.text === text);
    if (at >= 0) found.splice(at, 1);
    return at >= 0;
  });
}

const readings = new Map<string, Reading[]>();

beforeAll(async () => {
  for (const set of SETS)
    readings.set(set.name, await Promise.all(set.files.map((file) => readPdf(file, set.gold))));
}, 120_000);

describe('PDFs from real writers, against their gold', () => {
  it('covers LibreOffice and Chromium PDFs of the seeds and of letters-more', () => {
    const names = SETS.map((s) => s.name);
    for (const name of ['lo-pdf', 'seeds-chromium-pdf', 'seeds-lo-pdf'])
      expect(names).toContain(name);
    expect(SETS.reduce((n, s) => n + s.files.length, 0)).toBeGreaterThanOrEqual(24);
  });

  it.each(SETS.map((s) => [s.name] as const))(
    '%s: a form feed per page turn, and the letter date on a line of its own',
    (name) => {
      for (const r of readings.get(name)!) {
        const lines = r.text.split('\n');
        expect(lines.filter((l) => l === '\f').length, r.file).toBe(r.pages - 1);
        if (r.gold.letter_date) expect(lines, r.file).toContain(printedDate(r.gold.letter_date));
      }
    },
  );

  it.each(SETS.map((s) => [s.name] as const))(
    '%s: every finding of a letter is its own paragraphs or list items',
    (name) => {
      for (const r of readings.get(name)!) {
        // A council's report quotes findings inside its numbered paragraphs.
        if (r.gold.document_kind !== 'ofsted_letter') continue;
        expect(misplacedFindings(r.text, r.findings), r.file).toEqual([]);
      }
    },
  );

  it.each(SETS.map((s) => [s.name] as const))(
    '%s: at least 97% of gold findings in their section, and the metadata',
    (name) => {
      const all = readings.get(name)!;
      const total = all.reduce((n, r) => n + r.findings.length, 0);
      const hits = all.reduce((n, r) => n + matched(r).length, 0);
      expect(hits / total, `${hits}/${total}`).toBeGreaterThanOrEqual(0.97);
      for (const r of all)
        expect(
          {
            kind: r.letter.metadata.documentKind,
            council: r.letter.metadata.councilName,
            date: r.letter.metadata.letterDate,
            inspector: r.letter.metadata.inspector,
          },
          r.file,
        ).toEqual({
          kind: r.gold.document_kind,
          council: r.gold.council_name,
          date: r.gold.letter_date,
          inspector: r.gold.inspector,
        });
    },
  );
});

describe('the Leeds 2009 letter printed with a letterhead in two columns', () => {
  const fixture = (name: string): string => path.join(ROOT, 'tests/pdf/fixtures', name);
  const GOLD = '../shared/letters-more/variants/gold';
  const address = [
    'Mr Richard Ashdown',
    'Director of Children’s Services',
    'Leeds City Council',
    'Merrion House',
    '110 Merrion Centre',
    'Leeds',
    'LS2 8DT',
  ];
  const ofsted = [
    'Royal Exchange Buildings',
    'St Ann’s Square',
    'Manchester',
    'M2 7LA',
    'T 08456 404040',
    'Direct T 0161 618 8524',
    'Direct F 0161 618 8514',
    'enquiries@ofsted.gov.uk',
    'www.ofsted.gov.uk',
  ];

  it.each([['chromium-letterhead.pdf'], ['lo-letterhead.pdf']])(
    '%s: the date alone, each column whole and in order, then the letter',
    async (name) => {
      const r = await readPdf(fixture(name), GOLD, 'ucra_leeds_2009-08.pdf');
      const blocks = r.text.split(/\n\s*\n|\f/).map((b) => b.split('\n').filter(Boolean));
      expect(blocks[0]).toEqual(['12 August 2009']);
      expect(blocks[1]).toEqual(address);
      // Ofsted's column follows, in one paragraph or several, and nothing else is among it.
      const next = blocks.findIndex((b) => b.includes('Dear Mr Ashdown'));
      expect(blocks.slice(2, next).flat()).toEqual(ofsted);
      expect(r.text).not.toMatch(/Ofsted reference|Page \d+ of \d+/);
      expect(matched(r).length).toBe(r.findings.length);
      expect(r.letter.findings).toHaveLength(r.findings.length);
      expect(r.letter.metadata.letterDate).toBe('2009-08-12');
    },
  );

  it('chromium-plain-lists.pdf: list items with no marker or space apart are "•" items, each finding whole', async () => {
    const r = await readPdf(fixture('chromium-plain-lists.pdf'), GOLD, 'ucra_leeds_2009-08.pdf');
    expect(misplacedFindings(r.text, r.findings)).toEqual([]);
    // The source page has 17 list items (3 of them inside a priority action).
    expect(r.text.split('\n').filter((l) => l.startsWith('• '))).toHaveLength(17);
    expect(matched(r).length).toBe(r.findings.length);
    expect(r.letter.findings).toHaveLength(r.findings.length);
  });
});

describe('the shared sets are where the manifest says', () => {
  it('lists files that exist', () => {
    for (const set of SETS)
      for (const file of set.files)
        expect(readdirSync(path.dirname(file))).toContain(path.basename(file));
  });
});
