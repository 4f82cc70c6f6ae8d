import fc from 'fast-check';
import { PDFDocument, type PDFFont, type PDFPage, StandardFonts, rgb } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { OPS } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { pdfToText } from '../../scripts/lib/read-pdf';
import { layoutPdfText, type PdfPageText } from '@/core/read/pdf-layout';
import { marksFromOperators } from '@/core/read/pdf-text';

// Edge cases of the PDF layout in PDFs drawn here with pdf-lib (Helvetica, placed line by line,
// as a PDF writer places them) and read back through pdf.js, the same path as the ingest: list
// items marked only by drawn shapes or by their indent, letterheads in columns, tables, page
// furniture. Expected texts are written out by hand, never taken from the layout.

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 72;
const SIZE = 11;
const LEADING = 13.5;

/** How a list item is marked on the page. */
type Marker = 'disc' | 'circle' | 'square' | 'glyph' | 'courier-o' | 'none';

/** A block of the flowed text: a paragraph at the margin or a list item at an indent. */
interface Flow {
  text: string;
  item?: Marker;
  bold?: boolean;
  /** Space before the block, in points (0: none). */
  gapBefore?: number;
}

/** A list item as it was drawn: its wrapped lines and the page each line went on. */
interface DrawnItem {
  text: string;
  lines: string[];
  pages: number[];
}

/** Greedy word wrap of a text into lines no wider than `width`. */
function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const candidate = line ? `${line} ${word}` : word;
    if (line && font.widthOfTextAtSize(candidate, size) > width) {
      lines.push(line);
      line = word;
    } else line = candidate;
  }
  if (line) lines.push(line);
  return lines;
}

/**
 * Draws blocks as a letter would be set: paragraphs at the left margin, list items 18 points in
 * with their marker (a drawn disc, circle or square, a "•" glyph, or nothing) 10 points in,
 * lines 13.5 points apart, pages turned at the bottom margin; `decorate` draws what else every
 * page carries.
 */
async function flowPdf(
  blocks: readonly Flow[],
  options: {
    pageSize?: [number, number];
    decorate?: (page: PDFPage, n: number, of: number, font: PDFFont) => void;
  } = {},
): Promise<{ bytes: Uint8Array; items: DrawnItem[]; pages: number }> {
  const [width, height] = options.pageSize ?? A4;
  const doc = await PDFDocument.create();
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const courier = await doc.embedFont(StandardFonts.Courier);
  const pages: PDFPage[] = [doc.addPage([width, height])];
  let y = height - MARGIN;
  const items: DrawnItem[] = [];
  for (const block of blocks) {
    if (block.gapBefore && y < height - MARGIN) y -= block.gapBefore;
    const indent = block.item ? 18 : 0;
    const font = block.bold ? bold : regular;
    const lines = wrap(block.text, font, SIZE, width - 2 * MARGIN - indent);
    const drawn: DrawnItem = { text: block.text, lines, pages: [] };
    for (const [i, line] of lines.entries()) {
      if (y < MARGIN) {
        pages.push(doc.addPage([width, height]));
        y = height - MARGIN;
      }
      const page = pages[pages.length - 1]!;
      drawn.pages.push(pages.length);
      if (i === 0 && block.item) {
        const cx = MARGIN + 8;
        const cy = y + SIZE * 0.33;
        if (block.item === 'disc') page.drawCircle({ x: cx, y: cy, size: 2, color: rgb(0, 0, 0) });
        if (block.item === 'circle')
          page.drawCircle({ x: cx, y: cy, size: 2, borderColor: rgb(0, 0, 0), borderWidth: 0.6 });
        if (block.item === 'square')
          page.drawRectangle({ x: cx - 2, y: cy - 2, width: 4, height: 4, color: rgb(0, 0, 0) });
        // Word's second-level bullet: a Courier "o" set apart from the text.
        if (block.item === 'courier-o')
          page.drawText('o', { x: MARGIN + 6, y, size: SIZE, font: courier });
        if (block.item === 'glyph')
          page.drawText('•', { x: MARGIN + 6, y, size: SIZE, font: regular });
      }
      page.drawText(line, { x: MARGIN + indent, y, size: SIZE, font });
      y -= LEADING;
    }
    if (block.item) items.push(drawn);
  }
  for (const [i, page] of pages.entries()) options.decorate?.(page, i + 1, pages.length, regular);
  return { bytes: await doc.save(), items, pages: pages.length };
}

