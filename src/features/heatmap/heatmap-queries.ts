import { keepFiguresOnChange } from '@/app/view-filters';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { runQuery } from '@/lib/duckdb';
import { withTagFilter, type Filters } from '@/lib/filters';
import { buildHeatmapSql, type HeatmapCellRow } from './heatmap-sql';

/** Query options for the council × theme cells. */
export function heatmapQueryOptions(filters: Filters) {
  const built = withTagFilter(buildHeatmapSql(filters), filters);
  return queryOptions({
    queryKey: ['heatmap', filters],
    placeholderData: keepFiguresOnChange,
    queryFn: () => runQuery<HeatmapCellRow>(built),
  });
}

/** The council × theme cells for the filters. */
export function useHeatmap(filters: Filters) {
  return useQuery(heatmapQueryOptions(filters));
}
