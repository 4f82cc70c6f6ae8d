import { useSyncExternalStore } from 'react';
import { dataBaseUrl } from '@/lib/data-config';

/** The name of the file of precomputed answers, beside the Parquet files. */
export const PRECOMPUTED_FILE = 'overview.json';

/** The file the build writes: each precomputed query's rows under its query-key name. */
export interface PrecomputedFile {
  format: 1;
  /** Row counts of the tables the answers were computed from, to tell which files they go with. */
  tables: Record<string, number>;
  queries: Record<string, unknown[]>;
}

let loading: Promise<PrecomputedFile | null> | null = null;
let loaded: PrecomputedFile | null = null;
let retired = false;
const listeners = new Set<() => void>();

/**
 * Fetches the precomputed answers once; resolves to null when the file is missing or unreadable,
 * so that the views fall back to live queries.
 */
export function loadPrecomputed(): Promise<PrecomputedFile | null> {
  loading ??= fetch(new URL(PRECOMPUTED_FILE, dataBaseUrl()).href)
    .then((response) => (response.ok ? (response.json() as Promise<unknown>) : null))
    .then((json) => {
      loaded = !retired && isPrecomputedFile(json) ? json : null;
      listeners.forEach((listener) => listener());
      return loaded;
    })
    .catch(() => null);
  return loading;
}

/**
 * Stops the precomputed answers standing in for live ones for the rest of the page's life: once
 * letters are added in the session (src/features/add-letters) they describe other data.
 */
export function retirePrecomputed(): void {
  retired = true;
  loaded = null;
  loading = Promise.resolve(null);
  listeners.forEach((listener) => listener());
}

function isPrecomputedFile(json: unknown): json is PrecomputedFile {
  if (!json || typeof json !== 'object') return false;
  const file = json as Partial<PrecomputedFile>;
  return file.format === 1 && typeof file.queries === 'object' && file.queries !== null;
}

/** A precomputed query's rows, if the file has arrived and holds them; never waits. */
export function precomputedRows<Row>(key: string): Row[] | undefined {
  return loaded?.queries[key] as Row[] | undefined;
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Re-renders the caller when the precomputed answers arrive; true once they have. */
export function usePrecomputedLoaded(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => loaded !== null,
    () => false,
  );
}

/** Forgets the loaded file (tests). */
export function resetPrecomputed(): void {
  loading = null;
  loaded = null;
  retired = false;
}
