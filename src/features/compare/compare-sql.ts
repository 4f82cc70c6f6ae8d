import { LETTER_THEME_FACTS } from '@/lib/derived-tables';
import {
  filteredLettersSql,
  letterFieldConditions,
  WEAKNESS_SECTIONS,
  type Filters,
} from '@/lib/filters';
import { identifier, joinSql, sql, whereSql, type SqlQuery } from '@/lib/sql';

/** How many councils the view compares at most. */
export const MAX_COMPARED_COUNCILS = 5;

/** A comparison group of one chosen council: itself, its region, its neighbours, England. */
export type CompareGroupKind = 'council' | 'region' | 'neighbours' | 'england';

/** The comparison groups in the order the view shows them. */
export const COMPARE_GROUP_KINDS: readonly CompareGroupKind[] = [
  'council',
  'region',
  'neighbours',
  'england',
];

/** Whether a share counts weakness findings (development or priority action) or strengths. */
export type CompareMeasure = 'weakness' | 'strength';

/** What the compare view asks for: the shared filters and the chosen councils' DfE numbers. */
export interface CompareParams {
  filters: Filters;
  /** DfE LA numbers, in the order chosen; at most {@link MAX_COMPARED_COUNCILS} are used. */
  councils: readonly number[];
}

/** One comparison group of one chosen council, with how many letters it holds. */
export interface CompareGroupRow {
  /** 1-based place of the chosen council in the URL's list. */
  council_order: number;
  council_dfe: number;
  council_name: string;
  group_kind: CompareGroupKind;
  /** The council's name, its region's name, or null for neighbours and England. */
  group_name: string | null;
  /** Councils in the group: 1, the region's councils, the neighbours listed, or all councils. */
  councils_in_group: number;
  /** Of those, the councils that exist in the 2009-12 council list (neighbours may not). */
  councils_known: number;
  /** Councils in the group with at least one letter under the filters. */
  councils_with_letters: number;
  /** Names of those councils, alphabetical. */
  council_names_with_letters: string[];
  /** Letters (inspections) in the group under the filters: the n behind every share. */
  letters: number;
}

/** One chosen council, group, theme and measure: how many of the group's inspections raised it. */
export interface CompareShareRow {
  council_order: number;
  council_dfe: number;
  group_kind: CompareGroupKind;
  theme_id: string;
  theme_label: string;
  measure: CompareMeasure;
  letters: number;
  letters_with_theme: number;
  /** `letters_with_theme / letters`, or null when the group holds no letter. */
  share: number | null;
}

/**
 * Reads the `councils` URL parameter: DfE numbers separated by commas, kept in order, without
 * duplicates, anything that is not a positive whole number dropped, at most five.
 */
export function parseCouncilList(value: string | null | undefined): number[] {
  const out: number[] = [];
  for (const part of (value ?? '').split(',')) {
    const text = part.trim();
    if (!/^\d{1,6}$/.test(text)) continue;
    const n = Number(text);
    if (n > 0 && !out.includes(n)) out.push(n);
    if (out.length === MAX_COMPARED_COUNCILS) break;
  }
  return out;
}

/** The sections each measure counts, as VALUES rows `(measure, section)`. */
function measureRowsSql(): SqlQuery {
  const rows = [
    ...WEAKNESS_SECTIONS.map((section) => sql`(${'weakness'}, ${section})`),
    sql`(${'strength'}, ${'strength'})`,
  ];
  return joinSql(rows, ', ');
}

/** The chosen councils as a VALUES table `chosen(council_order, council_dfe)`; none → no rows. */
function chosenSql(councils: readonly number[]): SqlQuery {
  const valid = councils
    .filter((n) => Number.isSafeInteger(n) && n > 0)
    .slice(0, MAX_COMPARED_COUNCILS);
  if (valid.length === 0) {
    return sql`SELECT NULL::INTEGER AS council_order, NULL::INTEGER AS council_dfe WHERE false`;
  }
  const rows = valid.map((n, i) => sql`(${i + 1}, ${n})`);
  return sql`SELECT CAST(o AS INTEGER) AS council_order, CAST(d AS INTEGER) AS council_dfe
    FROM (VALUES ${joinSql(rows, ', ')}) AS v(o, d)`;
}

