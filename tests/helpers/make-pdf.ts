import { createHash } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';
import { PDFDocument, type PDFFont, type PDFPage, StandardFonts, rgb } from 'pdf-lib';

/** A seed letter drawn as a PDF, with what the drawing did at the page breaks. */
export interface LetterPdf {
  bytes: Uint8Array;
  pages: number;
  /** Every paragraph or list item whose lines run over a page break. */
  splits: PageSplit[];
  /** The running header's lines, as drawn at the top of every page. */
  headerLines: string[];
  /** The letter's own lines as they read on the page, bullets included, in order. */
  bodyLines: string[];
}

/** A paragraph or list item that a page break cut in two, and the lines either side of it. */
export interface PageSplit {
  bullet: boolean;
  lastLineBefore: string;
  firstLineAfter: string;
}

/** How a letter is drawn. */
export interface LetterPdfOptions {
  /** Draw bullets in the Symbol font, as Word does, rather than in Helvetica. */
  symbolBullets?: boolean;
  /** Page width and height in points; A4 unless given. */
  pageSize?: [number, number];
}

/** A paragraph or list item of a seed letter, with its markup taken off. */
interface Block {
  text: string;
  bullet: string | null;
  bold: boolean;
  gapBefore: boolean;
}

/** A4 in points. */
export const A4: [number, number] = [595.28, 841.89];
/** A5 in points: a smaller page turns in other places of the same letter. */
export const A5: [number, number] = [419.53, 595.28];
// Word's default margins, 2.54 cm.
const MARGIN = 72;
const SIZE = 11;
const LEADING = 14;
const PARAGRAPH_GAP = 7;
const HANGING_INDENT = 18;
const HEADER_SIZE = 8;
const FOOTER_SIZE = 9;
const SEED_BULLET_RE = /^([•▪·●*\-–\uF0B7])\s+(.*)$/;
// Glyphs Helvetica's WinAnsi encoding can draw; the others are drawn as "•".
const WIN_ANSI_BULLETS = '•·-–';

