import { unzipSync } from 'fflate';
import { UnreadableFileError } from './types';

/** A member of a zip larger than this once unpacked is refused (a zip bomb, not a letter). */
export const MAX_MEMBER_BYTES = 200 * 1024 * 1024;

/**
 * Every member of an archive and of the archives inside it, together, once unpacked: members
 * past this are refused by name, so that a zip bomb (or an archive too big to hold) never fills
 * the memory. Sizes are taken from the archive's own directory before anything is unpacked, and
 * a member is never unpacked past its stated size.
 */
export const MAX_ARCHIVE_BYTES = 1024 * 1024 * 1024;

/**
 * A member that unpacks to more than this many times its packed size is refused when it is over
 * {@link RATIO_FLOOR_BYTES} once unpacked. Letters pack 2-10 times (a Word file or PDF about once);
 * deflate's most is about 1,030 times, what bombs use.
 */
export const MAX_COMPRESSION_RATIO = 200;
/** Members smaller than this once unpacked are never refused for their ratio. */
export const RATIO_FLOOR_BYTES = 1024 * 1024;

/** What is left of an archive's {@link MAX_ARCHIVE_BYTES}, shared with the archives inside it. */
export interface UnpackBudget {
  bytesLeft: number;
}

/** A fresh budget for one archive given as an input (and the archives inside it). */
export function archiveBudget(): UnpackBudget {
  return { bytesLeft: MAX_ARCHIVE_BYTES };
}

/** True for a member that is no document: a folder, macOS resource forks, hidden files. */
function isClutter(name: string): boolean {
  return (
    name.endsWith('/') ||
    name.startsWith('__MACOSX/') ||
    name.split('/').some((part) => part.startsWith('.')) ||
    /(^|\/)(Thumbs\.db|desktop\.ini)$/i.test(name)
  );
}

/**
 * Why a member's name is not safe to stand for a file, or null. Members are never written to
 * disk (they are unpacked in memory and named `archive.zip/member`), but a name that would climb
 * out of a folder or start at the root is what a "zip slip" attack looks like: such a member is
 * refused by name, never read, and its name is never used as a path.
 */
export function unsafeMemberReason(name: string): string | null {
  if (/^[/\\]/.test(name) || /^[a-z]:/i.test(name))
    return 'unsafe name in the archive (an absolute path): not read';
  if (name.split(/[/\\]/).includes('..'))
    return 'unsafe name in the archive (it climbs out of the archive with ".."): not read';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name))
    return 'unsafe name in the archive (control characters): not read';
  return null;
}

/** Binary prefix size, for reasons: `200 MB`, `1 GB`. */
function size(bytes: number): string {
  return bytes >= 1024 ** 3 ? `${bytes / 1024 ** 3} GB` : `${bytes / 1024 ** 2} MB`;
}

/** The reason given to clutter, which is left out without a word. */
const CLUTTER = '';

/** A zip's member, unpacked, or the reason it cannot be. */
export type ZipMember = { name: string; bytes: Uint8Array } | { name: string; reason: string };

/**
 * Unpacks a zip's documents in name order, each by its path inside the zip; a member that cannot
 * be one (too big, a bomb, over the archive's budget, an unsafe name, a second member of the same
 * name, an unknown compression) is given with its reason. `budget` is shared with the archives
 * around and inside this one ({@link MAX_ARCHIVE_BYTES}). A file that is not a readable zip throws.
 */
export function unzipMembers(
  bytes: Uint8Array,
  budget: UnpackBudget = archiveBudget(),
): ZipMember[] {
  const refused: { name: string; reason: string }[] = [];
  const taken = new Set<string>();
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, {
      filter: (file) => {
        // An unsafe name is named even where it would be clutter (`../.hidden`).
        const reason =
          unsafeMemberReason(file.name) ??
          (isClutter(file.name) ? CLUTTER : memberReason(file, taken.has(file.name), budget));
        if (reason === CLUTTER) return false;
        if (reason !== null) {
          refused.push({ name: file.name, reason });
          return false;
        }
        taken.add(file.name);
        budget.bytesLeft -= Math.max(file.size, file.originalSize);
        return true;
      },
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new UnreadableFileError(`not a readable zip archive: ${message}`);
  }
  const members: ZipMember[] = [];
  for (const name of taken) {
    // fflate collects members in a plain object: a member named like one of its properties
    // (`__proto__`) is not in it as its own, and is named rather than lost.
    const data = Object.prototype.hasOwnProperty.call(files, name) ? files[name] : undefined;
    members.push(data ? { name, bytes: data } : { name, reason: 'could not be unpacked' });
  }
  members.push(...refused);
  return members.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Why a member (not clutter, its name safe) is not unpacked, or null. */
function memberReason(
  file: { size: number; originalSize: number; compression: number },
  duplicate: boolean,
  budget: UnpackBudget,
): string | null {
  const unpacked = Math.max(file.size, file.originalSize);
  if (duplicate) return 'a second member of the same name in the archive: not read';
  if (file.compression !== 0 && file.compression !== 8)
    return `packed with zip method ${file.compression}, which cannot be unpacked (only stored and deflate)`;
  if (unpacked > MAX_MEMBER_BYTES) return `over ${size(MAX_MEMBER_BYTES)} once unpacked`;
  if (
    unpacked > RATIO_FLOOR_BYTES &&
    file.originalSize > MAX_COMPRESSION_RATIO * Math.max(1, file.size)
  )
    return `unpacks to over ${MAX_COMPRESSION_RATIO} times its packed size (a zip bomb, not a letter)`;
  if (unpacked > budget.bytesLeft)
    return `would take the archive over ${size(MAX_ARCHIVE_BYTES)} unpacked (archives inside it included)`;
  return null;
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
 * (to {@link MAX_ARCHIVE_DEPTH}, within one {@link MAX_ARCHIVE_BYTES} budget); an unreadable or
 * empty archive is one entry with its reason. `isArchive` tells which members are archives (the
 * registry's list of archive types).
 */
export function walkArchive(
  bytes: Uint8Array,
  label: string,
  isArchive: (name: string) => boolean,
  path: readonly string[] = [],
  budget: UnpackBudget = archiveBudget(),
): ArchiveEntry[] {
  let members: ZipMember[];
  try {
    members = unzipMembers(bytes, budget);
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
    else entries.push(...walkArchive(member.bytes, name, isArchive, memberPath, budget));
  }
  return entries;
}
