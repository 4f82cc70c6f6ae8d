import { useMemo } from 'react';
import { pickFilters, type Filters } from '@/lib/filters';
import { useFilters, useSearchParams } from '@/app/url-state';
import { findView } from '@/app/views';

/** The shared filters that apply to the current view (the rest stay in the URL, unused). */
export function useViewFilters(): Filters {
  const params = useSearchParams();
  const filters = useFilters();
  const keys = findView(params.get('view')).filters;
  return useMemo(() => pickFilters(filters, keys), [filters, keys]);
}