/** The text's paragraphs and list items: runs of lines between blank lines and form feeds. */
function blocksOf(text: string): string[] {
  return text
    .split(/\n(?:\f\n)*(?:\n|\f\n?)|\n?\f\n?/)
    .map((block) => block.replace(/\n/g, ' ').trim())
    .filter((block) => block.length > 0);
}

// List items in the register of the letters: some short and unpunctuated, some running over
// several lines, and one paragraph-long.
const ITEMS = [
  'Number undertaken is low',
  'Insufficient capacity within the initial response team to deal with the number of assessments expected in comparison with similar councils.',
  'Assessment records do not reflect the work of other agencies',
  'Insufficient referral information from some agencies',
  'Recording practice is inconsistent, not all records are up to date and information is not routinely entered on the electronic recording system.',
  'Some assessments are not sufficiently analytical',
  'Electronic systems are not adequate to track progress on individual referrals and to aggregate performance information, and managers rely on spreadsheets kept by hand in each team, which are not always up to date and do not agree with each other.',
];

/** A short letter body around a list: a lead-in, the items, a paragraph after. */
function letterWith(marker: Marker, itemGap: number): Flow[] {
  return [
    { text: 'Areas for development', bold: true },
    {
      text: 'From the evidence gathered, the following areas for development were identified in the main related to initial and core assessments:',
      gapBefore: 8,
    },
    ...ITEMS.map((text, i) => ({ text, item: marker, gapBefore: i === 0 ? 8 : itemGap })),
    {
      text: 'The areas for development identified above will be specifically considered in any future inspection of services to safeguard children within your area.',
      gapBefore: 8,
    },
  ];
}

