import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FindingRow, LetterRow } from '@/core/schema';
import {
  blockText,
  findingText,
  letterBlocks,
  type LetterBlock,
  type LetterLayout,
} from '@/features/letter/letter-blocks';
import { ROOT } from '../helpers/gold';
import { readRows } from '../support/parquet-fixture';

/**
 * The letter view's text → blocks transformation on real letters: the bundled seeds and the
 * labelled letters in ../shared/letters-more (each folder of shapes: text as converters give it,
 * markdown, HTML, Word, PDFs), each ingested by the CLI into a temporary folder.
 */
const MORE = path.resolve(ROOT, '../shared/letters-more');
const SOURCES: { name: string; dir: string }[] = [
  { name: 'seeds', dir: path.join(ROOT, 'data/letters') },
  ...['files', 'variants/html', 'variants/docx', 'variants/pdf-chromium'].map((sub) => ({
    name: `letters-more/${sub}`,
    dir: path.join(MORE, sub),
  })),
].filter((source) => existsSync(source.dir));

interface Ingested {
  name: string;
  letters: LetterRow[];
  findings: FindingRow[];
}

const run = promisify(execFile);
const made: string[] = [];
const ingested: Ingested[] = [];

beforeAll(async () => {
  await Promise.all(
    SOURCES.map(async (source) => {
      const out = mkdtempSync(path.join(tmpdir(), 'letter-blocks-'));
      made.push(out);
      await run(
        process.execPath,
        [
          path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'),
          path.join(ROOT, 'scripts/ingest.ts'),
          '--out',
          out,
          source.dir,
        ],
        { cwd: ROOT, timeout: 150_000 },
      );
      ingested.push({
        name: source.name,
        letters: await readRows<LetterRow>(out, 'letters'),
        findings: await readRows<FindingRow>(out, 'findings'),
      });
    }),
  );
  ingested.sort((a, b) => a.name.localeCompare(b.name));
});

afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** Every letter ingested, with its findings in order and its layout. */
function everyLetter(): { label: string; findings: FindingRow[]; layout: LetterLayout }[] {
  return ingested.flatMap(({ name, letters, findings }) =>
    letters.map((letter) => {
      const own = findings
        .filter((f) => f.letter_id === letter.letter_id)
        .sort((a, b) => a.position - b.position);
      return {
        label: `${name}: ${letter.source_file}`,
        findings: own,
        layout: letterBlocks(letter.source_text, own),
      };
    }),
  );
}

