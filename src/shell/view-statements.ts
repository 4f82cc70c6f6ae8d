/**
 * The SQL each view runs on a filter change, by view and query, as the view's query functions
 * build it with the view's default settings: what the engine's warm-up runs (src/shell/warm-up.ts)
 * and what `scripts/bench/query-profile.ts` and `view-profile.ts` time.
 */
import { buildCoOccurrenceSql } from '@/features/co-occurrence/co-occurrence-sql';
import {
  buildCompareGroupsSql,
  buildCompareSharesSql,
  buildCouncilChoicesSql,
} from '@/features/compare/compare-sql';
import { buildEvidenceSql } from '@/features/evidence/evidence-sql';
import { buildHeatmapSql } from '@/features/heatmap/heatmap-sql';
import { buildOverviewSql } from '@/features/overview/overview-sql';
import {
  buildPreviouslyIdentifiedSql,
  buildRecurrenceSql,
  RECURRENCE_LIST_LIMIT,
} from '@/features/recurrence/recurrence-sql';
import { buildThemeTrendSql } from '@/features/themes-over-time/themes-over-time-sql';
import { buildTrainerWeaknessesSql } from '@/features/trainers/trainers-sql';
import type { Filters } from '@/lib/filters';
import type { SqlQuery } from '@/lib/sql';

type Builder = (filters: Filters) => SqlQuery;

/** Each view's queries on a filter change (compared councils: the first three by DfE number). */
export const VIEW_QUERIES: Record<string, Record<string, Builder>> = {
  overview: { overview: buildOverviewSql },
  'themes-over-time': {
    trend: (filters) => buildThemeTrendSql({ filters, themes: [], measure: 'weakness' }),
  },
  heatmap: { heatmap: buildHeatmapSql },
  compare: {
    choices: buildCouncilChoicesSql,
    groups: (filters) => buildCompareGroupsSql({ filters, councils: [201, 202, 203] }),
    shares: (filters) => buildCompareSharesSql({ filters, councils: [201, 202, 203] }),
  },
  recurrence: {
    recurrence: (filters) => buildRecurrenceSql(filters, RECURRENCE_LIST_LIMIT),
    previouslyIdentified: (filters) => buildPreviouslyIdentifiedSql(filters, RECURRENCE_LIST_LIMIT),
  },
  'co-occurrence': { matrix: buildCoOccurrenceSql },
  evidence: { evidence: (filters) => buildEvidenceSql({ filters }) },
  trainers: { weaknesses: (filters) => buildTrainerWeaknessesSql({ filters }) },
};