describe('list items from geometry', () => {
  it.each([['disc'], ['circle'], ['square'], ['glyph'], ['courier-o']] as const)(
    'a list marked by a %s: every item is one "•" block, short unpunctuated items apart',
    async (marker) => {
      const { bytes } = await flowPdf(letterWith(marker, 0));
      const blocks = blocksOf(await pdfToText(bytes));
      for (const item of ITEMS) expect(blocks).toContain(`• ${item}`);
      expect(blocks).toContain('Areas for development');
      expect(blocks.filter((b) => b.startsWith('• '))).toHaveLength(ITEMS.length);
    },
  );

  it('a list with no marker and no space between items: told apart by where lines end', async () => {
    const { bytes, items } = await flowPdf(letterWith('none', 0));
    // The layout can only see an item's end where its last line leaves room for the next
    // item's first word; these items are chosen so that every one does.
    const font = await (await PDFDocument.create()).embedFont(StandardFonts.Helvetica);
    for (const [i, item] of items.entries()) {
      const next = items[i + 1]?.text.split(' ')[0];
      if (!next) continue;
      const room = 595.28 - 2 * MARGIN - 18 - font.widthOfTextAtSize(item.lines.at(-1)!, SIZE);
      expect(room - font.widthOfTextAtSize(` ${next}`, SIZE)).toBeGreaterThan(SIZE);
    }
    const blocks = blocksOf(await pdfToText(bytes));
    for (const item of ITEMS) expect(blocks).toContain(`• ${item}`);
    // The paragraphs at the margin are not list items.
    expect(blocks.filter((b) => b.startsWith('• '))).toHaveLength(ITEMS.length);
  });

  it('without a marker, an item runs on over a page break where the line before it is full', async () => {
    // Page heights that break the long last item after its second line, which runs to the
    // right edge: the item goes on at the top of the next page.
    const flow = letterWith('none', 0);
    const long = ITEMS[ITEMS.length - 1]!;
    let found = false;
    for (let height = 260; height < 700 && !found; height += 4.5) {
      const drawn = await flowPdf(flow, { pageSize: [595.28, height] });
      const item = drawn.items.find((i) => i.text === long)!;
      if (item.pages.join() !== [1, 1, 2].join()) continue;
      found = true;
      expect(item.lines[1]).toBe(
        'aggregate performance information, and managers rely on spreadsheets kept by hand in',
      );
      const blocks = blocksOf(await pdfToText(drawn.bytes));
      expect(blocks).toContain(`• ${long}`);
      for (const text of ITEMS) expect(blocks).toContain(`• ${text}`);
    }
    expect(found).toBe(true);
  });

  it('without a marker, a page that ends with a short item line opens a new item on the next', async () => {
    const flow = letterWith('none', 0);
    let found = 0;
    for (let height = 260; height < 700; height += 4.5) {
      const drawn = await flowPdf(flow, { pageSize: [595.28, height] });
      // An item that ends at the foot of a page, the next one starting the next page.
      const at = drawn.items.findIndex(
        (item, i) =>
          i + 1 < drawn.items.length && drawn.items[i + 1]!.pages[0]! > item.pages.at(-1)!,
      );
      if (at < 0) continue;
      found += 1;
      const blocks = blocksOf(await pdfToText(drawn.bytes));
      for (const text of ITEMS) expect(blocks).toContain(`• ${text}`);
    }
    expect(found).toBeGreaterThanOrEqual(3);
  });

  it('paragraphs at the margin stay plain, however their lines end', async () => {
    const { bytes } = await flowPdf([
      { text: 'Dear Mr Ashdown' },
      { text: 'Annual unannounced inspection of contact, referral and assessment', gapBefore: 8 },
      { text: 'This letter contains the findings of the recent inspection.', gapBefore: 8 },
      { text: 'Yours sincerely', gapBefore: 8 },
    ]);
    const text = await pdfToText(bytes);
    expect(text).not.toContain('•');
    expect(blocksOf(text)).toEqual([
      'Dear Mr Ashdown',
      'Annual unannounced inspection of contact, referral and assessment',
      'This letter contains the findings of the recent inspection.',
      'Yours sincerely',
    ]);
  });
});

/** Draws text runs at given places on one A4 page each. */
async function placed(
  pages: readonly { text: string; x: number; y: number; size?: number }[][],
): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (const runs of pages) {
    const page = doc.addPage(A4);
    for (const run of runs)
      page.drawText(run.text, { x: run.x, y: run.y, size: run.size ?? SIZE, font });
  }
  return doc.save();
}

describe('numbered paragraphs with a hanging indent', () => {
  it('are paragraphs, not list items, even with a line broken short inside', async () => {
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.Helvetica);
    const page = doc.addPage(A4);
    // Numbers at the margin, text 36 points in; the first paragraph has a forced line break
    // after "concerns." (Shift+Enter in Word).
    const paragraphs = [
      [
        '2.1.',
        'The inspection identified the recent self assessment and the implementation of the',
        'improvement programme as a strength. Additionally staff reported that senior managers',
        'listened and responded to their concerns.',
        'This was noted as a strength, as was staff feeling supported and receiving supervision',
        'and support in terms of their personal development.',
      ],
      [
        '2.2.',
        'Areas for priority action included further investigation following the reading of the',
        'inspectors’ case files.',
      ],
    ];
    let y = 760;
    for (const [number, ...lines] of paragraphs) {
      page.drawText(number!, { x: 72, y, size: SIZE, font });
      for (const line of lines) {
        page.drawText(line, { x: 108, y, size: SIZE, font });
        y -= LEADING;
      }
      y -= 8;
    }
    const text = await pdfToText(await doc.save());
    expect(text).not.toContain('•');
    expect(blocksOf(text)[0]).toMatch(/^2\.1\. The inspection identified/);
    expect(blocksOf(text).at(-1)).toBe(paragraphs[1]!.join(' '));
  });
});

