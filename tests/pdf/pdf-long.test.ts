import { PDFDocument, type PDFFont, type PDFPage, StandardFonts, rgb } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { pdfToText } from '../../scripts/lib/read-pdf';
import { layoutPdfText, type PdfPageText } from '@/core/read/pdf-layout';

// A long PDF drawn here with pdf-lib, as a compilation of many letters comes: 300 pages, each
// with a running header, a reference line and a "Page n of 300" footer, and a body of list items
// whose words repeat across pages at every height, including the very first and last body lines
// of a page, which sit in the bands where headers and footers live. Furniture must go; not one
// list item may.

const PAGES = 300;
const [WIDTH, HEIGHT] = [595.28, 841.89];
const SIZE = 11;
const LEADING = 13.5;
const TOP = 770;
const BOTTOM = 60;

// Findings that recur letter after letter; the first three also open pages, each on about a
// third of them, at the same height.
const POOL = [
  'Thresholds are well understood by partner agencies',
  'Caseloads are manageable',
  'Supervision is regular and recorded',
  'Number undertaken is low',
  'Insufficient referral information from some agencies',
  'Some assessments are not sufficiently analytical',
  'Strategy discussions are held promptly and involve the police',
  'Case records are up to date',
  'Children are seen alone where appropriate',
  'Management oversight is evident on case files',
  'The out of hours service shares information promptly',
  'Staff morale is good',
];
const LONG =
  'Recording practice is inconsistent, not all records are up to date and information is not routinely entered on the electronic recording system, which limits what managers can see.';

/** A small deterministic generator, so that the drawing is the same on every run. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

/** Draws the long PDF; returns it with the list items drawn, in order. */
async function drawLongPdf(): Promise<{ bytes: Uint8Array; items: string[] }> {
  const doc = await PDFDocument.create();
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const italic = await doc.embedFont(StandardFonts.HelveticaOblique);
  const next = random(20090729);
  const items: string[] = [];
  const item = (page: PDFPage, font: PDFFont, text: string, y: number): void => {
    page.drawText('•', { x: 72, y, size: SIZE, font });
    page.drawText(text, { x: 90, y, size: SIZE, font });
  };
  for (let p = 0; p < PAGES; p += 1) {
    const page = doc.addPage([WIDTH, HEIGHT]);
    page.drawText(
      'Annual unannounced inspection of contact, referral and assessment arrangements',
      {
        x: 72,
        y: 805,
        size: 8,
        font: italic,
        color: rgb(0.3, 0.3, 0.3),
      },
    );
    page.drawText(`Ofsted reference UCRA/2010/${4000 + Math.floor(p / 3)}`, {
      x: 400,
      y: 792,
      size: 8,
      font: regular,
    });
    const footer = `Page ${p + 1} of ${PAGES}`;
    page.drawText(footer, {
      x: (WIDTH - regular.widthOfTextAtSize(footer, 9)) / 2,
      y: 30,
      size: 9,
      font: regular,
    });
    let y = TOP;
    // Every page opens with one of the first three findings, at the same height.
    const first = POOL[p % 3]!;
    item(page, regular, first, y);
    items.push(first);
    y -= LEADING;
    while (y >= BOTTOM) {
      if (next() < 0.15) y -= 7;
      if (y < BOTTOM) break;
      if (next() < 0.1 && y - LEADING >= BOTTOM) {
        // A two-line item: its first line runs to the right edge.
        const words = LONG.split(' ');
        let cut = words.length;
        while (regular.widthOfTextAtSize(words.slice(0, cut).join(' '), SIZE) > WIDTH - 90 - 72)
          cut -= 1;
        item(page, regular, words.slice(0, cut).join(' '), y);
        page.drawText(words.slice(cut).join(' '), {
          x: 90,
          y: y - LEADING,
          size: SIZE,
          font: regular,
        });
        items.push(LONG);
        y -= 2 * LEADING;
        continue;
      }
      const text = POOL[Math.floor(next() * POOL.length)]!;
      item(page, regular, text, y);
      items.push(text);
      y -= LEADING;
    }
  }
  return { bytes: await doc.save(), items };
}

let drawn: { bytes: Uint8Array; items: string[] };
let text: string;

beforeAll(async () => {
  drawn = await drawLongPdf();
  text = await pdfToText(drawn.bytes);
}, 120_000);

describe('a 300-page PDF of list items that repeat across pages', () => {
  it('is drawn with items at the top and bottom of the body on most pages', () => {
    expect(drawn.items.length).toBeGreaterThan(PAGES * 40);
    // The same finding opens a third of the pages at one height: more than any header needs
    // for the old rule (one repeat), fewer than the majority furniture needs.
    expect(drawn.items.filter((t) => t === POOL[0]).length).toBeGreaterThan(PAGES / 3);
  });

  it('keeps every list item, in order, and nothing of the header, reference or footer', () => {
    const lines = text.split('\n');
    const bullets = lines.filter((l) => l.startsWith('• '));
    expect(bullets).toHaveLength(drawn.items.length);
    const blocks = text
      .split(/\n(?:\f\n)*(?:\n|\f\n?)|\n?\f\n?/)
      .map((b) => b.replace(/\n/g, ' ').trim())
      .filter((b) => b.length > 0);
    expect(blocks).toEqual(drawn.items.map((t) => `• ${t}`));
    expect(lines.filter((l) => /Annual unannounced|Ofsted reference|^Page \d+ of/.test(l))).toEqual(
      [],
    );
    expect(lines.filter((l) => l === '\f')).toHaveLength(PAGES - 1);
  });
});

describe('layout time', () => {
  /** `pages` pages of 50 synthetic lines each, list items and paragraphs. */
  function synthetic(pages: number): PdfPageText[] {
    return Array.from({ length: pages }, (_, p) => ({
      view: [0, 0, WIDTH, HEIGHT],
      items: Array.from({ length: 50 }, (_, i) => {
        const str =
          i % 5 === 0 ? `Paragraph ${p}.${i} of the letter.` : POOL[(p + i) % POOL.length]!;
        return {
          str,
          transform: [SIZE, 0, 0, SIZE, i % 5 === 0 ? 72 : 90, TOP - i * LEADING],
          width: str.length * 5.5,
          height: SIZE,
        };
      }),
      marks: Array.from({ length: 40 }, (_, i) => ({
        x0: 78,
        y0: TOP - i * LEADING + 2,
        x1: 82,
        y1: TOP - i * LEADING + 6,
      })),
    }));
  }

  it('grows about linearly with the number of pages', () => {
    const time = (pages: PdfPageText[]): number => {
      let best = Infinity;
      for (let run = 0; run < 3; run += 1) {
        const start = performance.now();
        layoutPdfText(pages);
        best = Math.min(best, performance.now() - start);
      }
      return best;
    };
    const small = synthetic(200);
    const large = synthetic(1600);
    time(small);
    const ratio = time(large) / Math.max(1, time(small));
    expect(ratio).toBeLessThan(8 * 2.5);
    expect(time(large)).toBeLessThan(5000);
  });
});