/** Reads a seed letter's text into paragraphs and list items, dropping markdown and HTML. */
function readBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  let gap = true;
  for (const raw of text.replace(/\r\n?/g, '\n').split('\n')) {
    const bold = /\*\*|__|^\s*#/.test(raw);
    const line = raw
      .replace(/<\/?[a-zA-Z][^>]*>/g, ' ')
      .replace(/\*\*|__/g, '')
      .replace(/^\s*#+\s*/, '')
      .replace(/\s+/g, ' ')
      .trim();
    if (line.length === 0) {
      gap = true;
      continue;
    }
    const previous = blocks[blocks.length - 1];
    // The seeds keep blank lines where their own source PDF turned a page mid-sentence; the
    // printed letter had one paragraph there.
    if (gap && previous && /^[a-z]/.test(line)) {
      previous.text += ` ${line}`;
      gap = false;
      continue;
    }
    const item = SEED_BULLET_RE.exec(line);
    blocks.push({
      text: item ? (item[2] ?? '') : line,
      bullet: item ? (item[1] ?? '•') : null,
      bold,
      gapBefore: gap,
    });
    gap = false;
  }
  return blocks;
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
 * Draws a seed letter as an A4 PDF: Helvetica, word-wrapped lines, paragraphs separated by
 * space, bullets as glyphs with a hanging indent, a running header repeating the letter's title
 * on every page and a "Page n of N" footer.
 */
export async function makeLetterPdf(
  text: string,
  options: LetterPdfOptions = {},
): Promise<LetterPdf> {
  const [pageWidth, pageHeight] = options.pageSize ?? A4;
  const doc = await PDFDocument.create();
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const italic = await doc.embedFont(StandardFonts.HelveticaOblique);
  const symbol = options.symbolBullets ? await doc.embedFont(StandardFonts.Symbol) : null;
  const blocks = readBlocks(text);
  const title = blocks.find((b) => /unannounced inspection/i.test(b.text))?.text ?? 'Letter';
  const headerLines = wrap(title, italic, HEADER_SIZE, pageWidth - 2 * MARGIN);
  const width = pageWidth - 2 * MARGIN;
  const top = pageHeight - MARGIN - SIZE;
  const pages: PDFPage[] = [];
  let page = doc.addPage([pageWidth, pageHeight]);
  pages.push(page);
  let y = top;
  const splits: PageSplit[] = [];
  const bodyLines: string[] = [];
  for (const block of blocks) {
    if (block.gapBefore && y < top) y -= PARAGRAPH_GAP;
    const indent = block.bullet ? HANGING_INDENT : 0;
    const font = block.bold ? bold : regular;
    const lines = wrap(block.text, font, SIZE, width - indent);
    for (const [i, line] of lines.entries()) {
      if (y < MARGIN) {
        page = doc.addPage([pageWidth, pageHeight]);
        pages.push(page);
        y = top;
        const before = lines[i - 1];
        if (before !== undefined)
          splits.push({
            bullet: block.bullet !== null,
            lastLineBefore: before,
            firstLineAfter: line,
          });
      }
      if (i === 0 && block.bullet) {
        const glyph = symbol || !WIN_ANSI_BULLETS.includes(block.bullet) ? '•' : block.bullet;
        page.drawText(glyph, { x: MARGIN, y, size: SIZE, font: symbol ?? regular });
        bodyLines.push(`${glyph} ${line}`);
      } else bodyLines.push(line);
      page.drawText(line, { x: MARGIN + indent, y, size: SIZE, font });
      y -= LEADING;
    }
  }
  for (const [i, p] of pages.entries()) {
    for (const [j, line] of headerLines.entries())
      p.drawText(line, {
        x: MARGIN,
        y: pageHeight - 36 - j * (HEADER_SIZE + 2),
        size: HEADER_SIZE,
        font: italic,
        color: rgb(0.3, 0.3, 0.3),
      });
    const footer = `Page ${i + 1} of ${pages.length}`;
    const footerWidth = regular.widthOfTextAtSize(footer, FOOTER_SIZE);
    p.drawText(footer, {
      x: (pageWidth - footerWidth) / 2,
      y: 36,
      size: FOOTER_SIZE,
      font: regular,
    });
  }
  return {
    bytes: await doc.save({ useObjectStreams: false }),
    pages: pages.length,
    splits,
    bodyLines,
    headerLines,
  };
}

/** A tiny grey PNG, standing in for a scanned page's image. */
function greyPng(size: number): Uint8Array {
  const chunk = (type: string, data: Buffer): Buffer => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 0, 0, 0, 0], 8);
  const rows = Buffer.alloc((size + 1) * size, 0x99);
  for (let r = 0; r < size; r += 1) rows[r * (size + 1)] = 0;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A two-page PDF as a scanner makes it: an image and a drawn frame, and no text at all. */
export async function makeScannedPdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const image = await doc.embedPng(greyPng(16));
  const [width, height] = A4;
  for (let i = 0; i < 2; i += 1) {
    const page = doc.addPage(A4);
    page.drawImage(image, { x: 36, y: 36, width: width - 72, height: height - 72 });
    page.drawRectangle({ x: 72, y: 600, width: 200, height: 100, borderWidth: 1 });
  }
  return doc.save();
}