/** Converter markup that must never reach the page. */
const MARKUP: [string, RegExp][] = [
  ['a markdown heading mark', /#/],
  ['bold markup', /\*\*|__/],
  ['an HTML tag', /<\/?[a-z][^>]*>/i],
  ['an HTML entity', /&(nbsp|amp|rsquo|apos|#39);/],
  ['a form feed', /\f/],
  ['a table pipe', /\|/],
  ['a Symbol-font bullet', /[\uF0B7\uF0A7]/],
];

/** A list mark left at the start of a block's text. */
const LIST_MARK = /^([-*+•▪●◦■–—]|\d{1,2}[.)])\s/;

const text = (block: LetterBlock) => blockText(block);

describe('letterBlocks on every seed letter and every letters-more letter', () => {
  it('ingests every folder it reads', () => {
    expect(ingested.map((i) => i.name)).toEqual(SOURCES.map((s) => s.name).sort());
    expect(ingested.find((i) => i.name === 'seeds')?.letters.length).toBeGreaterThanOrEqual(5);
    for (const { name, letters } of ingested) expect(letters.length, name).toBeGreaterThan(0);
  });

  it('shows no converter markup and no list marks', () => {
    for (const { label, layout } of everyLetter()) {
      const shown = layout.blocks.map(text);
      for (const [what, re] of MARKUP) {
        const hit = shown.find((t) => re.test(t));
        expect(hit, `${label}: ${what} in “${hit}”`).toBeUndefined();
      }
      const marked = shown.find((t) => LIST_MARK.test(t));
      expect(marked, `${label}: a list mark in “${marked}”`).toBeUndefined();
    }
  });

  it('marks every finding once, in one block, with its text intact', () => {
    for (const { label, findings, layout } of everyLetter()) {
      expect(layout.unplaced, label).toEqual([]);
      findings.forEach((finding, i) => {
        expect(findingText(layout, i), `${label} finding ${finding.position}`).toBe(finding.text);
        const holding = layout.blocks.filter(
          (b) => b.kind !== 'page' && b.runs.some((run) => run.finding === i),
        );
        expect(holding, `${label} finding ${finding.position}`).toHaveLength(1);
        const runs = holding[0]!.kind === 'page' ? [] : holding[0]!.runs;
        // One run per finding: its text is marked once, not in pieces.
        expect(runs.filter((run) => run.finding === i)).toHaveLength(1);
        // A finding never sits in a heading.
        expect(holding[0]!.kind, `${label} finding ${finding.position}`).not.toBe('heading');
      });
    }
  });

  it('lays every letter out as headings, paragraphs and lists, in source order', () => {
    for (const { label, findings, layout } of everyLetter()) {
      const kinds = new Set(layout.blocks.map((b) => b.kind));
      expect(kinds.has('paragraph'), label).toBe(true);
      expect(kinds.has('heading'), label).toBe(true);
      const starts = layout.blocks.map((b) => b.start);
      expect(starts, label).toEqual([...starts].sort((a, b) => a - b));
      // Pages count up from 2, one marker per turn.
      const pages = layout.blocks.flatMap((b) => (b.kind === 'page' ? [b.page] : []));
      expect(pages, label).toEqual(pages.map((_, i) => i + 2));
      if (findings.length > 0)
        expect(
          layout.blocks.some((b) => b.kind !== 'page'),
          label,
        ).toBe(true);
    }
  });

  it('reads the section headings and the title as headings', () => {
    const leeds = everyLetter().find(
      (l) => l.label === 'letters-more/files: ucra_leeds_2010-08.md',
    );
    expect(leeds).toBeDefined();
    const headings = leeds!.layout.blocks.filter((b) => b.kind === 'heading').map(text);
    expect(headings).toEqual([
      "Annual unannounced inspection of contact, referral and assessment arrangements within Leeds City Council children's services",
      'Strengths',
      'The service meets the requirements of statutory guidance in the following areas',
      'Areas for development',
    ]);
  });
});

describe('letterBlocks on markup a converter may leave', () => {
  it('takes markdown headings, bold, list marks, tags and entities out, keeping bold as bold', () => {
    const source = [
      '#### **Areas for development**',
      '',
      '- The **quality** of assessments &amp; plans is <b>variable</b>.',
      '* Second item.',
      '1. A numbered item.',
      '',
      'Tel **Direct T** 0161 618 8277',
    ].join('\n');
    const start = source.indexOf('The **quality**');
    const end = source.indexOf('variable</b>.') + 'variable</b>.'.length;
    const layout = letterBlocks(source, [{ char_start: start, char_end: end }]);
    expect(layout.blocks.map((b) => [b.kind, text(b)])).toEqual([
      ['heading', 'Areas for development'],
      ['item', 'The quality of assessments & plans is variable .'],
      ['item', 'Second item.'],
      ['item', 'A numbered item.'],
      ['paragraph', 'Tel Direct T 0161 618 8277'],
    ]);
    expect(findingText(layout, 0)).toBe('The quality of assessments & plans is variable .');
    const item = layout.blocks[1]!;
    expect(item.kind === 'item' && item.runs[0]!.parts.filter((p) => p.strong)).toEqual([
      { text: 'quality', strong: true },
    ]);
    const numbered = layout.blocks[3]!;
    expect(numbered.kind === 'item' && [numbered.list, numbered.marker]).toEqual(['number', '1']);
  });

  it('turns form feeds and “Page N of M” footers into one page marker each', () => {
    const source =
      'First page text.\n\nPage 1 of 3\n\n\f\nSecond page text.\n\f\nThird page text.\n\f\n';
    const layout = letterBlocks(source, []);
    expect(layout.blocks.map((b) => [b.kind, text(b)])).toEqual([
      ['paragraph', 'First page text.'],
      ['page', 'page 2'],
      ['paragraph', 'Second page text.'],
      ['page', 'page 3'],
      ['paragraph', 'Third page text.'],
    ]);
  });

  it('keeps a finding cut by a page break whole, the page turn after it', () => {
    const source = [
      'Areas for development',
      '',
      '- Too many assessments describe the family without',
      '',
      'Page 1 of 2',
      '\f',
      'analysing the risks to the child.',
      '- Next finding.',
    ].join('\n');
    const start = source.indexOf('Too many');
    const end = source.indexOf('child.') + 'child.'.length;
    const layout = letterBlocks(source, [{ char_start: start, char_end: end }]);
    expect(findingText(layout, 0)).toBe(
      'Too many assessments describe the family without analysing the risks to the child.',
    );
    expect(layout.blocks.map((b) => b.kind)).toEqual(['heading', 'item', 'page', 'item']);
  });

  it('joins hard-wrapped lines, mending a word split at a hyphen, and keeps an address’s lines', () => {
    const source = [
      'Ms Anne Lacey',
      'Strategic Director',
      'Flockton House',
      '',
      'The council works well with multi-',
      'agency partners and the police.',
    ].join('\n');
    const layout = letterBlocks(source, []);
    const [address, paragraph] = layout.blocks;
    expect(
      address?.kind === 'paragraph' && address.runs[0]!.parts.filter((p) => p.br),
    ).toHaveLength(2);
    expect(paragraph && text(paragraph)).toBe(
      'The council works well with multi-agency partners and the police.',
    );
  });

  it('shows a table’s cells apart, without pipes or the rule under its head', () => {
    const source = '| Ofsted | 29 July 2009 |\n|---|---|\n| Alexandra House | London |';
    const layout = letterBlocks(source, []);
    const shown = layout.blocks.map(text).join(' / ');
    expect(shown).not.toMatch(/\||-{3}/);
    expect(shown).toContain('Ofsted 29 July 2009');
    const parts = layout.blocks.flatMap((b) => (b.kind === 'page' ? [] : b.runs[0]!.parts));
    expect(parts.some((p) => p.sep)).toBe(true);
  });

  it('leaves spans out of range or overlapping an earlier one unplaced, and marks the rest', () => {
    const source = 'Strengths\n\n- One finding.\n- Two finding.';
    const one = source.indexOf('One');
    const two = source.indexOf('Two');
    const layout = letterBlocks(source, [
      { char_start: one, char_end: one + 'One finding.'.length },
      { char_start: one + 2, char_end: two },
      { char_start: two, char_end: source.length + 5 },
      { char_start: two, char_end: two + 'Two finding.'.length },
    ]);
    expect(layout.unplaced).toEqual([1, 2]);
    expect(findingText(layout, 0)).toBe('One finding.');
    expect(findingText(layout, 3)).toBe('Two finding.');
  });
});
