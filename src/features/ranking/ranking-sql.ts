import { sql, type SqlQuery } from '@/lib/sql';

export {
  buildThemeRankingSql,
  FEW_LETTERS,
  QUARTILES,
  RANK_RULE,
  withIntervals,
  type Quartile,
  type RankedCouncil,
  type RankingParams,
  type RankingRow,
} from '@/app/council-ranking-sql';

/** A theme the ranking's picker offers. */
export interface ThemeChoiceRow {
  theme_id: string;
  label: string;
  group_label: string;
  description: string;
}

/** Every theme of the taxonomy, in the taxonomy file's order (the table keeps the file's rows). */
export function buildThemeChoicesSql(): SqlQuery {
  return sql`
    SELECT theme_id, label, group_label, description
    FROM themes
    ORDER BY rowid`;
}