describe('a first page in columns', () => {
  // Ofsted's letterhead: its address in 8.5 point type on the right, 9.8 points apart, beside
  // the date and the council's address in 11 point type, 12.6 apart: baselines interleave,
  // some a few points apart, one shared ("Direct T" beside the date).
  const right = [
    'Royal Exchange Buildings',
    "St Ann's Square",
    'Manchester',
    'M2 7LA',
    '',
    'T 08456 404040',
    'enquiries@ofsted.gov.uk',
    'www.ofsted.gov.uk',
    '',
    'Direct T 0161 618 8524',
    'Direct F 0161 618 8514',
  ];
  const left = [
    '12 August 2009',
    '',
    'Mr Richard Ashdown',
    "Director of Children's Services",
    'Leeds City Council',
    'Merrion House',
    '110 Merrion Centre',
    'Leeds',
    'LS2 8DT',
  ];
  const body = [
    'Dear Mr Ashdown',
    '',
    'This letter contains the findings of the recent unannounced inspection of contact, referral',
    'and assessment arrangements within local authority children’s services in Leeds City Council.',
  ];
  /** The letterhead with the date on the baseline of the right column's line `shared`. */
  function letterhead(shared: number): { text: string; x: number; y: number; size?: number }[] {
    const top = 770;
    const runs: { text: string; x: number; y: number; size?: number }[] = [];
    for (const [i, text] of right.entries())
      if (text) runs.push({ text, x: 365, y: top - i * 9.8, size: 8.5 });
    const dateY = top - shared * 9.8;
    for (const [i, text] of left.entries())
      if (text) runs.push({ text, x: 72, y: dateY - i * 12.6 });
    const bodyTop = dateY - left.length * 12.6 - 30;
    for (const [i, text] of body.entries())
      if (text) runs.push({ text, x: 72, y: bodyTop - i * 12.6 });
    return runs;
  }

  it.each([[9], [4], [6]])(
    'reads each column apart, left first, the date alone on its line (date beside right line %i)',
    async (shared) => {
      const text = await pdfToText(await placed([letterhead(shared)]));
      const blocks = text.split(/\n\n+/).map((b) => b.split('\n'));
      expect(text.split('\n')).toContain('12 August 2009');
      // Each column's lines come out together and in order, the left column first.
      const flat = blocks.flat();
      const leftLines = left.filter(Boolean);
      const rightLines = right.filter(Boolean);
      const at = (line: string): number => flat.indexOf(line);
      for (const line of [...leftLines, ...rightLines]) expect(at(line)).toBeGreaterThanOrEqual(0);
      expect(leftLines.map(at)).toEqual([...leftLines.map(at)].sort((p, q) => p - q));
      expect(rightLines.map(at)).toEqual([...rightLines.map(at)].sort((p, q) => p - q));
      expect(Math.max(...leftLines.map(at))).toBeLessThan(Math.min(...rightLines.map(at)));
      // No block holds lines of both columns, and the letter goes on after them.
      for (const block of blocks)
        expect(
          block.some((l) => leftLines.includes(l)) && block.some((l) => rightLines.includes(l)),
        ).toBe(false);
      expect(flat.indexOf('Dear Mr Ashdown')).toBeGreaterThan(Math.max(...rightLines.map(at)));
    },
  );

  it('reads columns typed in a fixed-width font and spaced apart within one run per line', async () => {
    // As a text file printed to PDF: one run per line, the columns padded with spaces.
    const doc = await PDFDocument.create();
    const courier = await doc.embedFont(StandardFonts.Courier);
    const page = doc.addPage(A4);
    const rows: [string, string][] = [
      ['', 'Royal Exchange Buildings'],
      ['', 'Manchester M2 7LA'],
      ['12 August 2009', 'Direct T 0161 618 8524'],
      ['', 'Direct F 0161 618 8514'],
      ['Mr Richard Ashdown', 'enquiries@ofsted.gov.uk'],
      ['Leeds City Council', ''],
      ['LS2 8DT', ''],
      ['', ''],
      ['Dear Mr Ashdown', ''],
    ];
    for (const [i, [left, right]] of rows.entries()) {
      const line = right ? `${left.padEnd(40)}${right}` : left;
      if (line) page.drawText(line, { x: 60, y: 760 - i * 12, size: 10, font: courier });
    }
    const blocks = (await pdfToText(await doc.save())).split('\n\n').map((b) => b.split('\n'));
    expect(blocks).toEqual([
      ['12 August 2009'],
      ['Mr Richard Ashdown', 'Leeds City Council', 'LS2 8DT'],
      [
        'Royal Exchange Buildings',
        'Manchester M2 7LA',
        'Direct T 0161 618 8524',
        'Direct F 0161 618 8514',
        'enquiries@ofsted.gov.uk',
      ],
      ['Dear Mr Ashdown'],
    ]);
  });

  it('keeps a table of labels and values row by row', async () => {
    const rows = [
      ['Local authority', 'Leeds City Council'],
      ['Inspection type', 'Unannounced inspection of contact, referral and assessment'],
      ['Publication date', '20 August 2009'],
    ];
    const text = await pdfToText(
      await placed([
        [
          ...rows.flatMap(([label, value], i) => [
            { text: label!, x: 72, y: 700 - i * 16 },
            { text: value!, x: 180, y: 700 - i * 16 },
          ]),
          { text: '12 August 2009', x: 72, y: 640 },
        ],
      ]),
    );
    expect(text.split('\n').filter((l) => l.length > 0)).toEqual([
      'Local authority Leeds City Council',
      'Inspection type Unannounced inspection of contact, referral and assessment',
      'Publication date 20 August 2009',
      '12 August 2009',
    ]);
  });

  it('keeps a footer with a wide gap in it as one line', async () => {
    const text = await pdfToText(
      await placed([
        [
          { text: 'Strengths', x: 72, y: 700 },
          { text: 'Leeds City Council children’s services', x: 72, y: 90 },
          { text: 'draft for comment', x: 420, y: 90 },
        ],
      ]),
    );
    expect(text.split('\n')).toContain('Leeds City Council children’s services draft for comment');
  });
});

