import { describe, expect, it } from 'vitest';
import { parseLetter } from '@/core/pipeline/parse-letter';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { comparable, goldFindings, letterFiles, readLetter, ROOT } from '../helpers/gold';
import { SHARED } from '../helpers/score-letters';
import { hardWrap, ROMAN } from '../helpers/rewrite';

/** A rewrite of a seed letter that a different export tool or council might have produced. */
type Variant = (text: string, file: string) => string;

const BULLET_LINE = /^(\s*(?:<[^>]+>)*\s*)(?:[-•▪·●–*]|\uF0B7)\s+/gm;

/** Replaces every bullet glyph with another. */
const withBullet =
  (glyph: string): Variant =>
  (text) =>
    text.replace(BULLET_LINE, `$1${glyph} `);

/** Hard-wraps every long line at a width, as text exported from a PDF is. */
const hardWrapAt =
  (width: number): Variant =>
  (text) =>
    hardWrap(text, width);

/** Applies a function to every section heading line. */
function mapHeadings(fn: (heading: string) => string): Variant {
  return (text) =>
    text.replace(
      /^(?:[#* ]*)(Strengths|Satisfactory practice|Areas for development|Areas for priority action|The service meets the requirements of statutory guidance in the following areas)(?:[* ]*)$/gim,
      (_m, heading: string) => fn(heading),
    );
}

/** Breaks a page in the middle of the second bullet of each list, with a footer and header. */
const pageBreakMidBullet: Variant = (text) => {
  let page = 1;
  return text.replace(
    /^((?:[-•▪·]|\uF0B7) (?:\S+ ){6})(\S+ )/gm,
    (_m, head: string, word: string) => {
      page += 1;
      return `${head}${word.trimEnd()}\n\nPage ${page} of 9\n\f\nAnnual unannounced inspection of contact, referral and assessment arrangements\n\n${page}\n\n`;
    },
  );
};

const VARIANTS: Record<string, Variant> = {
  'CRLF line endings': (t) => t.replace(/\n/g, '\r\n'),
  'old Mac CR line endings': (t) => t.replace(/\n/g, '\r'),
  'non-breaking spaces': (t) =>
    t.replace(/ (?=\w)/g, (s, i: number) => (i % 3 === 0 ? '\u00A0' : s)),
  'curly quotes': (t) => t.replace(/'/g, '\u2019'),
  'straight quotes': (t) => t.replace(/[\u2018\u2019]/g, "'"),
  'bullets •': withBullet('•'),
  'bullets ▪': withBullet('▪'),
  'bullets ·': withBullet('·'),
  'bullets *': withBullet('*'),
  'bullets ●': withBullet('●'),
  'bullets –': withBullet('–'),
  'bullets o': withBullet('o'),
  'bullets U+F0B7': withBullet('\uF0B7'),
  'bullets as <li> tags': (t) =>
    t.replace(BULLET_LINE, '$1<li>').replace(/<li>(.*)$/gm, '<li>$1</li>'),
  'hard-wrapped at 72 columns': hardWrapAt(72),
  'hard-wrapped at 50 columns': hardWrapAt(50),
  'headings in capitals': mapHeadings((h) => h.toUpperCase()),
  'headings with a colon': mapHeadings((h) => `${h}:`),
  'headings in bold markdown': mapHeadings((h) => `**${h}**`),
  'headings as markdown h3 in lower case': mapHeadings((h) => `### ${h.toLowerCase()}`),
  'headings in HTML': mapHeadings((h) => `<h2>${h}</h2>`),
  'page breaks in mid-bullet with furniture': pageBreakMidBullet,
  'form feeds where the pages broke': (t) => t.replace(/\n{4,}/g, '\n\f'),
  'tabs for indentation and trailing spaces': (t) =>
    t.replace(/^(- )/gm, '\t$1').replace(/\n/g, '  \n'),
  'a byte-order mark': (t) => `\uFEFF${t}`,
  'bullets without glyphs or blank lines between them': (t) =>
    t.replace(BULLET_LINE, '$1').replace(/\n\n+(?=[A-Z][^\n]{40,})/g, '\n'),
  'a running header that appears once, on the second page': (t) =>
    t.replace(/\n\n(?=[-•▪·] [^\n]*\n\n[-•▪·] )/, '\n\nNorth Yorkshire County Council\n\n'),
  'a Word export that keeps the U+F0B7 glyph in the Symbol font with a tab': (t) =>
    t.replace(BULLET_LINE, '$1\uF0B7\t'),
  'items numbered in roman numerals, i) to xx), through the letter': (t) => {
    let i = 0;
    return t.replace(BULLET_LINE, (_m, lead: string) => `${lead}${ROMAN[i++ % ROMAN.length]}) `);
  },
  'items numbered 1. to 21. through the letter, beside a report numbering its own parts': (t) => {
    let i = 0;
    return t.replace(BULLET_LINE, (_m, lead: string) => `${lead}${++i}. `);
  },
  'bullets ➢': withBullet('➢'),
  'bullets ✓': withBullet('✓'),
  'bullets ■': withBullet('■'),
  'bullets ○': withBullet('○'),
  'bullets >': withBullet('>'),
  'the bullet glyph alone on its line': (t) => t.replace(BULLET_LINE, '$1•\n'),
  'headings ending in a full stop': mapHeadings((h) => `${h}.`),
  'headings underlined with dashes': mapHeadings((h) => `${h}\n${'-'.repeat(h.length)}`),
  'headings numbered': (() => {
    let i = 0;
    return mapHeadings((h) => `${++i}. ${h}`);
  })(),
  'headings in title case': mapHeadings((h) => h.replace(/\b\w/g, (c) => c.toUpperCase())),
  'every line double-spaced': (t) => t.replace(/\n/g, '\n\n'),
  'every line indented by four spaces': (t) => t.replace(/^/gm, '    '),
};

describe.each(Object.entries(VARIANTS))('variant: %s', (_name, variant) => {
  it.each(letterFiles)('%s gives the gold findings', (file) => {
    const letter = parseLetter(variant(readLetter(file), file), file);
    const expected = goldFindings
      .filter((g) => g.source_file === file)
      .map((g) => [g.section, comparable(g.text), g.previously_identified]);
    expect(
      letter.findings.map((f) => [f.section, comparable(f.text), f.previouslyIdentified]),
    ).toEqual(expected);
    for (const f of letter.findings) {
      expect(f.text).not.toMatch(/Page \d+ of|Annual unannounced|[•▪●\uF0B7]|<\/?\w+>|\*\*/);
    }
  });
});

describe('sections in another order', () => {
  it('finds the same findings when the lists are swapped round', () => {
    const file = '001_01074a0f891bb9e6.txt';
    const text = readLetter(file);
    const strengthsAt = text.indexOf('Strengths\n');
    const satisfactoryAt = text.indexOf('Satisfactory practice\n');
    const developmentAt = text.indexOf('Areas for development\n');
    const swapped =
      text.slice(0, strengthsAt) +
      text.slice(developmentAt, text.indexOf('Any areas for development')) +
      '\n' +
      text.slice(satisfactoryAt, developmentAt) +
      text.slice(strengthsAt, satisfactoryAt) +
      text.slice(text.indexOf('Any areas for development'));
    const letter = parseLetter(swapped, file);
    const key = (s: string, t: string) => `${s}|${comparable(t)}`;
    expect(letter.findings.map((f) => key(f.section, f.text)).sort()).toEqual(
      goldFindings
        .filter((g) => g.source_file === file)
        .map((g) => key(g.section, g.text))
        .sort(),
    );
    expect(letter.findings[0]?.section).toBe('development');
  });
});

describe('the council report', () => {
  it('reads findings from 2.1 to 2.5 and none from its own response', () => {
    const file = '003_ac4adaa95d9c2761.txt';
    const letter = parseLetter(readLetter(file), file);
    expect(
      letter.findings.some((f) => /followed up|Capita|Expert Panel|training strategy/.test(f.text)),
    ).toBe(false);
    expect(letter.metadata.documentKind).toBe('council_report');
  });
});

describe('sections that hold no findings', () => {
  it('reads "None" and "no areas for priority action" under a heading as no finding', () => {
    const text = [
      'Annual unannounced inspection of contact, referral and assessment arrangements within Bristol City Council children’s services',
      '',
      'This letter summarises the findings of the inspection which was conducted on 30 June and 1 July 2009.',
      '',
      'Strengths',
      '',
      'None.',
      '',
      'Areas for development',
      '',
      '• Too few core assessments are completed.',
      '',
      'Areas for priority action',
      '',
      'There were no areas for priority action identified.',
      '',
      'Yours sincerely',
    ].join('\n');
    const letter = parseLetter(text, 'bristol.txt');
    expect(letter.metadata.councilName).toBe('Bristol');
    expect(letter.metadata.council?.dfe_la_code).toBe('801');
    expect(letter.findings.map((f) => [f.section, f.text])).toEqual([
      ['development', 'Too few core assessments are completed.'],
    ]);
  });
});

describe('headings that are sentences', () => {
  it('opens a section from a lead-in that names it and ignores one naming several', () => {
    const text = [
      'Annual unannounced inspection of contact, referral and assessment arrangements within Leeds City Council children’s services',
      '',
      'The inspection was conducted on 3 and 4 March 2010.',
      '',
      'From the evidence gathered, the following strengths and areas for development were identified:',
      '',
      'The inspectors found the following areas for development:',
      '- Too few core assessments are completed.',
      '- Case recording is not up to date.',
      '',
      'Areas where practice met requirements in accordance with national guidance:',
      '- Children are seen alone.',
      '',
      'Yours sincerely',
      '',
      'Jane Smith',
    ].join('\n');
    const letter = parseLetter(text, 'leeds.txt');
    expect(letter.metadata.councilName).toBe('Leeds');
    expect(letter.findings.map((f) => [f.section, f.text])).toEqual([
      ['development', 'Too few core assessments are completed.'],
      ['development', 'Case recording is not up to date.'],
      ['satisfactory', 'Children are seen alone.'],
    ]);
  });
});

describe('the council, when the title does not name it in the usual way', () => {
  it('reads it from the letter body, not from the Ofsted address in the letterhead', () => {
    const text = [
      'Ofsted, Piccadilly Gate, Store Street, Manchester M1 2WD',
      '',
      '10 June 2010',
      '',
      'Dear Mr Jones',
      '',
      'Unannounced inspection of contact, referral and assessment',
      '',
      'Inspectors visited Wirral Council children’s social care on 11 and 12 May 2010. Wirral has improved.',
      '',
      'Areas for development',
      '',
      '- Case recording is not always up to date.',
      '',
      'Yours sincerely',
      '',
      '[signature]',
      'Jane Smith HMI',
    ].join('\n');
    const letter = parseLetter(text, 'wirral.txt');
    expect(letter.metadata.councilName).toBe('Wirral');
    expect(letter.metadata.inspector).toBe('Jane Smith');
  });

  it('reads a London borough by its name, not as the City of London', () => {
    const text = readLetter('001_01074a0f891bb9e6.txt')
      .replace('within North Somerset children', 'within the London Borough of Barnet children')
      .replaceAll('North Somerset', 'Barnet');
    expect(parseLetter(text, 'barnet.txt').metadata.councilName).toBe('Barnet');
  });
});

/** letters-more's text letters: hard-wrapped, laid out and council-report shapes the seeds lack. */
const MORE_TEXT = [
  'ucra_bradford_2009-09.txt',
  'ucra_doncaster_2010-02.txt',
  'ucra_warrington_2009-06.txt',
  'ucra_leeds_2010-08.md',
];
const MORE_BULLET = /^(\s*)(?:[-•▪·●–*]|\uF0B7)(\s+)/gm;
const MORE_HEADING =
  /^(\s*(?:[#* ]*))(Strengths|Satisfactory practice|Areas for development|Areas for priority action)(?:[:* ]*)$/gim;
const MORE_VARIANTS: Record<string, Variant> = {
  'as given': (t) => t,
  'every line followed by an empty line (double spacing of hard-wrapped text)': (t) =>
    t.replace(/\n/g, '\n\n'),
  'items numbered 1. onwards (in a report that numbers its own parts too)': (t) => {
    let i = 0;
    return t.replace(MORE_BULLET, (_m, lead: string, gap: string) => `${lead}${++i}.${gap}`);
  },
  'headings ending in a full stop, after a lead-in with a colon': (t) =>
    t.replace(MORE_HEADING, (_m, lead: string, h: string) => `${lead}${h}.`),
};
const moreGold = readFileSync(path.join(ROOT, 'tests/fixtures/gold-more/findings.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as { source_file: string; section: string; text: string });

describe.each(Object.entries(MORE_VARIANTS))('letters-more text variant: %s', (_name, variant) => {
  it.each(MORE_TEXT)('%s gives the gold findings', (file) => {
    const text = readFileSync(path.join(SHARED, 'letters-more/files', file), 'utf8');
    const letter = parseLetter(variant(text, file), file);
    expect(letter.findings.map((f) => [f.section, comparable(f.text)])).toEqual(
      moreGold.filter((g) => g.source_file === file).map((g) => [g.section, comparable(g.text)]),
    );
  });
});