/**
 * The four comparison groups of each chosen council, as the DfE numbers of their members
 * (`members`) next to the group's description (`groups`). England is every letter held, so its
 * letters are taken whole rather than through the council list.
 */
function groupsSql(params: CompareParams): SqlQuery {
  return sql`
    filtered_letters AS (${filteredLettersSql(params.filters)}),
    chosen AS (${chosenSql(params.councils)}),
    chosen_councils AS (
      SELECT ch.council_order, ch.council_dfe, c.council_name, c.region,
        coalesce(c.stat_neighbours_2021_proxy, []) AS neighbours
      FROM chosen AS ch JOIN councils AS c ON c.dfe_la_code = ch.council_dfe
    ),
    members AS (
      SELECT council_order, 'council' AS group_kind, council_dfe AS member_dfe FROM chosen_councils
      UNION ALL
      SELECT cc.council_order, 'region', c.dfe_la_code
      FROM chosen_councils AS cc JOIN councils AS c ON c.region = cc.region
      UNION ALL
      SELECT DISTINCT cc.council_order, 'neighbours', n.member_dfe
      FROM chosen_councils AS cc, unnest(cc.neighbours) AS n(member_dfe)
      WHERE n.member_dfe IS NOT NULL AND n.member_dfe <> cc.council_dfe
    ),
    group_letters AS (
      SELECT m.council_order, m.group_kind, l.letter_id, l.dfe_la_code, l.council_name
      FROM members AS m JOIN filtered_letters AS l ON l.dfe_la_code = m.member_dfe
      UNION ALL
      SELECT cc.council_order, 'england', l.letter_id, l.dfe_la_code, l.council_name
      FROM chosen_councils AS cc CROSS JOIN filtered_letters AS l
    ),
    groups AS (
      SELECT cc.council_order, cc.council_dfe, cc.council_name, k.group_kind, k.group_order,
        CASE k.group_kind WHEN 'council' THEN cc.council_name WHEN 'region' THEN cc.region END AS group_name
      FROM chosen_councils AS cc
      CROSS JOIN (VALUES ('council', 1), ('region', 2), ('neighbours', 3), ('england', 4))
        AS k(group_kind, group_order)
    )`;
}

/** Each chosen council's four comparison groups with their sizes and letter counts (n). */
export function buildCompareGroupsSql(params: CompareParams): SqlQuery {
  return sql`
    WITH ${groupsSql(params)},
    member_counts AS (
      SELECT m.council_order, m.group_kind, count(*)::INTEGER AS councils_in_group,
        count(c.dfe_la_code)::INTEGER AS councils_known
      FROM members AS m LEFT JOIN councils AS c ON c.dfe_la_code = m.member_dfe
      GROUP BY m.council_order, m.group_kind
      UNION ALL
      SELECT cc.council_order, 'england', count(*)::INTEGER, count(*)::INTEGER
      FROM chosen_councils AS cc CROSS JOIN councils AS c
      GROUP BY cc.council_order
    ),
    letter_counts AS (
      SELECT council_order, group_kind, count(DISTINCT letter_id)::INTEGER AS letters,
        count(DISTINCT coalesce(CAST(dfe_la_code AS VARCHAR), council_name))::INTEGER AS councils_with_letters,
        list_sort(list_distinct(list(council_name))) AS council_names_with_letters
      FROM group_letters
      GROUP BY council_order, group_kind
    )
    SELECT g.council_order, g.council_dfe, g.council_name, g.group_kind, g.group_name,
      coalesce(mc.councils_in_group, 0)::INTEGER AS councils_in_group,
      coalesce(mc.councils_known, 0)::INTEGER AS councils_known,
      coalesce(lc.councils_with_letters, 0)::INTEGER AS councils_with_letters,
      coalesce(lc.council_names_with_letters, []) AS council_names_with_letters,
      coalesce(lc.letters, 0)::INTEGER AS letters
    FROM groups AS g
    LEFT JOIN member_counts AS mc USING (council_order, group_kind)
    LEFT JOIN letter_counts AS lc USING (council_order, group_kind)
    ORDER BY g.council_order, g.group_order`;
}