describe('page furniture', () => {
  it('drops what repeats in place on most pages and keeps what repeats on a few', async () => {
    const pages = Array.from({ length: 6 }, (_, p) => [
      // A running header and a reference on every page, a page number in the footer.
      {
        text: 'Annual unannounced inspection of contact, referral and assessment',
        x: 72,
        y: 800,
        size: 8,
      },
      { text: `Ref: UCRA/2009/${1000 + p}`, x: 450, y: 785, size: 8 },
      { text: `Page ${p + 1} of 6`, x: 270, y: 30, size: 9 },
      // Body lines, the first and the last in the margin bands, the same on pages 2 and 4.
      {
        text:
          p === 1 || p === 3
            ? '• Thresholds are well understood by partner agencies'
            : `Finding ${p} at the top`,
        x: 72,
        y: 760,
      },
      { text: `A paragraph on page ${p + 1}.`, x: 72, y: 500 },
      {
        text: p === 2 || p === 4 ? '• Caseloads are manageable' : `Closing line of page ${p + 1}.`,
        x: 72,
        y: 80,
      },
    ]);
    const text = await pdfToText(await placed(pages));
    const lines = text.split('\n');
    expect(lines.filter((l) => /Annual unannounced|Ref: UCRA|^Page \d/.test(l))).toEqual([]);
    expect(
      lines.filter((l) => l === '• Thresholds are well understood by partner agencies'),
    ).toHaveLength(2);
    expect(lines.filter((l) => l === '• Caseloads are manageable')).toHaveLength(2);
    expect(lines.filter((l) => l === '\f')).toHaveLength(5);
    for (let p = 1; p <= 6; p += 1) expect(lines).toContain(`A paragraph on page ${p}.`);
  });

  it('keeps a header that repeats on fewer than half of the pages', async () => {
    const pages = Array.from({ length: 5 }, (_, p) => [
      ...(p < 2 ? [{ text: 'Children’s services: summary of findings', x: 72, y: 800 }] : []),
      { text: `Body text of page ${p + 1}.`, x: 72, y: 500 },
    ]);
    const lines = (await pdfToText(await placed(pages))).split('\n');
    expect(lines.filter((l) => l === 'Children’s services: summary of findings')).toHaveLength(2);
  });
});

