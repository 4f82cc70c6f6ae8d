import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { layoutPdfText, type PdfPageText, type PdfTextItem } from '@/core/read/pdf-layout';

// Text runs as pdf.js reports them, for what a PDF-writing library cannot draw with standard
// fonts: Symbol and Wingdings bullets, superscripts set by Word, page-number styles.

/** A text run at (x, y); width from the text at half the font size per character unless given. */
function run(
  str: string,
  x: number,
  y: number,
  options: { width?: number; size?: number; font?: string } = {},
): PdfTextItem {
  const size = options.size ?? 11;
  return {
    str,
    transform: [size, 0, 0, size, x, y],
    width: options.width ?? str.length * size * 0.5,
    height: size,
    hasEOL: false,
    fontName: options.font ?? 'g_d0_f1',
  };
}

/** An A4 page holding the given runs. */
function page(...items: PdfTextItem[]): PdfPageText {
  return { view: [0, 0, 595.28, 841.89], items };
}

describe('layoutPdfText', () => {
  it('turns Symbol and Wingdings bullets into "•" and keeps a section sign in the text', () => {
    const text = layoutPdfText([
      page(
        run('\uF0B7', 72, 700, { font: 'g_d0_f2' }),
        run('Child protection enquiries are timely.', 90, 700),
        run('§', 72, 680, { font: 'g_d0_f3' }),
        run('Strategy meetings are well attended.', 90, 680),
        run('Enquiries under', 72, 650, { width: 80 }),
        run('§', 155, 650),
        run('47 are thorough.', 163, 650),
      ),
    ]);
    expect(text.split('\n')).toEqual([
      '• Child protection enquiries are timely.',
      '',
      '• Strategy meetings are well attended.',
      '',
      'Enquiries under § 47 are thorough.',
    ]);
  });

  it('keeps superscripts on their line and puts spaces only where the gaps are', () => {
    const text = layoutPdfText([
      page(
        run('The inspection took place on 7', 72, 700, { width: 150 }),
        run('th', 222, 703.7, { size: 7, width: 6 }),
        run('and 8', 231, 700, { width: 26 }),
        run('th', 257, 703.7, { size: 7, width: 6 }),
        run('July 2009.', 266, 700, { width: 50 }),
      ),
    ]);
    expect(text).toBe('The inspection took place on 7th and 8th July 2009.');
  });

  it('moves a dash that wrapped to the start of a line onto the line before', () => {
    const text = layoutPdfText([
      page(
        run(
          'Children are seen and their views are recorded and, where it is right for them',
          72,
          700,
          {
            width: 448,
          },
        ),
        run('– alone. Case recording is comprehensive.', 72, 686),
      ),
    ]);
    expect(text.split('\n')).toEqual([
      'Children are seen and their views are recorded and, where it is right for them –',
      'alone. Case recording is comprehensive.',
    ]);
  });

  it('drops page numbers in any style and keeps a number standing in the text', () => {
    const text = layoutPdfText([
      page(run('Strengths', 72, 770), run('2', 72, 420), run('- 1 -', 290, 30)),
      page(run('2', 520, 810), run('Areas for development', 72, 770), run('Page 2', 280, 30)),
    ]);
    expect(text.split('\n')).toEqual(['Strengths', '', '2', '\f', 'Areas for development']);
  });

  it('puts the page break before a list item that ended the page, not inside what follows', () => {
    const text = layoutPdfText([
      page(
        run('Areas for development', 72, 770),
        run('•', 72, 750),
        run('Some case files show that managers do not oversee the work of', 90, 750, {
          width: 430,
        }),
        run('social workers closely enough.', 90, 736),
      ),
      page(
        run('There are established auditing systems in place which has led to the', 72, 770, {
          width: 448,
        }),
        run('dissemination of findings.', 72, 756),
      ),
    ]);
    expect(text.split('\n')).toEqual([
      'Areas for development',
      '\f',
      '• Some case files show that managers do not oversee the work of',
      'social workers closely enough.',
      '',
      'There are established auditing systems in place which has led to the',
      'dissemination of findings.',
    ]);
  });

  it('joins a list item that runs over the page mid-sentence, even before a capital', () => {
    const text = layoutPdfText([
      page(
        run('Strengths', 72, 770),
        run('•', 72, 750),
        run('Lessons from serious case reviews are shared with staff by the Local', 90, 750, {
          width: 430,
        }),
      ),
      page(
        run('Safeguarding Children Board, which has improved practice.', 90, 770),
        run('•', 72, 750),
        run('Thresholds are understood.', 90, 750),
      ),
    ]);
    expect(text.split('\n')).toEqual([
      'Strengths',
      '\f',
      '• Lessons from serious case reviews are shared with staff by the Local',
      'Safeguarding Children Board, which has improved practice.',
      '',
      '• Thresholds are understood.',
    ]);
  });

  it('never throws on arbitrary runs, and gives at most one form feed per page turn', () => {
    const number = fc.oneof(
      fc.double({ min: -2000, max: 2000, noNaN: true }),
      fc.constantFrom(0, Number.NaN, Number.POSITIVE_INFINITY),
    );
    const item = fc.record({
      str: fc.oneof(
        fc.string({ maxLength: 30 }),
        fc.constantFrom('•', '\uF0B7', '§', '- 2 -', ' '),
      ),
      transform: fc.oneof(
        fc.array(number, { minLength: 6, maxLength: 6 }),
        fc
          .tuple(
            fc.constantFrom(11, 7),
            fc.integer({ min: 30, max: 560 }),
            fc.integer({ min: 20, max: 820 }),
          )
          .map(([size, x, y]) => [size, 0, 0, size, x, y]),
      ),
      width: number,
      height: number,
      fontName: fc.constantFrom('g_d0_f1', 'g_d0_f2'),
    });
    const pages = fc.array(
      fc.record({
        view: fc.constantFrom([0, 0, 595.28, 841.89], [0, 0, 0, 0], [10, 20, 300, 400]),
        items: fc.array(item, { maxLength: 25 }),
      }),
      { maxLength: 4 },
    );
    fc.assert(
      fc.property(pages, (input) => {
        const text = layoutPdfText(input);
        const lines = text.split('\n');
        if (text.length > 0)
          expect(lines.filter((l) => l === '\f').length).toBeLessThan(input.length);
        expect(lines.every((l) => l === '\f' || l === '' || l.trim() === l)).toBe(true);
        expect(lines.some((l, i) => l === '' && lines[i + 1] === '')).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});
