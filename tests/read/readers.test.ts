import { readFileSync } from 'node:fs';
import path from 'node:path';
import { zipSync, strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { decodeText, NotTextError } from '@/core/read/decode-text';
import { htmlToText } from '@/core/read/html';
import {
  LETTER_EXTENSIONS,
  FORMATS,
  readDocuments,
  unsupportedTypeReason,
} from '@/core/read/registry';
import { rtfToBlocks } from '@/core/read/rtf';
import { readDocFile } from '@/core/read/doc';
import { blocksToText } from '@/core/read/blocks';
import { pdfToText } from '../../scripts/lib/read-pdf';
import { ROOT } from '../helpers/gold';

const context = { readPdf: pdfToText };
const fixture = (...parts: string[]) =>
  new Uint8Array(readFileSync(path.join(ROOT, 'tests/fixtures/formats', ...parts)));

describe('decodeText', () => {
  it('reads Windows-1252 punctuation as the characters it stands for, not C1 controls', () => {
    // 0x92 ’, 0x93 “, 0x94 ”, 0x96 –, 0x85 …, 0xA3 £: what Word saved as "ANSI".
    const bytes = Uint8Array.from([
      0x93, 0x43, 0x68, 0x69, 0x6c, 0x64, 0x72, 0x65, 0x6e, 0x92, 0x73, 0x94, 0x20, 0x96, 0x20,
      0x85, 0x20, 0xa3, 0x35,
    ]);
    expect(decodeText(bytes)).toBe('“Children’s” – … £5');
  });

  it('reads a whole letter saved as Windows-1252 (a fixture) with no C1 controls left', () => {
    const text = decodeText(fixture('cp1252', '000_488baf585f532fcc.txt'));
    expect(text).toMatch(/children’s/);
    expect(text).not.toMatch(/[\u0080-\u009f]/);
  });

  it('reads UTF-8 with and without a BOM, and UTF-16 either way round, with or without a BOM', () => {
    const words = 'Siân’s “letter” – 12 août';
    const utf8 = new TextEncoder().encode(words);
    const le = Uint8Array.from(
      [...words].flatMap((c) => [c.charCodeAt(0) & 0xff, c.charCodeAt(0) >> 8]),
    );
    const be = Uint8Array.from(
      [...words].flatMap((c) => [c.charCodeAt(0) >> 8, c.charCodeAt(0) & 0xff]),
    );
    expect(decodeText(utf8)).toBe(words);
    expect(decodeText(Uint8Array.from([0xef, 0xbb, 0xbf, ...utf8]))).toBe(words);
    expect(decodeText(Uint8Array.from([0xff, 0xfe, ...le]))).toBe(words);
    expect(decodeText(Uint8Array.from([0xfe, 0xff, ...be]))).toBe(words);
    expect(decodeText(le)).toBe(words);
    expect(decodeText(be)).toBe(words);
    expect(decodeText(fixture('utf16', '000_488baf585f532fcc.txt'))).toMatch(
      /Dear Ms Welbourn[^]*North Yorkshire/,
    );
  });

  it('refuses binary data', () => {
    expect(() => decodeText(Uint8Array.from([0x50, 0x4b, 3, 4, 0, 0, 0x14, 0, 9, 0]))).toThrow(
      NotTextError,
    );
  });
});

describe('the web-page reader', () => {
  const page = (letter: string) => `<!DOCTYPE html><html><head><title>T</title>
    <script>var banner = "x";</script><style>p { color: red }</style></head><body>
    <div id="ukgwa-banner">The National Archives. This is an archived page.</div>
    <div id="header"><ul id="topnav"><li><a href="#">Home</a></li><li>Contact us</li></ul></div>
    <div class="breadcrumb">You are here: Home &gt; Inspection reports</div>
    <nav><ul><li>Inspection reports</li></ul></nav>
    <div id="content"><h1>Annual unannounced inspection</h1>${letter}</div>
    <div class="downloads"><h3>Downloads</h3><ul><li>Letter (PDF, 52 KB)</li></ul></div>
    <div id="footer">© Crown copyright</div></body></html>`;

  it('keeps the letter’s headings, paragraphs and items and drops the page around it', () => {
    const text = htmlToText(
      page(`<div id="letter"><p>26 November 2009</p><p>Mrs A Kettle<br>Thurrock Council</p>
      <p>Dear Mrs Kettle</p><h3>Strengths</h3><ul><li><p class="MsoNormal">Staff are
      well&nbsp;supported.</p></li><li>Partners understand thresholds: <ul><li>schools</li>
      <li>health visitors</li></ul></li></ul><p>Yours sincerely</p></div>`),
    );
    expect(text).toBe(
      [
        '26 November 2009',
        'Mrs A Kettle\nThurrock Council',
        'Dear Mrs Kettle',
        'Strengths',
        '• Staff are well supported.',
        '• Partners understand thresholds: schools health visitors',
        'Yours sincerely',
      ].join('\n\n') + '\n',
    );
  });

  it('reads a page without a salutation whole, less its furniture; a table row of words is one line', () => {
    const text = htmlToText(
      page(`<table><tr><th>Publication date</th><td>3 December 2009</td></tr></table>
      <p>Report to the Children's Trust Board</p>`),
    );
    expect(text).toContain('Publication date 3 December 2009');
    expect(text).toContain("Report to the Children's Trust Board");
    expect(text).not.toMatch(
      /National Archives|Home|You are here|Downloads|Crown copyright|banner/,
    );
  });
});

describe('a web page saved by Word', () => {
  it('reads its mso-list paragraphs as items, their Symbol or Wingdings glyphs left out', () => {
    const item = (glyph: string, font: string, text: string) =>
      `<p class=MsoListParagraph style='text-indent:-18.0pt;mso-list:l0 level1 lfo1'><![if !supportLists]><span style='font-family:${font}'>${glyph}<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;&nbsp; </span></span><![endif]>${text}</p>`;
    const text = htmlToText(`<html><body><div class=WordSection1>
      <p class=MsoNormal>Dear Ms Smith</p><p class=MsoNormal><b>Strengths</b></p>
      ${item('·', 'Symbol', 'Staff are well supported.')}
      ${item('§', 'Wingdings', 'Thresholds are clear.')}
      <p class=MsoNormal>Yours sincerely</p></div></body></html>`);
    expect(text).toBe(
      'Dear Ms Smith\n\nStrengths\n\n• Staff are well supported.\n\n• Thresholds are clear.\n\nYours sincerely\n',
    );
  });
});

describe('the RTF reader', () => {
  it('gives paragraphs and list items, escapes decoded, headers and hidden groups left out', () => {
    const rtf = String.raw`{\rtf1\ansi\ansicpg1252\uc1{\fonttbl{\f0 Arial;}}{\*\generator Test;}
{\header\pard Page 1 of 2\par}
\pard Dear Ms Smith\par
\pard\ls1{\listtext\'95\tab}Children\'92s views are recorded \u8211? always.\par
\pard\plain{\pntext\f1\'b7\tab}Supervision is regular.\par
\pard Yours sincerely\par}`;
    expect(blocksToText(rtfToBlocks(rtf))).toBe(
      'Dear Ms Smith\n\n• Children’s views are recorded – always.\n\n• Supervision is regular.\n\nYours sincerely\n',
    );
  });
});

describe('readers chosen by the registry', () => {
  it('names every accepted type when it refuses one', () => {
    expect(unsupportedTypeReason('notes.xlsx')).toMatch(
      /unsupported file type "\.xlsx": expected \.txt, \.md, \.pdf, \.html, \.docx, \.doc, \.odt, \.rtf, \.zip/,
    );
    for (const ext of [
      '.txt',
      '.md',
      '.pdf',
      '.html',
      '.htm',
      '.docx',
      '.doc',
      '.odt',
      '.rtf',
      '.zip',
    ])
      expect(LETTER_EXTENSIONS).toContain(ext);
    const all = FORMATS.flatMap((r) => [...r.extensions, ...(r.aliases ?? [])]);
    expect(new Set(all).size).toBe(all.length);
  });

  it('gives a reason, not a crash, for a file that is not what its name says', async () => {
    const junk = new TextEncoder().encode('this is not a word document');
    for (const name of ['a.docx', 'a.doc', 'a.odt', 'a.rtf', 'a.pdf', 'a.zip']) {
      const [result] = await readDocuments(name, junk, context);
      expect(result?.ok, name).toBe(false);
      expect(result && !result.ok && result.reason, name).toMatch(/^(not|corrupt)/);
    }
    expect(() => readDocFile(junk, context)).toThrow(/not a readable Word 97-2003 document/);
    const [empty] = await readDocuments('a.txt', new Uint8Array(0), context);
    expect(empty).toEqual({ name: 'a.txt', ok: false, reason: 'empty file' });
  });

  it('reads a zip member by member, by name, archives inside it too, and rejects the rest one by one', async () => {
    const letter = fixture('seeds-html', '001_01074a0f891bb9e6.html');
    const inner = zipSync({ 'b.rtf': fixture('lo-rtf', 'ucra_oldham_2010-06.rtf') });
    const zip = zipSync({
      'a.html': letter,
      'deeper/inner.zip': inner,
      'sheet.xlsx': strToU8('x'),
      'empty.txt': new Uint8Array(0),
      '__MACOSX/._a.html': strToU8('resource fork'),
      '.DS_Store': strToU8('x'),
    });
    const results = await readDocuments('letters.zip', zip, context);
    expect(results.map((r) => [r.name, r.ok])).toEqual([
      ['letters.zip/a.html', true],
      ['letters.zip/deeper/inner.zip/b.rtf', true],
      ['letters.zip/empty.txt', false],
      ['letters.zip/sheet.xlsx', false],
    ]);
    const [bad] = await readDocuments('bad.zip', strToU8('PK not really'), context);
    expect(bad).toMatchObject({ name: 'bad.zip', ok: false });
    expect(await readDocuments('none.zip', zipSync({}), context)).toEqual([
      { name: 'none.zip', ok: false, reason: 'an empty zip archive' },
    ]);
  });
});