describe('drawn marks from pdf.js operator lists', () => {
  it('places small painted shapes on the page through transforms, forms and subpaths', () => {
    // pdf.js path data: 0 moveTo x y, 1 lineTo x y, 4 closePath.
    const squares = new Float32Array([
      0, 0, 0, 1, 4, 0, 1, 4, 4, 1, 0, 4, 4, 0, 100, 100, 1, 104, 100, 1, 104, 104, 4,
    ]);
    const big = new Float32Array([0, 0, 0, 1, 300, 0, 1, 300, 300, 4]);
    const thin = new Float32Array([0, 0, 50, 1, 3, 50]);
    const marks = marksFromOperators(
      [
        OPS.save,
        OPS.transform,
        OPS.paintFormXObjectBegin,
        OPS.constructPath,
        OPS.paintFormXObjectEnd,
        OPS.restore,
        OPS.constructPath,
        OPS.constructPath,
        OPS.constructPath,
      ],
      [
        null,
        [2, 0, 0, 2, 10, 10],
        [[1, 0, 0, 1, 50, 0], null],
        [OPS.fill, [squares], null],
        null,
        null,
        [OPS.stroke, [squares.slice(0, 13)], null],
        [OPS.fill, [big], null],
        [OPS.endPath, [thin], null],
      ],
    );
    expect(marks).toEqual([
      { x0: 110, y0: 10, x1: 118, y1: 18, filled: true },
      { x0: 310, y0: 210, x1: 318, y1: 218, filled: true },
      { x0: 0, y0: 0, x1: 4, y1: 4, filled: false },
    ]);
  });
});

describe('layoutPdfText on any input', () => {
  it('is deterministic and never throws with drawn marks anywhere', () => {
    const number = fc.oneof(
      fc.double({ min: -2000, max: 2000, noNaN: true }),
      fc.constantFrom(0, Number.NaN, Number.POSITIVE_INFINITY),
    );
    const item = fc.record({
      str: fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('Strengths', 'Page 1 of 2', '•')),
      transform: fc
        .tuple(
          fc.constantFrom(11, 8.5, 7),
          fc.integer({ min: 30, max: 560 }),
          fc.integer({ min: 20, max: 820 }),
        )
        .map(([size, x, y]) => [size, 0, 0, size, x, y]),
      width: fc.oneof(number, fc.integer({ min: 1, max: 480 })),
      height: fc.constant(11),
      fontName: fc.constantFrom('g_d0_f1', 'g_d0_f2'),
    });
    const mark = fc
      .tuple(
        fc.integer({ min: 0, max: 595 }),
        fc.integer({ min: 0, max: 842 }),
        fc.integer({ min: 0, max: 12 }),
        number,
      )
      .map(([x, y, s, junk]) => ({
        x0: x,
        y0: y,
        x1: x + s,
        y1: y + (Number.isFinite(junk) ? s : junk),
      }));
    const pages = fc.array(
      fc.record({
        view: fc.constantFrom([0, 0, 595.28, 841.89], [0, 0, 0, 0]),
        items: fc.array(item, { maxLength: 30 }),
        marks: fc.array(mark, { maxLength: 10 }),
      }),
      { maxLength: 4 },
    );
    fc.assert(
      fc.property(pages, (input: PdfPageText[]) => {
        const text = layoutPdfText(input);
        expect(layoutPdfText(input)).toBe(text);
        const lines = text.split('\n');
        expect(lines.every((l) => l === '\f' || l === '' || l.trim() === l)).toBe(true);
        expect(lines.some((l, i) => l === '' && lines[i + 1] === '')).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});
