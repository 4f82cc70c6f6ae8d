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
  /**
   * Which data this is: the data contract's and the taxonomy's versions and a hash of the five
   * Parquet files (`contract 1.3 · taxonomy 1 · data 3f9a1c0e2b7d`); absent in older files.
   */
  data_version?: string;
  /** The day the data was built (ISO `YYYY-MM-DD`); absent in older files. */
  built_on?: string;
}

/** The published data's version and build day, as the page and its exports state them. */
export interface DataVersion {
  version: string;
  builtOn: string | null;
}

let version: DataVersion | null = null;

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
      if (isPrecomputedFile(json) && typeof json.data_version === 'string')
        version = { version: json.data_version, builtOn: json.built_on ?? null };
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

/**
 * How many rows a table held when the build answered its queries: the size of the data the page
 * opened with, while no letters have been added in it; undefined before the file has arrived,
 * after letters are added, or when the file does not say.
 */
export function precomputedTableRows(table: string): number | undefined {
  return loaded?.tables[table];
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

/**
 * Takes `file` as the loaded answers, at once: for the build's prerender of the page
 * (src/shell/prerender.tsx), which renders in Node what the browser will render once it has fetched
 * the same file.
 */
export function setPrecomputedForPrerender(file: PrecomputedFile): void {
  loaded = file;
  loading = Promise.resolve(file);
  if (typeof file.data_version === 'string')
    version = { version: file.data_version, builtOn: file.built_on ?? null };
}

/** Forgets the loaded file (tests). */
export function resetPrecomputed(): void {
  loading = null;
  loaded = null;
  retired = false;
}

/**
 * The published data's version and build day (from the precomputed file; kept when letters are
 * added in the page, which the page says beside it); null until known or when the build wrote none.
 */
export function dataVersion(): DataVersion | null {
  return version;
}

/** {@link dataVersion}, re-rendering when it arrives. */
export function useDataVersion(): DataVersion | null {
  return useSyncExternalStore(subscribe, dataVersion, dataVersion);
}

/** The data version as one line for an export's header: "" when unknown. */
export function dataVersionLine(): string {
  if (!version) return '';
  return `Data: ${version.version}${version.builtOn ? `, built ${version.builtOn}` : ''}`;
}
