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
export function unzipMembers(bytes: Uint8Array, only?: ReadonlySet<string>): ZipMember[] {
  const tooBig: string[] = [];
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, {
      filter: (file) => {
        if (isClutter(file.name) || (only && !only.has(file.name))) return false;
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
