/**
 * The one place formats are chosen: every reader, by extension, for the ingest CLI and the page
 * alike. Adding a format is a file in this folder and a line in `FORMATS`. Readers are loaded on
 * the first file of their kind, so that this list costs nothing where no file is read (the page's
 * own thread checks names against it) and mammoth or cfb load only for a Word file.
 */
import { UnreadableFileError, type ReadContext, type ReadFormat } from './types';

/** One format: the extensions it is chosen by, and its reader. */
export interface FormatEntry {
  /** Lower-case extensions with their dot, named when a file of another type is refused. */
  extensions: readonly string[];
  /** Other extensions the same files come under, taken but not named. */
  aliases?: readonly string[];
  load: () => Promise<ReadFormat>;
}

export const FORMATS: readonly FormatEntry[] = [
  {
    extensions: ['.txt', '.md'],
    aliases: ['.text', '.markdown'],
    load: async () => (await import('./text')).readTextFile,
  },
  { extensions: ['.pdf'], load: async () => (await import('./pdf')).readPdfFile },
  {
    extensions: ['.html'],
    aliases: ['.htm', '.xhtml'],
    load: async () => (await import('./html')).readHtmlFile,
  },
  {
    extensions: ['.docx'],
    aliases: ['.docm', '.dotx'],
    load: async () => (await import('./docx')).readDocxFile,
  },
  {
    extensions: ['.doc'],
    aliases: ['.dot'],
    load: async () => (await import('./doc')).readDocFile,
  },
  {
    extensions: ['.odt'],
    aliases: ['.fodt'],
    load: async () => (await import('./odt')).readOdtFile,
  },
  { extensions: ['.rtf'], load: async () => (await import('./rtf')).readRtfFile },
];

/** Extensions of archives read as folders of letters (`zip.ts`). */
export const ARCHIVE_EXTENSIONS: readonly string[] = ['.zip'];

/** Every extension a letter may come in, archives included (lower case, with the dot). */
export const LETTER_EXTENSIONS: readonly string[] = [
  ...FORMATS.flatMap((format) => [...format.extensions, ...(format.aliases ?? [])]),
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
  return (
    FORMATS.find(
      (format) => format.extensions.includes(extension) || format.aliases?.includes(extension),
    ) ?? null
  );
}

/** The reason a file of a type no reader takes is rejected, or null. */
export function unsupportedTypeReason(name: string): string | null {
  const extension = extensionOf(name);
  if (LETTER_EXTENSIONS.includes(extension)) return null;
  const expected = [...FORMATS.flatMap((format) => format.extensions), ...ARCHIVE_EXTENSIONS];
  return `unsupported file type "${extension || '(none)'}": expected ${expected.join(', ')}`;
}

/** What reading one document gave: its structured text, or the one-line reason it cannot be read. */
export type ReadOutcome =
  { name: string; ok: true; text: string } | { name: string; ok: false; reason: string };

/**
 * Readers already loaded, by format. A module's `import()` is cached, but each call still goes
 * through the module loader's resolution (under tsx, a round trip to its loader thread: some
 * 1.5 ms a file, more than reading a text letter takes).
 */
const loaded = new Map<FormatEntry, ReadFormat>();

/** Loads a format's reader; kept once it has loaded (a failed load is tried again next time). */
async function loadReader(format: FormatEntry): Promise<ReadFormat> {
  const read = await format.load();
  loaded.set(format, read);
  return read;
}

/** Reads one document (not an archive) into structured text; only a bug throws. */
export async function readDocument(
  name: string,
  bytes: Uint8Array,
  context: ReadContext,
): Promise<ReadOutcome> {
  const format = formatOf(name);
  if (!format) return { name, ok: false, reason: unsupportedTypeReason(name) ?? 'unsupported' };
  if (bytes.length === 0) return { name, ok: false, reason: 'empty file' };
  const read = loaded.get(format) ?? (await loadReader(format));
  try {
    return { name, ok: true, text: await read(bytes, context) };
  } catch (error) {
    if (error instanceof UnreadableFileError) return { name, ok: false, reason: error.message };
    throw error;
  }
}

/**
 * Reads a file into its documents: one for a document, one per member for a zip (named
 * `archive.zip/member.docx`, archives inside it opened too), each with its text or its reason.
 */
export async function readDocuments(
  name: string,
  bytes: Uint8Array,
  context: ReadContext,
): Promise<ReadOutcome[]> {
  if (!isArchive(name)) return [await readDocument(name, bytes, context)];
  const { walkArchive } = await import('./zip');
  const out: ReadOutcome[] = [];
  for (const entry of walkArchive(bytes, name, isArchive))
    out.push(
      'reason' in entry
        ? { name: entry.name, ok: false, reason: entry.reason }
        : await readDocument(entry.name, entry.bytes, context),
    );
  return out;
}
