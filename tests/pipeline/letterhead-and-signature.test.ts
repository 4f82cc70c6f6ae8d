import { describe, expect, it } from 'vitest';
import { parseLetter } from '@/core/pipeline/parse-letter';
import { comparable, goldFindings, goldLetters, readLetter } from '../helpers/gold';

// Each case rewrites a real letter (North Somerset 2010, a seed) the way other letters come:
// what the parser reads from it must not change, or must change only as the case says.
const FILE = '001_01074a0f891bb9e6.txt';
const text = readLetter(FILE);
const gold = goldLetters.find((l) => l.source_file === FILE)!;
const goldTexts = goldFindings
  .filter((g) => g.source_file === FILE)
  .map((g) => [g.section, comparable(g.text)]);
const findingsOf = (source: string) =>
  parseLetter(source, FILE).findings.map((f) => [f.section, comparable(f.text)]);
/** A rewrite of `base` (it must change it) that still gives the gold's findings. */
const expectGoldFindings = (source: string, base: string, label?: string) => {
  expect(source, label).not.toBe(base);
  expect(findingsOf(source), label).toEqual(goldTexts);
};

describe('the letter date', () => {
  it('is not a web page’s "Publication date" above it', () => {
    const page = `Publication date: 17 June 2010\nCaptured 3 July 2012\n\n${text}`;
    expect(parseLetter(page, FILE).metadata.letterDate).toBe(gold.letter_date);
  });

  it('is read when the letterhead’s "Direct T" shares its printed line', () => {
    for (const joined of [
      '10 June 2010                              Direct T 0117 945 6293',
      'Direct T 0117 945 6293 10 June 2010',
      '10 June 2010\tenquiries@ofsted.gov.uk',
    ]) {
      const source = text.replace(/^10 June 2010$/m, joined);
      expect(source).not.toBe(text);
      expect(parseLetter(source, FILE).metadata.letterDate, joined).toBe(gold.letter_date);
    }
  });
});

describe('the signatory', () => {
  it('keeps letters outside A-Z: accents, in composed and decomposed form', () => {
    for (const name of ['Siân Roberts', 'Si\u0061\u0302n Roberts', 'Zoë Brontë-Ó Súilleabháin']) {
      const source = text.replace('Karen McKeown\nHer', `${name}\nHer`);
      expect(parseLetter(source, FILE).metadata.inspector).toBe(name);
    }
  });
});

describe('letterhead and signature lines are not findings', () => {
  it('an address, a postcode or a telephone line strayed into a list is left out', () => {
    const source = text.replace(
      /\nSatisfactory practice\n/,
      '\nLondon Borough of Example\n\nTown Hall, Weston-super-Mare BS23 1UJ\n\nT 0300 123 1231\n\nwww.ofsted.gov.uk\n\nSatisfactory practice\n',
    );
    expect(findingsOf(source)).toEqual(goldTexts);
  });

  it('a closing paragraph other letters end with is not the last section’s finding', () => {
    for (const closing of [
      'I would like to thank all of the staff we met for their assistance in undertaking this inspection.',
      "The inspection findings will contribute to the annual review of the performance of the authority's children's services.",
      'A copy of this letter has been sent to the Chief Executive and to the Lead Member for Children’s Services.',
      'This letter will be published on the Ofsted website.',
      'We will consider the progress made on these areas at the next annual unannounced inspection.',
      'If you have any questions about this letter, please contact me.',
    ]) {
      const source = text.replace(
        /\nAny areas for development identified above[^\n]*\n/,
        `\n${closing}\n`,
      );
      expectGoldFindings(source, text, closing);
    }
  });

  it('a signature block without "Yours sincerely" ends the findings, its Copy list too', () => {
    const source = text
      .replace(/\nAny areas for development identified above[^\n]*\n/, '\n')
      .replace('Yours sincerely\n', '');
    expect(source).not.toMatch(/Yours sincerely/);
    expect(findingsOf(source)).toEqual(goldTexts);
  });
});

