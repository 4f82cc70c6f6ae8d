/** File extensions a letter may come in. */
export const LETTER_EXTENSIONS: readonly string[] = ['.txt', '.md', '.pdf'];

/** A file name's extension in lower case with its dot (`.pdf`), or '' (as Node's `path.extname`). */
export function extensionOf(name: string): string {
  const base = name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot).toLowerCase() : '';
}

/** The reason a file of another type than `.txt`, `.md` or `.pdf` is rejected, or null. */
export function unsupportedTypeReason(name: string): string | null {
  const extension = extensionOf(name);
  if (LETTER_EXTENSIONS.includes(extension)) return null;
  return `unsupported file type "${extension || '(none)'}": expected .txt, .md or .pdf`;
}
