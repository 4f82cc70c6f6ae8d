import { type Block, blocksToText } from './blocks';
import { decodeAs } from './decode-text';
import { UnreadableFileError, type ReadFormat } from './types';

/** Groups whose text is not the document's body (tables of fonts and styles, headers, fields' code). */
const SKIPPED_DESTINATIONS = new Set([
  'fonttbl',
  'colortbl',
  'stylesheet',
  'info',
  'pict',
  'header',
  'headerl',
  'headerr',
  'headerf',
  'footer',
  'footerl',
  'footerr',
  'footerf',
  'listtable',
  'listoverridetable',
  'rsidtbl',
  'generator',
  'xmlnstbl',
  'themedata',
  'colorschememapping',
  'latentstyles',
  'datastore',
  'pgdsctbl',
  'fldinst',
  'object',
  'objdata',
  'shp',
  'shpinst',
  'nonshppict',
  'footnote',
  'annotation',
  'atnid',
  'atnauthor',
  'revtbl',
  'filetbl',
  'userprops',
  'docvar',
  'pnseclvl',
  'pntxta',
  'pntxtb',
  'bkmkstart',
  'bkmkend',
  'template',
  'operator',
  'title',
  'author',
]);
/** Groups that hold a list item's bullet or number as text: the paragraph is a list item. */
const LIST_TEXT = new Set(['listtext', 'pntext']);
/** Control words that stand for a character. */
const SYMBOLS: Record<string, string> = {
  tab: ' ',
  emdash: '—',
  endash: '–',
  lquote: '‘',
  rquote: '’',
  ldblquote: '“',
  rdblquote: '”',
  bullet: '•',
  emspace: ' ',
  enspace: ' ',
  qmspace: ' ',
  line: '\n',
};

interface GroupState {
  skip: boolean;
  /** Characters to skip after `\uN` (the `\ucN` of the group). */
  uc: number;
  /** True until the group's first word or text: where a destination word must stand. */
  start: boolean;
}

/**
 * Reads RTF (as Word and LibreOffice write it) into blocks: paragraphs at `\par`, table cells,
 * list items (a `\ls` paragraph or one with list text), page breaks; fonts, styles, headers,
 * footers, pictures and fields' code are skipped. No RTF library on npm reads in both Node and a
 * web worker and is kept up, and the part of RTF a letter uses is small.
 */
export function rtfToBlocks(rtf: string): Block[] {
  const codepage = /\\ansicpg(\d+)/.exec(rtf.slice(0, 2000))?.[1] ?? '1252';
  const blocks: Block[] = [];
  let paragraph = '';
  let bytes: number[] = [];
  let item = false;
  let state: GroupState = { skip: false, uc: 1, start: false };
  const stack: GroupState[] = [];
  let skipChars = 0;

  const flushBytes = (): void => {
    if (bytes.length === 0) return;
    const text = decodeAs(Uint8Array.from(bytes), `cp${codepage}`);
    bytes = [];
    if (!state.skip) paragraph += text;
  };
  const emit = (text: string): void => {
    flushBytes();
    if (skipChars > 0) {
      skipChars -= 1;
      return;
    }
    if (!state.skip) paragraph += text;
  };
  const endParagraph = (): void => {
    flushBytes();
    if (paragraph.trim().length > 0)
      blocks.push({ kind: item ? 'item' : 'paragraph', text: paragraph });
    paragraph = '';
  };

  let i = 0;
  const n = rtf.length;
  while (i < n) {
    const ch = rtf[i] as string;
    if (ch === '{') {
      flushBytes();
      stack.push(state);
      state = { ...state, start: true };
      i += 1;
      continue;
    }
    if (ch === '}') {
      flushBytes();
      state = stack.pop() ?? { skip: false, uc: 1, start: false };
      i += 1;
      continue;
    }
    if (ch === '\r' || ch === '\n') {
      i += 1;
      continue;
    }
    if (ch !== '\\') {
      state.start = false;
      emit(ch);
      i += 1;
      continue;
    }
    // A control word (letters, an optional number, one optional space) or a control symbol.
    const next = rtf[i + 1] ?? '';
    if (/[a-zA-Z]/.test(next)) {
      const match = /^\\([a-zA-Z]{1,32})(-?\d{1,10})? ?/.exec(rtf.slice(i, i + 48));
      const word = match?.[1] ?? '';
      const param = match?.[2] === undefined ? null : Number(match[2]);
      i += match?.[0].length ?? 1;
      const atStart = state.start;
      state.start = false;
      if (atStart && SKIPPED_DESTINATIONS.has(word)) {
        state.skip = true;
        continue;
      }
      if (atStart && LIST_TEXT.has(word)) {
        item = true;
        state.skip = true;
        continue;
      }
      if (state.skip) continue;
      if (word === 'u' && param !== null) {
        flushBytes();
        if (!state.skip) paragraph += String.fromCharCode(param < 0 ? param + 65536 : param);
        skipChars = state.uc;
        continue;
      }
      if (skipChars > 0) {
        skipChars -= 1;
        continue;
      }
      if (word === 'uc' && param !== null) state.uc = param;
      else if (word === 'par' || word === 'cell' || word === 'row' || word === 'sect')
        endParagraph();
      else if (word === 'pard') item = false;
      else if (word === 'ls' || word === 'pnlvlblt' || word === 'ilvl') item = true;
      else if (word === 'page') {
        endParagraph();
        blocks.push({ kind: 'page-break' });
      } else if (word in SYMBOLS) emit(SYMBOLS[word] as string);
      continue;
    }
    i += 2;
    if (next === '*') {
      // An optional destination this reader does not know: its words are not the body.
      state.skip = true;
      continue;
    }
    state.start = false;
    if (next === "'") {
      const hex = rtf.slice(i, i + 2);
      i += 2;
      if (state.skip) continue;
      if (skipChars > 0) {
        skipChars -= 1;
        continue;
      }
      bytes.push(Number.parseInt(hex, 16) || 0x3f);
      continue;
    }
    if (next === '\\' || next === '{' || next === '}') emit(next);
    else if (next === '~') emit(' ');
    else if (next === '_') emit('-');
    else if (next === '\n' || next === '\r') endParagraph();
  }
  endParagraph();
  return blocks;
}

/** Rich Text Format, as Word and LibreOffice save it. */
export const readRtfFile: ReadFormat = (bytes) => {
  const head = String.fromCharCode(...bytes.subarray(0, 5));
  if (head !== '{\\rtf')
    throw new UnreadableFileError('not an RTF document: it does not start with {\\rtf');
  let rtf = '';
  for (let i = 0; i < bytes.length; i += 8192)
    rtf += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return blocksToText(rtfToBlocks(rtf));
};