describe('page furniture', () => {
  it('a page number that a list mark ran into ("• Page 3 of 4") is no finding and splits none', () => {
    const source = text.replace(
      'improvements in practice with regard',
      'improvements in practice wi\n• Page 3 of 4\n\n\n\nth regard',
    );
    expect(source).not.toBe(text);
    expect(
      findingsOf(source).map(([section, t]) => [section, t?.replace('wi th', 'with')]),
    ).toEqual(goldTexts);
  });

  it('a page break between two bullets, its footer and the next page’s header each on a line with wide gaps, adds nothing to either', () => {
    const after = 'delivery of services.\n';
    for (const [footer, header] of [
      [
        'Page 1 of 2                              Reference no: 123456',
        'North Somerset Council                                        Ofsted',
      ],
      ['Page 1 of 2', 'North Somerset Council\tOfsted'],
      ['', 'Unannounced Inspection of North Somerset Council'],
    ]) {
      const source = text.replace(after, `${after}\n${footer}\n${header}\n\n`);
      expectGoldFindings(source, text, header);
    }
  });

  it('a page break in mid-sentence, with the page number and a running title wrapped on two lines, leaves the sentence whole', () => {
    for (const header of [
      'North Somerset Council: unannounced inspection of contact, referral and assessment\narrangements',
      'Unannounced inspection of contact, referral and assessment arrangements\nwithin North Somerset Council',
      'North Somerset Council unannounced inspection 2010',
    ]) {
      const source = text.replace(
        'delays in assessment or in the delivery of services.',
        `delays in assessment or in the\n                                       Page 2 of 3\n${header}\ndelivery of services.`,
      );
      expectGoldFindings(source, text, header);
    }
  });

  it('a section named on the line that says it is empty ("Areas for priority action: none identified.") adds no finding', () => {
    for (const line of [
      'Areas for priority action: none identified.',
      'Areas for priority action: None',
      'Priority actions: nil.',
    ]) {
      const source = text.replace(
        '\nAny areas for development identified above',
        `\n${line}\n\nAny areas for development identified above`,
      );
      expectGoldFindings(source, text, line);
    }
  });

  it('a wrapped line of a finding that names the arrangements is the finding’s, not a running title', () => {
    const added =
      'Contact, referral and assessment arrangements are effective, and thresholds\nare well understood by partner agencies.';
    const source = text.replace(
      'Case recording is comprehensive and, in most cases, timely.',
      `Case recording is comprehensive and, in most cases, timely.\n${added}`,
    );
    expect(source).not.toBe(text);
    const texts = parseLetter(source, FILE).findings.map((f) => f.text);
    expect(texts.some((t) => t.includes(added.replace('\n', ' ')))).toBe(true);
  });

  it('a web page’s own links that an archived copy keeps ("Back to top") are no finding', () => {
    for (const link of ['Back to top', 'Top of page', '^ Back to top', 'Print this page']) {
      const source = text.replace(
        '\nAreas for development\n',
        `\n${link}\n\nAreas for development\n`,
      );
      expectGoldFindings(source, text, link);
    }
  });

  it('a running title printed straight under a finding, with or without its page number, is neither kept nor loses the finding', () => {
    // The lists numbered, an empty line between items, and every line wrapped at 90 characters,
    // as some letters come from a PDF.
    let n = 0;
    const numbered = text
      .replace(/^- /gm, () => `\n${(n += 1)}. `)
      .split('\n')
      .map((line) => line.replace(/(.{1,90})(?: |$)/g, '$1\n').replace(/\n$/, ''))
      .join('\n');
    expect(findingsOf(numbered)).toEqual(goldTexts);
    const after = 'delivery of services.';
    for (const footer of [
      'North Somerset unannounced inspection 2010                              Page 2 of 3',
      'North Somerset unannounced inspection 2010\tPage 2 of 3',
      'North Somerset unannounced inspection 2010 | Page 2 of 3',
      'Page 2 of 3          Unannounced inspection of North Somerset',
      'North Somerset unannounced inspection 2010',
    ]) {
      // The next item straight under it, as a page break in a PDF leaves them.
      const source = numbered.replace(`${after}\n\n`, `${after}\n${footer}\n`);
      expectGoldFindings(source, numbered, footer);
    }
  });
});

describe('a list inside a finding', () => {
  it('lower-case items after "In particular:" are the finding’s own, however they are marked', () => {
    const lead =
      '- The lack of effective tracking and monitoring by first line managers has led to delays. In particular:';
    const items = [
      'assessments are not started on time',
      'plans are not reviewed when circumstances change.',
    ];
    // '' is a Word 97 file or a PDF whose list marks are not text: plain paragraphs. '   o  ' is
    // Word's second-level mark as a PDF's text gives it, indented.
    for (const marker of ['- ', '• ', '\uF0B7 ', '', '   o  ']) {
      for (const gap of ['\n', '\n\n']) {
        const source = text.replace(
          /^- The lack of effective tracking[^\n]*$/m,
          [marker === '' ? lead.slice(2) : lead, ...items.map((i) => `${marker}${i}`)].join(gap),
        );
        const finding = parseLetter(source, FILE).findings.find((f) =>
          f.text.startsWith('The lack of effective tracking'),
        );
        expect(finding?.text, JSON.stringify([marker, gap])).toBe(
          `${lead.slice(2)} ${items.join(' ')}`,
        );
        expect(parseLetter(source, FILE).findings).toHaveLength(goldTexts.length);
      }
    }
  });
});
