import { queryOptions, useQuery } from '@tanstack/react-query';
import { ACCURACY_FILE, parseAccuracy, type Accuracy } from '@/core/accuracy';
import { dataBaseUrl } from '@/lib/data-config';
import { runQuery } from '@/lib/duckdb';
import {
  buildCaveatsSql,
  buildTaxonomySql,
  type CaveatsRow,
  type TaxonomyRow,
} from './methodology-sql';

/** Query options for the taxonomy with each theme's use. */
export function taxonomyQueryOptions() {
  return queryOptions({
    queryKey: ['taxonomy'],
    queryFn: () => runQuery<TaxonomyRow>(buildTaxonomySql()),
  });
}

/** Query options for the figures behind the caveats. */
export function caveatsQueryOptions() {
  return queryOptions({
    queryKey: ['caveats'],
    queryFn: async () => (await runQuery<CaveatsRow>(buildCaveatsSql()))[0]!,
  });
}

/**
 * Reads the accuracy figures written at build time beside the Parquet files; `null` when this
 * build has none (the server answers 404).
 */
export async function fetchAccuracy(): Promise<Accuracy | null> {
  const url = new URL(ACCURACY_FILE, dataBaseUrl()).href;
  const response = await fetch(url);
  if (response.status === 404) return null;
  if (!response.ok) {
    throw new Error(
      `Could not download ${ACCURACY_FILE}: the server answered ${response.status} ${response.statusText} (${url}).`,
    );
  }
  let json: unknown;
  try {
    json = await response.json();
  } catch {
    throw new Error(`${ACCURACY_FILE} is not valid JSON (${url}).`);
  }
  return parseAccuracy(json);
}

/** Query options for the measured accuracy; it needs no data engine. */
export function accuracyQueryOptions() {
  return queryOptions({ queryKey: ['accuracy'], queryFn: fetchAccuracy });
}

/** The taxonomy with each theme's use. */
export function useTaxonomy() {
  return useQuery(taxonomyQueryOptions());
}

/** The figures behind the caveats. */
export function useCaveats() {
  return useQuery(caveatsQueryOptions());
}

/** The measured accuracy, or `null` when this build did not measure it. */
export function useAccuracy() {
  return useQuery(accuracyQueryOptions());
}
