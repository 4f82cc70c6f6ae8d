import { unzipSync } from 'fflate';
import { UnreadableFileError } from './types';

/** A member of a zip larger than this once unpacked is refused (a zip bomb, not a letter). */
export const MAX_MEMBER_BYTES = 200 * 1024 * 1024;

/** True for a member that is no document: a folder, macOS resource forks, hidden files. */
function isClutter(name: string): boolean {
  return (
    name.endsWith('/') ||
    name.startsWith('__MACOSX/') ||
    name.split('/').some((part) => part.startsWith('.')) ||
    /(^|\/)(Thumbs\.db|desktop\.ini)$/i.test(name)
  );
}

/** A zip's member, unpacked, or the reason it cannot be. */
export type ZipMember = { name: string; bytes: Uint8Array } | { name: string; reason: string };

/**
 * Unpacks a zip's documents in name order, each by its path inside the zip; a member too big to
 * be a letter is given with its reason. A file that is not a readable zip throws.
 */
export function unzipMembers(bytes: Uint8Array): ZipMember[] {
  const tooBig: string[] = [];
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, {
      filter: (file) => {
        if (isClutter(file.name)) return false;
        if (file.originalSize > MAX_MEMBER_BYTES) {
          tooBig.push(file.name);
          return false;
        }
        return true;
      },
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new UnreadableFileError(`not a readable zip archive: ${message}`);
  }
  const members: ZipMember[] = Object.entries(files).map(([name, data]) => ({ name, bytes: data }));
  for (const name of tooBig)
    members.push({ name, reason: `over ${MAX_MEMBER_BYTES / 1024 / 1024} MB once unpacked` });
  return members.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** How deep archives inside archives are opened. */
export const MAX_ARCHIVE_DEPTH = 3;

/**
 * A document found in an archive: its name (`letters.zip/more/a.docx`), its path through the
 * archives from the outermost in, and its bytes; or a member that cannot be one, with the reason.
 */
export type ArchiveEntry =
  { name: string; path: string[]; bytes: Uint8Array } | { name: string; reason: string };

/**
 * Every document in an archive named `label`, in name order, archives inside it opened in place
 * (to {@link MAX_ARCHIVE_DEPTH}); an unreadable or empty archive is one entry with its reason.
 * `isArchive` tells which members are archives (the registry's list of archive types).
 */
export function walkArchive(
  bytes: Uint8Array,
  label: string,
  isArchive: (name: string) => boolean,
  path: readonly string[] = [],
): ArchiveEntry[] {
  let members: ZipMember[];
  try {
    members = unzipMembers(bytes);
  } catch (error) {
    if (error instanceof UnreadableFileError) return [{ name: label, reason: error.message }];
    throw error;
  }
  if (members.length === 0) return [{ name: label, reason: 'an empty zip archive' }];
  const entries: ArchiveEntry[] = [];
  for (const member of members) {
    const name = `${label}/${member.name}`;
    const memberPath = [...path, member.name];
    if ('reason' in member) entries.push({ name, reason: member.reason });
    else if (!isArchive(member.name)) entries.push({ name, path: memberPath, bytes: member.bytes });
    else if (memberPath.length >= MAX_ARCHIVE_DEPTH)
      entries.push({ name, reason: 'an archive nested too deep inside archives' });
    else entries.push(...walkArchive(member.bytes, name, isArchive, memberPath));
  }
  return entries;
}
