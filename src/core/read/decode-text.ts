import { Buffer } from 'buffer';
import iconv from 'iconv-lite';
import { UnreadableFileError } from './types';

/** Why a file's bytes are not text. */
export class NotTextError extends UnreadableFileError {
  override name = 'NotTextError';
}

/** The encoding a file's bytes are in, and how many bytes of byte-order mark open them. */
function sniffEncoding(bytes: Uint8Array): { encoding: string; skip: number } | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    return { encoding: 'utf8', skip: 3 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf16le', skip: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf16be', skip: 2 };
  // UTF-16 without a mark: English text has a NUL beside nearly every other byte.
  const sample = Math.min(bytes.length, 4096) & ~1;
  if (sample >= 8) {
    let evenNul = 0;
    let oddNul = 0;
    for (let i = 0; i < sample; i += 2) {
      if (bytes[i] === 0) evenNul += 1;
      if (bytes[i + 1] === 0) oddNul += 1;
    }
    const pairs = sample / 2;
    if (oddNul > pairs * 0.6 && evenNul < pairs * 0.05) return { encoding: 'utf16le', skip: 0 };
    if (evenNul > pairs * 0.6 && oddNul < pairs * 0.05) return { encoding: 'utf16be', skip: 0 };
  }
  return null;
}

/** The bytes as UTF-8, or null when they are not well-formed UTF-8. */
function asUtf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/**
 * Decodes bytes in a named single-byte or Unicode encoding with iconv-lite, the same decoder in
 * Node and in the page (Node 20's own `TextDecoder('windows-1252')` decodes as Latin-1 and gives
 * U+0092 where a closing quote should be).
 */
export function decodeAs(bytes: Uint8Array, encoding: string): string {
  return iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), encoding);
}

/**
 * Decodes a text file's bytes: UTF-8 with or without a BOM, UTF-16 with a BOM (or plainly
 * UTF-16 without one), else Windows-1252, which is what older Word exports of these letters
 * use. Binary data is refused.
 */
export function decodeText(bytes: Uint8Array): string {
  const sniffed = sniffEncoding(bytes);
  let text: string;
  if (sniffed) text = decodeAs(bytes.subarray(sniffed.skip), sniffed.encoding);
  else {
    if (bytes.includes(0))
      throw new NotTextError('not text: the file holds binary data (NUL bytes)');
    text = asUtf8(bytes) ?? decodeAs(bytes, 'windows-1252');
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  // eslint-disable-next-line no-control-regex
  const controls = (text.match(/[\u0000-\u0008\u000E-\u001A\u001C-\u001F]/g) ?? []).length;
  if (text.length > 0 && controls / text.length > 0.01)
    throw new NotTextError('not text: the file is mostly control characters');
  return text;
}
