/**
 * The one place formats are chosen: every reader, by extension, for the ingest CLI and the page
 * alike. Adding a format is a file in this folder and a line in `FORMATS`. Readers are loaded on
 * the first file of their kind, so that this list costs nothing where no file is read (the page's
 * own thread checks names against it) and mammoth or cfb load only for a Word file.
 */
import { UnreadableFileError, type ReadContext, type ReadFormat } from './types';

/** One format: the extensions it is chosen by, what it is called, and its reader. */
export interface FormatEntry {
  /** Lower-case extensions with their dot. */
  extensions: readonly string[];
  /** What the format is called in messages ("Word document"). */
  label: string;
  load: () => Promise<ReadFormat>;
}

export const FORMATS: readonly FormatEntry[] = [
  {
    extensions: ['.txt', '.text', '.md', '.markdown'],
    label: 'text file',
    load: async () => (await import('./text')).readTextFile,
  },
  { extensions: ['.pdf'], label: 'PDF', load: async () => (await import('./pdf')).readPdfFile },
  {
    extensions: ['.html', '.htm', '.xhtml'],
    label: 'web page',
    load: async () => (await import('./html')).readHtmlFile,
  },
  {
    extensions: ['.docx', '.docm', '.dotx'],
    label: 'Word document',
    load: async () => (await import('./docx')).readDocxFile,
  },
  {
    extensions: ['.doc', '.dot'],
    label: 'Word 97-2003 document',
    load: async () => (await import('./doc')).readDocFile,
  },
  {
    extensions: ['.odt', '.fodt'],
    label: 'OpenDocument text',
    load: async () => (await import('./odt')).readOdtFile,
  },
  {
    extensions: ['.rtf'],
    label: 'RTF document',
    load: async () => (await import('./rtf')).readRtfFile,
  },
];

/** Extensions of archives read as folders of letters (`zip.ts`). */
export const ARCHIVE_EXTENSIONS: readonly string[] = ['.zip'];

/** Every extension a letter may come in, archives included (lower case, with the dot). */
export const LETTER_EXTENSIONS: readonly string[] = [
  ...FORMATS.flatMap((format) => format.extensions),
  ...ARCHIVE_EXTENSIONS,
];

/** A file name's extension in lower case with its dot (`.pdf`), or '' (as Node's `path.extname`). */
export function extensionOf(name: string): string {
  const base = name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot).toLowerCase() : '';
}

/** True for an archive whose members are read as letters. */
export function isArchive(name: string): boolean {
  return ARCHIVE_EXTENSIONS.includes(extensionOf(name));
}

/** The format of a file, chosen by its extension, or null. */
export function formatOf(name: string): FormatEntry | null {
  const extension = extensionOf(name);
  return FORMATS.find((format) => format.extensions.includes(extension)) ?? null;
}

/** The reason a file of a type no reader takes is rejected, or null. */
export function unsupportedTypeReason(name: string): string | null {
  const extension = extensionOf(name);
  if (LETTER_EXTENSIONS.includes(extension)) return null;
  const expected = ['.txt', '.md', '.pdf', '.html', '.docx', '.doc', '.odt', '.rtf', '.zip'];
  return `unsupported file type "${extension || '(none)'}": expected ${expected.join(', ')}`;
}

/** What reading one document gave: its structured text, or the one-line reason it cannot be read. */
export type ReadOutcome =
  | { name: string; ok: true; text: string; format: string }
  | { name: string; ok: false; reason: string };

/** Reads one document (not an archive) into structured text; only a bug throws. */
export async function readDocument(
  name: string,
  bytes: Uint8Array,
  context: ReadContext,
): Promise<ReadOutcome> {
  const format = formatOf(name);
  if (!format) return { name, ok: false, reason: unsupportedTypeReason(name) ?? 'unsupported' };
  if (bytes.length === 0) return { name, ok: false, reason: 'empty file' };
  const read = await format.load();
  try {
    return { name, ok: true, text: await read(bytes, context), format: format.label };
  } catch (error) {
    if (error instanceof UnreadableFileError) return { name, ok: false, reason: error.message };
    throw error;
  }
}

/** How deep archives inside archives are opened. */
const MAX_ARCHIVE_DEPTH = 3;

/**
 * Reads a file into its documents: one for a document, one per member for a zip (named
 * `archive.zip/member.docx`, archives inside it opened too), each with its text or its reason.
 */
export async function readDocuments(
  name: string,
  bytes: Uint8Array,
  context: ReadContext,
  depth = 0,
): Promise<ReadOutcome[]> {
  if (!isArchive(name)) return [await readDocument(name, bytes, context)];
  if (depth >= MAX_ARCHIVE_DEPTH)
    return [{ name, ok: false, reason: 'an archive nested too deep inside archives' }];
  const { unzipMembers } = await import('./zip');
  let members;
  try {
    members = unzipMembers(bytes);
  } catch (error) {
    if (error instanceof UnreadableFileError) return [{ name, ok: false, reason: error.message }];
    throw error;
  }
  if (members.length === 0) return [{ name, ok: false, reason: 'an empty zip archive' }];
  const out: ReadOutcome[] = [];
  for (const member of members) {
    const full = `${name}/${member.name}`;
    if ('reason' in member) out.push({ name: full, ok: false, reason: member.reason });
    else out.push(...(await readDocuments(full, member.bytes, context, depth + 1)));
  }
  return out;
}
