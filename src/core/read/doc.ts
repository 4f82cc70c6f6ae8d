import CFB from 'cfb';
import { type Block, blocksToText } from './blocks';
import { decodeAs } from './decode-text';
import { UnreadableFileError, type ReadFormat } from './types';

/** A stream of the compound file as bytes, or null when the file has none of that name. */
function stream(container: CFB.CFB$Container, name: string): Uint8Array | null {
  const entry = CFB.find(container, name);
  if (!entry?.content) return null;
  return entry.content instanceof Uint8Array ? entry.content : Uint8Array.from(entry.content);
}

/**
 * The main document's characters, in order, from the piece table of a Word 97-2003 file
 * ([MS-DOC] 2.4.1: the FIB names the table stream and where its Clx is; each piece is either
 * 8-bit Windows-1252 or UTF-16LE text in the WordDocument stream).
 */
function mainText(word: Uint8Array, container: CFB.CFB$Container): string {
  const view = new DataView(word.buffer, word.byteOffset, word.byteLength);
  if (word.length < 68 || view.getUint16(0, true) !== 0xa5ec)
    throw new UnreadableFileError('not a Word 97-2003 document (no Word file information block)');
  const flags = view.getUint16(0x0a, true);
  if (flags & 0x0100) throw new UnreadableFileError('password-protected Word document');
  const table = stream(container, flags & 0x0200 ? '1Table' : '0Table');
  if (!table) throw new UnreadableFileError('damaged Word document: no table stream');
  // The FIB's variable parts: FibRgW (csw words), FibRgLw (cslw longs), FibRgFcLcb pairs.
  const csw = view.getUint16(32, true);
  const lwStart = 34 + csw * 2 + 2;
  const ccpText = view.getInt32(lwStart + 3 * 4, true);
  const cslw = view.getUint16(34 + csw * 2, true);
  const fcLcbStart = lwStart + cslw * 4 + 2;
  const fcClx = view.getUint32(fcLcbStart + 33 * 8, true);
  const lcbClx = view.getUint32(fcLcbStart + 33 * 8 + 4, true);
  const tableView = new DataView(table.buffer, table.byteOffset, table.byteLength);
  if (lcbClx === 0 || fcClx + lcbClx > table.length)
    throw new UnreadableFileError('damaged Word document: its piece table is out of bounds');
  let at = fcClx;
  const end = fcClx + lcbClx;
  while (at < end && table[at] === 0x01) at += 3 + tableView.getInt16(at + 1, true);
  if (table[at] !== 0x02) throw new UnreadableFileError('damaged Word document: no piece table');
  const lcb = tableView.getUint32(at + 1, true);
  const plc = at + 5;
  const pieces = Math.floor((lcb - 4) / 12);
  let text = '';
  for (let p = 0; p < pieces && text.length < ccpText; p += 1) {
    const cpStart = tableView.getUint32(plc + p * 4, true);
    const cpEnd = tableView.getUint32(plc + (p + 1) * 4, true);
    const pcd = plc + (pieces + 1) * 4 + p * 8;
    const fc = tableView.getUint32(pcd + 2, true);
    const length = Math.max(0, cpEnd - cpStart);
    if (fc & 0x40000000) {
      const start = (fc & 0x3fffffff) / 2;
      text += decodeAs(word.subarray(start, start + length), 'windows-1252');
    } else {
      text += decodeAs(word.subarray(fc, fc + length * 2), 'utf16le');
    }
  }
  return text.slice(0, Math.max(0, ccpText));
}

/**
 * Turns Word's special characters into blocks: paragraph and cell marks end a paragraph, a page
 * break is one, a field keeps its shown result and loses its code, objects and notes' marks go.
 */
function wordTextToBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  let paragraph = '';
  // Fields nest: 0x13 opens one, 0x14 ends its code, 0x15 ends it.
  const fields: boolean[] = [];
  const inCode = (): boolean => fields.includes(true);
  const end = (): void => {
    if (paragraph.trim().length > 0) blocks.push({ kind: 'paragraph', text: paragraph });
    paragraph = '';
  };
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    if (code === 0x13) fields.push(true);
    else if (code === 0x14) fields[fields.length - 1] = false;
    else if (code === 0x15) fields.pop();
    else if (inCode()) continue;
    else if (code === 0x0d || code === 0x07) end();
    else if (code === 0x0c) {
      end();
      blocks.push({ kind: 'page-break' });
    } else if (code === 0x0b) paragraph += '\n';
    else if (code === 0x09) paragraph += ' ';
    else if (code === 0x1e) paragraph += '-';
    else if (code < 0x20 || code === 0x1f) continue;
    else paragraph += ch;
  }
  end();
  return blocks;
}

/**
 * A Word 97-2003 document (.doc): SheetJS's cfb opens the compound file, then the main text is
 * read from the piece table. word-extractor reads the same way but needs Node's fs, stream and
 * Buffer, so it cannot run in the page's worker; cfb runs in both.
 */
export const readDocFile: ReadFormat = (bytes) => {
  let container: CFB.CFB$Container;
  try {
    container = CFB.read(bytes, { type: 'array' });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new UnreadableFileError(`not a readable Word 97-2003 document: ${message}`);
  }
  const word = stream(container, 'WordDocument');
  if (!word) throw new UnreadableFileError('not a Word document: no WordDocument stream');
  return blocksToText(wordTextToBlocks(mainText(word, container)));
};
