import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLetterFile, parseLetterText } from '@/core/parse-letter-file';
import { checkLetter, LETTER_LIMITS } from '@/core/pipeline/check-letter';
import { findSections, type SectionHeading } from '@/core/pipeline/find-sections';
import { normaliseText } from '@/core/pipeline/normalise-text';
import { parseLetter } from '@/core/pipeline/parse-letter';
import { pdfToText } from '../../scripts/lib/read-pdf';
import { ROOT, readLetter } from '../helpers/gold';

// The labelled letters: the five seeds and the seven of letters-more, in the formats they came
// in (text, markdown, pdftotext output, a LibreOffice PDF, a web-archive page, a council report).
const SHARED = path.resolve(ROOT, '../shared');
const LABELLED = [
  ...readdirSync(path.join(SHARED, 'seeds')).map((f) => path.join(SHARED, 'seeds', f)),
  ...readdirSync(path.join(SHARED, 'letters-more/files')).map((f) =>
    path.join(SHARED, 'letters-more/files', f),
  ),
].sort();

const NORTH_YORKSHIRE = '000_488baf585f532fcc.txt';
const NORTH_SOMERSET = '001_01074a0f891bb9e6.txt';

/** A seed letter with `edit` applied, parsed as the CLI and the page parse it. */
function edited(file: string, edit: (text: string) => string) {
  const text = readLetter(file);
  const changed = edit(text);
  expect(changed, 'the edit changed nothing').not.toBe(text);
  return parseLetterText(changed, `broken-${file}`);
}

/** The warnings of a letter that must still be read. */
function warningsOf(result: ReturnType<typeof parseLetterText>): string[] {
  if (!result.ok) throw new Error(`rejected: ${result.reason}`);
  return result.warnings;
}

/** North Somerset's letter cut to its head, the given sections and its sign-off. */
function northSomersetWith(sections: string): string {
  const text = readLetter(NORTH_SOMERSET);
  const head = text.slice(0, text.indexOf('Strengths'));
  return `${head}${sections}\n\nYours sincerely\n\nKaren McKeown\nHer Majesty's Inspector\n`;
}

describe('checkLetter on letters read right', () => {
  it('finds nothing wrong in any of the twelve labelled letters', async () => {
    expect(LABELLED).toHaveLength(12);
    const warned: Record<string, string[]> = {};
    for (const file of LABELLED) {
      const name = path.basename(file);
      const results = await parseLetterFile(name, new Uint8Array(readFileSync(file)), {
        readPdf: pdfToText,
      });
      expect(results, name).toHaveLength(1);
      const [result] = results;
      if (!result?.ok) throw new Error(`${name} was rejected: ${String(result?.reason)}`);
      if (result.warnings.length > 0) warned[name] = result.warnings;
      expect(result.rows.letter.parse_warnings, name).toBeNull();
    }
    expect(warned).toEqual({});
  });

  it('would flag the longest real finding under a tighter limit: the check is live', () => {
    const letter = parseLetter(readLetter(NORTH_YORKSHIRE), NORTH_YORKSHIRE);
    expect(checkLetter(letter)).toEqual([]);
    expect(checkLetter(letter, { ...LETTER_LIMITS, longFindingWords: 120 })).toEqual([
      'finding 20 is 134 words long (real findings are under 120): a list may have run together',
    ]);
  });

  it('takes a heading repeated by its lead-in, or a section that says "None", as fine', () => {
    const result = parseLetterText(
      northSomersetWith(
        [
          'Strengths',
          '',
          'The strengths identified were:',
          '',
          '- Child protection investigations are managed effectively, with good management oversight.',
          '- Case file audits are used effectively to monitor and improve the quality of services.',
          '',
          'Areas for priority action',
          '',
          'None.',
          '',
          'Satisfactory practice',
          '',
          ...Array.from(
            { length: 6 },
            (_, i) => `- Thresholds for access to services are understood across agency ${i + 1}.`,
          ),
        ].join('\n'),
      ),
      'fine.txt',
    );
    expect(warningsOf(result)).toEqual([]);
  });
});