/**
 * For each chosen council, comparison group, theme and measure, the share of the group's
 * inspections with at least one finding on the theme as a weakness (or as a strength). A letter's
 * themes come from the letter-theme facts; England, the same group for every chosen council, is
 * counted once and repeated.
 */
export function buildCompareSharesSql(params: CompareParams): SqlQuery {
  return sql`
    WITH ${groupsSql(params)},
    measures(measure, section) AS (VALUES ${measureRowsSql()}),
    letter_themes AS (
      SELECT DISTINCT x.letter_id, x.theme_id, ms.measure
      FROM ${identifier(LETTER_THEME_FACTS)} AS x
      JOIN measures AS ms ON ms.section = x.section
      ${whereSql(letterFieldConditions(params.filters, 'x'))}
    ),
    local_letters AS (SELECT * FROM group_letters WHERE group_kind <> 'england'),
    totals AS (
      SELECT council_order, group_kind, count(DISTINCT letter_id)::INTEGER AS letters
      FROM local_letters GROUP BY council_order, group_kind
      UNION ALL
      SELECT cc.council_order, 'england', (SELECT count(*) FROM filtered_letters)::INTEGER
      FROM chosen_councils AS cc
    ),
    england_hits AS (
      SELECT theme_id, measure, count(*)::INTEGER AS n FROM letter_themes GROUP BY theme_id, measure
    ),
    hits AS (
      SELECT gl.council_order, gl.group_kind, lt.theme_id, lt.measure,
        count(DISTINCT gl.letter_id)::INTEGER AS n
      FROM local_letters AS gl JOIN letter_themes AS lt USING (letter_id)
      GROUP BY gl.council_order, gl.group_kind, lt.theme_id, lt.measure
      UNION ALL
      SELECT cc.council_order, 'england', e.theme_id, e.measure, e.n
      FROM chosen_councils AS cc CROSS JOIN england_hits AS e
    )
    SELECT g.council_order, g.council_dfe, g.group_kind, t.theme_id, t.label AS theme_label,
      m.measure,
      coalesce(tt.letters, 0)::INTEGER AS letters,
      coalesce(h.n, 0)::INTEGER AS letters_with_theme,
      CASE WHEN coalesce(tt.letters, 0) = 0 THEN NULL
        ELSE (coalesce(h.n, 0) / tt.letters)::DOUBLE END AS share
    FROM groups AS g
    CROSS JOIN themes AS t
    CROSS JOIN (VALUES ('weakness'), ('strength')) AS m(measure)
    LEFT JOIN totals AS tt USING (council_order, group_kind)
    LEFT JOIN hits AS h ON h.council_order = g.council_order AND h.group_kind = g.group_kind
      AND h.theme_id = t.theme_id AND h.measure = m.measure
    ORDER BY g.council_order, g.group_order, t.theme_id, m.measure DESC`;
}

/** A council the picker offers: every council in the 2009-12 list, with its letters held. */
export interface CouncilChoiceRow {
  dfe_la_code: number;
  council_name: string;
  region: string;
  la_type: string;
  letters: number;
}

/** Every council for the picker, with the number of letters held for it under the filters. */
export function buildCouncilChoicesSql(filters: Filters): SqlQuery {
  return sql`
    WITH filtered_letters AS (${filteredLettersSql(filters)})
    SELECT c.dfe_la_code, c.council_name, c.region, c.la_type,
      count(l.letter_id)::INTEGER AS letters
    FROM councils AS c LEFT JOIN filtered_letters AS l ON l.dfe_la_code = c.dfe_la_code
    GROUP BY c.dfe_la_code, c.council_name, c.region, c.la_type
    ORDER BY c.council_name`;
}
