import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { pdfToText } from './read-pdf';

/** File extensions the ingest reads. */
export const LETTER_EXTENSIONS = ['.txt', '.md', '.pdf'];

/** An input file and the problem found before parsing, if any. */
export interface InputFile {
  path: string;
  /** The name recorded as `source_file`. */
  name: string;
}

/** Expands files and folders (recursively, in name order) into letter files. */
export async function collectInputs(
  paths: string[],
): Promise<{ files: InputFile[]; unsupported: InputFile[]; missing: string[] }> {
  const files: InputFile[] = [];
  const unsupported: InputFile[] = [];
  const missing: string[] = [];
  for (const given of paths) {
    const info = await stat(given).catch(() => null);
    if (!info) {
      missing.push(given);
      continue;
    }
    if (info.isDirectory()) {
      for (const file of await walk(given)) {
        if (LETTER_EXTENSIONS.includes(path.extname(file).toLowerCase()))
          files.push({ path: file, name: path.basename(file) });
      }
    } else if (LETTER_EXTENSIONS.includes(path.extname(given).toLowerCase())) {
      files.push({ path: given, name: path.basename(given) });
    } else {
      unsupported.push({ path: given, name: path.basename(given) });
    }
  }
  return { files, unsupported, missing };
}

/** Every file under a folder, sorted so that runs are deterministic; dot-files are skipped. */
async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const out: string[] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(full)));
    else if (entry.isFile()) out.push(full);
  }
  return out;
}

/** Why a file's bytes are not a text letter. */
export class NotTextError extends Error {}

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

/** Reads and decodes one input file; a PDF's text is laid out from its text layer. */
export async function readLetterFile(file: InputFile): Promise<string> {
  const bytes = new Uint8Array(await readFile(file.path));
  if (path.extname(file.path).toLowerCase() === '.pdf') return pdfToText(bytes);
  return decodeText(bytes);
}