describe('checkLetter on letters that look wrong', () => {
  it('names a section whose heading has nothing under it', () => {
    const result = edited(NORTH_SOMERSET, (text) =>
      text.replace(/(Areas for development\n\n)(- [^\n]*\n)+/, '$1'),
    );
    expect(warningsOf(result)).toEqual([
      'the section "Areas for development" has a heading but no findings',
    ]);
    // The letter still goes in, with the findings it has.
    expect(result.ok && result.rows.letter.finding_count).toBe(12);
  });

  it('names a finding that is a whole list run together, with its length', () => {
    const result = edited(NORTH_YORKSHIRE, (text) =>
      text.replace(
        /(Strengths\n\n)([\s\S]*?)(\n\nAreas for development)/,
        (_, head, list, tail) => {
          const items = (list as string)
            .split('\n')
            .filter((line) => line.startsWith('- '))
            .map((line) => line.slice(2));
          return `${head}- ${items.join(' ')}${tail}`;
        },
      ),
    );
    const warnings = warningsOf(result);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /^finding 6 is [\d,]+ words long \(real findings are under 200\): a list may have run together$/,
    );
    const words = Number(/is ([\d,]+) words/.exec(warnings[0]!)?.[1]?.replace(',', ''));
    expect(words).toBeGreaterThan(200);
  });

  it('names a shorter list run together by its length against the letter’s other findings', () => {
    // As a browser's PDF gives a list whose bullets were drawn: the items as one paragraph.
    const result = edited(NORTH_SOMERSET, (text) =>
      text.replace(
        /(Satisfactory practice\n\n)([\s\S]*?)(\n\nAreas for development)/,
        (_, head, list, tail) => {
          const items = (list as string).split('\n').map((line) => line.replace(/^- /, ''));
          return `${head}${items.join(' ')}${tail}`;
        },
      ),
    );
    expect(warningsOf(result)).toEqual([
      "finding 5 is 177 words long, 4.8 times this letter's median of 37: a list may have run together",
    ]);
  });

  it('names a finding that holds the bullets of a list joined into it', () => {
    const result = edited(NORTH_SOMERSET, (text) =>
      text.replace(/\n- (Effective administrative systems)/, ' • $1'),
    );
    expect(warningsOf(result)).toEqual([
      'finding 5 holds 1 bullet mark inside it: a list may have run together',
    ]);
  });

  it('still takes a letter without inspection dates, placed by its own date, and says so', () => {
    const result = edited(NORTH_SOMERSET, (text) =>
      text.replace('which was conducted on 11 and 12 May 2010', 'which was conducted recently'),
    );
    expect(warningsOf(result)).toEqual([
      "no inspection date found: the letter's date (10 June 2010) stands in for it, so the inspection year and the letter's id may be a few weeks out",
    ]);
    expect(result.ok && result.rows.letter).toMatchObject({
      letter_id: 'north-somerset-2010-06-10',
      inspection_start: '2010-06-10',
      letter_date: '2010-06-10',
    });
  });

  it('says when there is no letter date, and rejects a letter with no date at all', () => {
    const undated = (text: string) => text.replace('\n10 June 2010\n', '\n');
    expect(warningsOf(edited(NORTH_SOMERSET, undated))).toEqual(['no letter date found']);
    const result = edited(NORTH_SOMERSET, (text) =>
      undated(text).replace('which was conducted on 11 and 12 May 2010', 'which was conducted'),
    );
    expect(result).toMatchObject({
      ok: false,
      reason: 'no inspection dates found, nor a letter date to stand in for them',
    });
  });

  it('flags dates that cannot be right', () => {
    const old = edited(NORTH_SOMERSET, (text) => text.replace('12 May 2010', '12 May 2005'));
    expect(warningsOf(old)).toEqual([
      'the inspection date, 11 May 2005, is outside the years these inspections ran (2009-2013): a date may have been misread',
      'the letter is dated 10 June 2010, 1,856 days after the inspection began (letters came within about five weeks): a date may have been misread',
    ]);
    const long = edited(NORTH_SOMERSET, (text) =>
      text.replace('11 and 12 May 2010', '11 May 2010 to 30 June 2010'),
    );
    expect(warningsOf(long)).toEqual([
      'the inspection runs 51 days, 11 May 2010 to 30 June 2010 (inspections took two days): a date may have been misread',
      'the letter is dated 10 June 2010, before the inspection ended (30 June 2010): a date may have been misread',
    ]);
  });

  it('says when no signatory is found and when the council is not recognised', () => {
    expect(
      warningsOf(edited(NORTH_SOMERSET, (text) => text.replace('Karen McKeown\n', ''))),
    ).toEqual(['no signatory found']);
    expect(
      warningsOf(edited(NORTH_SOMERSET, (text) => text.replaceAll('North Somerset', 'Atlantis'))),
    ).toEqual([
      'council "Atlantis" not recognised (not in the reference table): no ONS code, DfE number or region',
    ]);
  });

  it('says when the findings are far fewer or far more than a letter has', () => {
    const few = parseLetterText(
      northSomersetWith(
        'Strengths\n\n- Child protection investigations are managed effectively.\n\nAreas for development\n\n- The quality of initial and core assessment is variable.',
      ),
      'few.txt',
    );
    expect(warningsOf(few)).toEqual([
      'only 2 findings (letters usually have 8-30): a list may have run together or a heading been missed',
    ]);
    const many = parseLetterText(
      northSomersetWith(
        `Strengths\n\n${Array.from({ length: 50 }, (_, i) => `- Staff in team ${i + 1} are supported well by regular supervision.`).join('\n')}`,
      ),
      'many.txt',
    );
    expect(warningsOf(many)).toEqual([
      '50 findings (letters usually have 8-30): lines that are not findings may have been read as findings',
    ]);
  });

  it('names a finding too short to be one', () => {
    const result = edited(NORTH_SOMERSET, (text) =>
      text.replace('Satisfactory practice\n\n', 'Satisfactory practice\n\n- See annex\n'),
    );
    expect(warningsOf(result)).toEqual([
      'finding 5 is only 2 words long ("See annex"): a heading or page furniture may have been read as a finding',
    ]);
  });

  it('says when findings stand under no recognised heading', () => {
    const result = parseLetterText(
      northSomersetWith(
        [
          'Management oversight of referrals was noted as a strength.',
          '',
          'The timeliness of initial assessments was noted as a strength.',
          '',
          'Joint working with the police was noted as a strength.',
        ].join('\n'),
      ),
      'no-headings.txt',
    );
    expect(warningsOf(result)).toEqual([
      '3 findings but no section headings recognised',
      'only 3 findings (letters usually have 8-30): a list may have run together or a heading been missed',
    ]);
  });

  it('says when the text looks decoded with the wrong encoding', () => {
    const times = readLetter(NORTH_SOMERSET).split("children's").length - 1;
    expect(times).toBeGreaterThan(1);
    // UTF-8 read as Windows-1252, and Windows-1252 read as Latin-1 (Node 20's TextDecoder).
    const utf8As1252 = edited(NORTH_SOMERSET, (text) =>
      text.replaceAll("children's", 'children\u00e2\u20ac\u2122s'),
    );
    expect(warningsOf(utf8As1252)).toEqual([
      `wrongly decoded text in ${times} places (e.g. "â€™"): the file's encoding may have been misread`,
    ]);
    const latin1 = edited(NORTH_SOMERSET, (text) => text.replace("children's", 'children\u0092s'));
    expect(warningsOf(latin1)).toEqual([
      `wrongly decoded text in 1 place (e.g. U+0092): the file's encoding may have been misread`,
    ]);
  });

  it('gives the warnings in the rows, one a line, and the same from checkLetter', () => {
    const text = readLetter(NORTH_SOMERSET)
      .replace('Karen McKeown\n', '')
      .replace('\n10 June 2010\n', '\n');
    const result = parseLetterText(text, 'two.txt');
    expect(warningsOf(result)).toEqual(['no letter date found', 'no signatory found']);
    expect(result.ok && result.rows.letter.parse_warnings).toBe(
      'no letter date found\nno signatory found',
    );
    expect(checkLetter(parseLetter(text, 'two.txt'))).toEqual(warningsOf(result));
  });
});

describe('findSections reports the headings it met', () => {
  it('with the findings and notes under each', () => {
    const text = normaliseText(
      northSomersetWith(
        'Strengths\n\n- Child protection investigations are managed effectively.\n- Audits are used well.\n\nAreas for priority action\n\nNone.\n\nAreas for development\n\nSatisfactory practice\n\n- Thresholds are well understood.',
      ),
    );
    const headings: SectionHeading[] = [];
    const found = findSections(text, 'ofsted_letter', headings);
    expect(found).toHaveLength(3);
    expect(headings).toEqual([
      { section: 'strength', text: 'Strengths', findings: 2, notes: 0 },
      { section: 'priority_action', text: 'Areas for priority action', findings: 0, notes: 1 },
      { section: 'development', text: 'Areas for development', findings: 0, notes: 0 },
      { section: 'satisfactory', text: 'Satisfactory practice', findings: 1, notes: 0 },
    ]);
    // Without the list, the sections come out as before.
    expect(findSections(text, 'ofsted_letter')).toEqual(found);
  });
});
