/** Why a file's bytes are not a text letter. */
export class NotTextError extends Error {
  override name = 'NotTextError';
}

/**
 * Decodes a file's bytes as text: UTF-8 (with or without BOM), UTF-16 with a BOM, or else
 * Windows-1252, which is what older Word exports of these letters use.
 */
export function decodeText(bytes: Uint8Array): string {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe)
    return new TextDecoder('utf-16le').decode(bytes);
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff)
    return new TextDecoder('utf-16be').decode(bytes);
  if (bytes.includes(0)) throw new NotTextError('not text: the file holds binary data (NUL bytes)');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    text = new TextDecoder('windows-1252').decode(bytes);
  }
  // eslint-disable-next-line no-control-regex
  const controls = (text.match(/[\u0000-\u0008\u000E-\u001A\u001C-\u001F]/g) ?? []).length;
  if (text.length > 0 && controls / text.length > 0.01)
    throw new NotTextError('not text: the file is mostly control characters');
  return text;
}
