import { accuracyFileQueryOptions } from '@/lib/theme-quality';
import { queryOptions, useQuery } from '@tanstack/react-query';
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

/** Query options for the measured accuracy; it needs no data engine (src/lib/theme-quality.ts). */
export const accuracyQueryOptions = accuracyFileQueryOptions;

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
