/**
 * The corrections made in this browser, kept in localStorage (a few hundred bytes each) and
 * applied in the order they were made. Subscribers hear of every change; the engine side
 * (apply-corrections.ts) re-applies the whole list whenever it changes.
 */
import {
  CORRECTIONS_FORMAT,
  CORRECTIONS_VERSION,
  parseCorrections,
  type Correction,
  type CorrectionsFile,
} from '@/core/corrections';
import { CORRECTIONS_STORAGE_KEY as STORAGE_KEY } from './storage-key';
import { localStorageOrNull } from '@/lib/local-storage';

/** A correction made in this browser, with an id to undo it by. */
export type UserCorrection = Correction & { id: string; made_at: string };

let cache: UserCorrection[] | null = null;
const listeners = new Set<() => void>();

const storage = localStorageOrNull;

/** The corrections made in this browser, oldest first; a stored list that is not valid is empty. */
export function userCorrections(): readonly UserCorrection[] {
  if (cache) return cache;
  const raw = storage()?.getItem(STORAGE_KEY);
  cache = [];
  if (raw) {
    try {
      const list = JSON.parse(raw) as unknown;
      if (Array.isArray(list))
        cache = list.filter(
          (c): c is UserCorrection =>
            typeof c === 'object' &&
            c !== null &&
            typeof (c as UserCorrection).id === 'string' &&
            typeof (c as UserCorrection).finding_key === 'string',
        );
    } catch {
      cache = [];
    }
  }
  return cache;
}

function save(list: UserCorrection[]): void {
  cache = list;
  storage()?.setItem(STORAGE_KEY, JSON.stringify(list));
  for (const listener of listeners) listener();
}

/** Calls `listener` after every change to the list; returns the unsubscribe. */
export function subscribeCorrections(listener: () => void): () => void {
  listeners.add(listener);
  return () => void listeners.delete(listener);
}

let counter = 0;

/** Records a correction made now; returns it with its id. */
export function addCorrection(correction: Correction): UserCorrection {
  counter += 1;
  const made_at = new Date().toISOString();
  const made: UserCorrection = {
    ...correction,
    id: `${Date.now().toString(36)}-${counter}`,
    made_at,
  };
  save([...userCorrections(), made]);
  return made;
}

/** Undoes one correction (the others stay, in their order). */
export function undoCorrection(id: string): void {
  save(userCorrections().filter((c) => c.id !== id));
}

/** Forgets every correction made in this browser. */
export function clearCorrections(): void {
  save([]);
}

/** The corrections as a file the CLI applies (`npm run ingest -- --corrections FILE`). */
export function correctionsFile(
  list: readonly UserCorrection[] = userCorrections(),
): CorrectionsFile {
  return {
    format: CORRECTIONS_FORMAT,
    version: CORRECTIONS_VERSION,
    made_at: new Date().toISOString(),
    corrections: list.map(({ id: _id, ...c }) => c),
  };
}

/**
 * Adds the corrections of a file (checked against the taxonomy's themes: a bad file changes
 * nothing and throws the reason); returns how many were added.
 */
export function importCorrections(
  value: unknown,
  themeIds: ReadonlySet<string>,
  file: string,
): number {
  const parsed = parseCorrections(value, themeIds, file);
  const now = new Date().toISOString();
  const added = parsed.corrections.map((c, i) => ({
    ...c,
    id: `${Date.now().toString(36)}-import-${i}`,
    made_at: c.made_at ?? now,
  }));
  save([...userCorrections(), ...added]);
  return added.length;
}

/** Forgets the cached list, for tests that change localStorage directly. */
export function resetCorrectionsCache(): void {
  cache = null;
}
