import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';
import { lstat, readdir, readlink, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { isArchive, LETTER_EXTENSIONS, unsupportedTypeReason } from '@/core/read/registry';
import { UnreadableFileError } from '@/core/read/types';
import { archiveBudget, unzipMembers, walkArchive } from '@/core/read/zip';

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
 * A document (not an archive) bigger than this is refused unread: the biggest letter is well
 * under a megabyte, and reading a file means holding it whole. The same as a zip member's limit.
 */
export const MAX_FILE_BYTES = 200 * 1024 * 1024;

/** A file system error in a few plain words, for a one-line reason. */
export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOENT':
      return 'it is no longer there';
    case 'EISDIR':
      return 'a folder, not a file';
    case 'ELOOP':
      return 'a loop of symbolic links';
    case 'EIO':
      return 'an input/output error (a damaged disk or a lost network drive?)';
    case 'ERR_FS_FILE_TOO_LARGE':
      return 'too big to read';
    default:
      return error instanceof Error ? error.message.split('\n')[0]! : String(error);
  }
}

/** What a file of a kind other than a regular file or folder is, for its reason. */
function otherKind(info: { isFIFO(): boolean; isSocket(): boolean }): string {
  if (info.isFIFO()) return 'a named pipe';
  if (info.isSocket()) return 'a socket';
  return 'a device';
}

/**
 * Expands files, folders (recursively, in name order) and zips (member by member) into the
 * documents to parse. Every file found has a fate: it is read, or rejected by name with a
 * one-line reason (a type no reader takes, a dangling symbolic link, a pipe or device, a folder
 * that cannot be listed, a folder named like a letter with nothing in it, an unreadable zip or
 * member); only dot-files and dot-folders are passed over without a word. Symbolic links are
 * followed, to files and folders alike (a link back into a folder being read is rejected).
 * `missing` lists the paths given that do not exist at all (a usage error).
 */
export async function collectInputs(
  paths: string[],
): Promise<{ files: InputFile[]; rejected: RejectedInput[]; missing: string[] }> {
  const files: InputFile[] = [];
  const rejected: RejectedInput[] = [];
  const missing: string[] = [];
  const reject = (file: string, reason: string) => rejected.push({ file, reason });

  /** Takes one file or folder, `name` being how it is named in reasons. */
  const visit = async (file: string, name: string, open: readonly string[]): Promise<void> => {
    let info;
    try {
      info = await lstat(file);
      if (info.isSymbolicLink()) {
        const target = await readlink(file).catch(() => '?');
        info = await stat(file).catch((error: unknown) => {
          const code = (error as NodeJS.ErrnoException).code;
          reject(
            name,
            code === 'ENOENT'
              ? `a symbolic link to ${target}, which does not exist`
              : `a symbolic link to ${target}, which cannot be followed: ${describeFsError(error)}`,
          );
          return null;
        });
        if (!info) return;
      }
    } catch (error) {
      reject(name, `could not be read: ${describeFsError(error)}`);
      return;
    }
    if (info.isDirectory()) {
      await visitFolder(file, name, open);
      return;
    }
    if (!info.isFile()) {
      reject(name, `${otherKind(info)}, not a file`);
      return;
    }
    const reason = unsupportedTypeReason(name);
    if (reason !== null) reject(name, reason);
    else if (isArchive(name)) expandArchive(file, name, files, rejected);
    else files.push({ path: file, name });
  };

  /** Takes every entry of a folder but dot-files, in name order. */
  const visitFolder = async (
    folder: string,
    name: string,
    open: readonly string[],
  ): Promise<void> => {
    const label = name.endsWith('/') ? name : `${name}/`;
    let real: string;
    let entries: string[];
    try {
      real = await realpath(folder);
      entries = await readdir(folder);
    } catch (error) {
      reject(label, `could not be listed: ${describeFsError(error)}`);
      return;
    }
    if (open.includes(real)) {
      reject(label, 'a symbolic link back into a folder being read (a loop): not read again');
      return;
    }
    const shown = entries.filter((entry) => !entry.startsWith('.')).sort(byCodeUnit);
    // A folder named like a letter (`x.txt/`) that holds nothing was surely meant as a letter.
    if (shown.length === 0 && LETTER_EXTENSIONS.includes(path.extname(folder).toLowerCase())) {
      reject(label, 'a folder, not a letter file, and there is nothing in it');
      return;
    }
    for (const entry of shown) await visit(path.join(folder, entry), entry, [...open, real]);
  };

  for (const given of paths) {
    if (!(await lstat(given).catch(() => null))) {
      missing.push(given);
      continue;
    }
    await visit(given, path.basename(given) || given, []);
  }
  return { files, rejected, missing };
}

function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * A regular file's bytes. Opened without blocking, so that a named pipe put in a file's place
 * never hangs the run; anything but a regular file, or a document over {@link MAX_FILE_BYTES},
 * is refused with its reason.
 */
export function readRegularFile(file: string, limit = MAX_FILE_BYTES): Uint8Array {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    throw new UnreadableFileError(`could not be read: ${describeFsError(error)}`);
  }
  try {
    const info = fstatSync(fd);
    if (info.isDirectory()) throw new UnreadableFileError('a folder, not a file');
    if (!info.isFile()) throw new UnreadableFileError(`${otherKind(info)}, not a file`);
    if (info.size > limit)
      throw new UnreadableFileError(
        `over ${limit / 1024 / 1024} MB: too big to be a letter, not read`,
      );
    return new Uint8Array(readFileSync(fd));
  } catch (error) {
    if (error instanceof UnreadableFileError) throw error;
    throw new UnreadableFileError(`could not be read: ${describeFsError(error)}`);
  } finally {
    closeSync(fd);
  }
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
    bytes = readRegularFile(file, Number.MAX_SAFE_INTEGER);
  } catch (error) {
    rejected.push({ file: name, reason: (error as Error).message });
    return;
  }
  for (const entry of walkArchive(bytes, name, isArchive, [], archiveBudget())) {
    const reason = 'reason' in entry ? entry.reason : unsupportedTypeReason(entry.name);
    if (reason !== null) rejected.push({ file: entry.name, reason });
    else if ('path' in entry) files.push({ path: file, name: entry.name, member: entry.path });
  }
}

/** The archives last unpacked, by file and chain of members, so that each is unpacked once. */
let unpacked: { key: string; members: Map<string, Uint8Array> } | null = null;

/**
 * An input's bytes: the file's, or its member's, unpacking each archive once per run of members.
 * A file that cannot be read throws UnreadableFileError with the reason.
 */
export function readInput(file: InputFile): Uint8Array {
  if (!file.member) return readRegularFile(file.path);
  let bytes: Uint8Array = new Uint8Array(0);
  let key = file.path;
  for (const [depth, member] of file.member.entries()) {
    if (unpacked?.key !== key) {
      const source = depth === 0 ? readRegularFile(file.path, Number.MAX_SAFE_INTEGER) : bytes;
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