/** A file that starts like a PDF and goes on as noise. */
export function makeCorruptPdf(): Uint8Array {
  const noise = new Uint8Array(4096);
  let seed = 20090729;
  for (let i = 0; i < noise.length; i += 1) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    noise[i] = seed >> 16;
  }
  return Buffer.concat([Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1'), noise]);
}

/** RC4, the cipher of the PDF standard security handler's revision 2. */
function rc4(key: Uint8Array, data: Uint8Array): Uint8Array {
  const s = Array.from({ length: 256 }, (_, i) => i);
  let j = 0;
  for (let i = 0; i < 256; i += 1) {
    j = (j + s[i]! + key[i % key.length]!) & 0xff;
    [s[i], s[j]] = [s[j]!, s[i]!];
  }
  const out = new Uint8Array(data.length);
  let i = 0;
  j = 0;
  for (let n = 0; n < data.length; n += 1) {
    i = (i + 1) & 0xff;
    j = (j + s[i]!) & 0xff;
    [s[i], s[j]] = [s[j]!, s[i]!];
    out[n] = data[n]! ^ s[(s[i]! + s[j]!) & 0xff]!;
  }
  return out;
}

const md5 = (...parts: Uint8Array[]): Buffer =>
  createHash('md5').update(Buffer.concat(parts)).digest();

// The padding string of the PDF standard security handler (PDF 1.7, 7.6.3.3, algorithm 2).
const PASSWORD_PAD = Buffer.from(
  '28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a',
  'hex',
);

/** A password padded or cut to 32 bytes, as the standard security handler uses it. */
function padPassword(password: string): Buffer {
  return Buffer.concat([Buffer.from(password, 'latin1'), PASSWORD_PAD]).subarray(0, 32);
}

/**
 * A one-page PDF encrypted by the standard security handler (revision 2, RC4 with a 40-bit key)
 * with a user password, written by hand because pdf-lib cannot encrypt.
 */
export function makeEncryptedPdf(password: string, text: string): Uint8Array {
  const id = md5(Buffer.from(`ucra-${text}`));
  const permissions = -44;
  const ownerKey = md5(padPassword(`${password}-owner`)).subarray(0, 5);
  const owner = rc4(ownerKey, padPassword(password));
  const p = Buffer.alloc(4);
  p.writeInt32LE(permissions);
  const key = md5(padPassword(password), owner, p, id).subarray(0, 5);
  const user = rc4(key, PASSWORD_PAD);
  const content = Buffer.from(
    `BT /F1 12 Tf 72 770 Td (${text.replace(/[\\()]/g, '\\$&')}) Tj ET`,
    'latin1',
  );
  const objectKey = md5(key, Buffer.from([5, 0, 0, 0, 0])).subarray(0, 10);
  const stream = rc4(objectKey, content);
  const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
  const objects: (string | Buffer)[][] = [
    ['<< /Type /Catalog /Pages 2 0 R >>'],
    ['<< /Type /Pages /Kids [3 0 R] /Count 1 >>'],
    [
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    ],
    ['<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>'],
    [`<< /Length ${stream.length} >>\nstream\n`, Buffer.from(stream), '\nendstream'],
    [`<< /Filter /Standard /V 1 /R 2 /O <${hex(owner)}> /U <${hex(user)}> /P ${permissions} >>`],
  ];
  const parts: Buffer[] = [Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let offset = parts[0]!.length;
  const offsets: number[] = [];
  for (const [i, body] of objects.entries()) {
    offsets.push(offset);
    const bytes = Buffer.concat([
      Buffer.from(`${i + 1} 0 obj\n`, 'latin1'),
      ...body.map((b) => (typeof b === 'string' ? Buffer.from(b, 'latin1') : b)),
      Buffer.from('\nendobj\n', 'latin1'),
    ]);
    parts.push(bytes);
    offset += bytes.length;
  }
  const xref = [
    'xref',
    `0 ${objects.length + 1}`,
    '0000000000 65535 f\r',
    ...offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n\r`),
    'trailer',
    `<< /Size ${objects.length + 1} /Root 1 0 R /Encrypt 6 0 R /ID [<${hex(id)}> <${hex(id)}>] >>`,
    'startxref',
    String(offset),
    '%%EOF',
    '',
  ].join('\n');
  parts.push(Buffer.from(xref, 'latin1'));
  return Buffer.concat(parts);
}
