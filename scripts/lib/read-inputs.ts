import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { LETTER_EXTENSIONS } from '@/core/letter-file-types';

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
