import { readFileSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { isArchive, LETTER_EXTENSIONS, unsupportedTypeReason } from '@/core/read/registry';
import { UnreadableFileError } from '@/core/read/types';
import { unzipMembers, walkArchive } from '@/core/read/zip';

/** An input document: a file, or a member of a zip (inside zips, as deep as they go). */
export interface InputFile {
  path: string;
  /** The name recorded as `source_file`: the file's name, or `archive.zip/member.docx`. */
  name: string;
  /** For a zip's member, its path inside each archive from the outermost in. */
  member?: string[];
}

/** An input turned away before parsing, and why. */
export interface RejectedInput {
  file: string;
  reason: string;
}

/**
 * Expands files, folders (recursively, in name order) and zips (member by member) into the
 * documents to parse; files of a type no reader takes and unreadable zips are rejected by name.
 */
export async function collectInputs(
  paths: string[],
): Promise<{ files: InputFile[]; rejected: RejectedInput[]; missing: string[] }> {
  const files: InputFile[] = [];
  const rejected: RejectedInput[] = [];
  const missing: string[] = [];
  const add = (file: string, name: string) => {
    if (isArchive(name)) expandArchive(file, name, files, rejected);
    else files.push({ path: file, name });
  };
  for (const given of paths) {
    const info = await stat(given).catch(() => null);
    if (!info) {
      missing.push(given);
      continue;
    }
    if (info.isDirectory()) {
      for (const file of await walk(given)) {
        if (LETTER_EXTENSIONS.includes(path.extname(file).toLowerCase()))
          add(file, path.basename(file));
      }
    } else if (LETTER_EXTENSIONS.includes(path.extname(given).toLowerCase())) {
      add(given, path.basename(given));
    } else {
      const name = path.basename(given);
      rejected.push({ file: name, reason: unsupportedTypeReason(name) ?? 'unsupported file type' });
    }
  }
  return { files, rejected, missing };
}

/** Lists a zip's documents as inputs (archives inside it too); its other members are rejected. */
function expandArchive(
  file: string,
  name: string,
  files: InputFile[],
  rejected: RejectedInput[],
): void {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(file));
  } catch (error) {
    rejected.push({ file: name, reason: `could not be read: ${(error as Error).message}` });
    return;
  }
  for (const entry of walkArchive(bytes, name, isArchive)) {
    const reason = 'reason' in entry ? entry.reason : unsupportedTypeReason(entry.name);
    if (reason !== null) rejected.push({ file: entry.name, reason });
    else if ('path' in entry) files.push({ path: file, name: entry.name, member: entry.path });
  }
}

/** The archives last unpacked, by file and chain of members, so that each is unpacked once. */
let unpacked: { key: string; members: Map<string, Uint8Array> } | null = null;

/** An input's bytes: the file's, or its member's, unpacking each archive once per run of members. */
export function readInput(file: InputFile): Uint8Array {
  if (!file.member) return new Uint8Array(readFileSync(file.path));
  let bytes: Uint8Array = new Uint8Array(0);
  let key = file.path;
  for (const [depth, member] of file.member.entries()) {
    if (unpacked?.key !== key) {
      const source = depth === 0 ? new Uint8Array(readFileSync(file.path)) : bytes;
      const members = new Map<string, Uint8Array>();
      for (const m of unzipMembers(source)) if ('bytes' in m) members.set(m.name, m.bytes);
      unpacked = { key, members };
    }
    const found = unpacked.members.get(member);
    if (!found) throw new UnreadableFileError(`${member} is no longer in ${key}`);
    bytes = found;
    key = `${key}/${member}`;
  }
  return bytes;
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
