import { councilKeySql, councilSlug, type ThemeRef } from '@/app/council-ranking-sql';
import { ADDED_LETTERS, LETTER_THEME_FACTS } from '@/lib/derived-tables';
import {
  filteredLettersSql,
  letterFieldConditions,
  WEAKNESS_SECTIONS,
  type Filters,
} from '@/lib/filters';
import { identifier, sql, whereSql, type SqlQuery } from '@/lib/sql';

/** What the council profile's queries ask for: the shared filters and one council's key. */
export interface CouncilParams {
  filters: Filters;
  /** The ONS code, or the name of a council the reference list does not know. */
  council: string;
}

/** A council the picker offers: every council in the 2009-12 list, and any other with a letter. */
export interface CouncilChoiceRow {
  council_key: string;
  council_name: string;
  la_code: string | null;
  dfe_la_code: number | null;
  region: string | null;
  la_type: string | null;
  /** Letters held for it under the filters. */
  letters: number;
}

/**
 * Every council of the 2009-12 list, and every council named by a letter that the list does not
 * know (keyed by its name), with the letters held for each under the filters, by name.
 */
export function buildCouncilChoicesSql(filters: Filters): SqlQuery {
  return sql`
    WITH filtered_letters AS (${filteredLettersSql(filters)}),
    counts AS (
      SELECT ${councilKeySql('l')} AS council_key, count(*)::INTEGER AS letters
      FROM filtered_letters AS l GROUP BY council_key
    ),
    every_council AS (
      SELECT c.la_code AS council_key, c.council_name, c.la_code, c.dfe_la_code, c.region,
        c.la_type
      FROM councils AS c
      UNION ALL
      SELECT DISTINCT l.council_name, l.council_name, NULL, NULL, NULL, NULL
      FROM letters AS l WHERE l.la_code IS NULL
    )
    SELECT e.*, coalesce(n.letters, 0)::INTEGER AS letters
    FROM every_council AS e LEFT JOIN counts AS n USING (council_key)
    ORDER BY e.council_name, e.council_key`;
}

/**
 * The council a `council` URL parameter names: by ONS code or DfE number, by its name's slug
 * (`north-yorkshire`) or by its name as written; undefined when none matches.
 */
export function findCouncil(
  choices: readonly CouncilChoiceRow[],
  value: string | null | undefined,
): CouncilChoiceRow | undefined {
  const text = (value ?? '').trim();
  if (!text) return undefined;
  const upper = text.toUpperCase();
  const slug = councilSlug(text);
  return (
    choices.find((c) => c.la_code !== null && c.la_code.toUpperCase() === upper) ??
    (/^\d{1,6}$/.test(text) ? choices.find((c) => c.dfe_la_code === Number(text)) : undefined) ??
    choices.find((c) => c.council_name === text) ??
    (slug ? choices.find((c) => councilSlug(c.council_name) === slug) : undefined)
  );
}

/** One of the council's inspections (a letter, or the council's own report on one). */
export interface CouncilInspectionRow {
  letter_id: string;
  council_name: string;
  la_code: string | null;
  dfe_la_code: number | null;
  region: string | null;
  document_kind: string;
  source_file: string;
  letter_date: string | null;
  inspection_start: string;
  inspection_end: string;
  reporting_year: string;
  /** 1 for the council's first inspection among those shown. */
  inspection_number: number;
  strengths: number;
  satisfactory: number;
  development: number;
  priority_action: number;
  findings: number;
  /** Letters added in this browser session, not bundled. */
  added: boolean;
  /** What looked wrong when the letter was read; null when nothing did. */
  parse_warnings: string | null;
}

/** The council's letters under the filters, in date order, with their findings by section. */
export function buildCouncilInspectionsSql(params: CouncilParams): SqlQuery {
  return sql`
    WITH filtered_letters AS (${filteredLettersSql(params.filters)}),
    mine AS (SELECT * FROM filtered_letters AS l WHERE ${councilKeySql('l')} = ${params.council}),
    counts AS (
      SELECT f.letter_id,
        count(*) FILTER (WHERE f.section = 'strength')::INTEGER AS strengths,
        count(*) FILTER (WHERE f.section = 'satisfactory')::INTEGER AS satisfactory,
        count(*) FILTER (WHERE f.section = 'development')::INTEGER AS development,
        count(*) FILTER (WHERE f.section = 'priority_action')::INTEGER AS priority_action,
        count(*)::INTEGER AS findings
      FROM findings AS f
      WHERE f.letter_id IN (SELECT letter_id FROM mine)
      GROUP BY f.letter_id
    )
    SELECT m.letter_id, m.council_name, m.la_code, m.dfe_la_code, m.region, m.document_kind,
      m.source_file, m.letter_date, m.inspection_start, m.inspection_end, m.reporting_year,
      row_number() OVER (ORDER BY m.inspection_start, m.letter_id)::INTEGER AS inspection_number,
      coalesce(c.strengths, 0)::INTEGER AS strengths,
      coalesce(c.satisfactory, 0)::INTEGER AS satisfactory,
      coalesce(c.development, 0)::INTEGER AS development,
      coalesce(c.priority_action, 0)::INTEGER AS priority_action,
      coalesce(c.findings, 0)::INTEGER AS findings,
      m.letter_id IN (SELECT letter_id FROM ${identifier(ADDED_LETTERS)}) AS added,
      m.parse_warnings
    FROM mine AS m LEFT JOIN counts AS c USING (letter_id)
    ORDER BY m.inspection_start, m.letter_id`;
}

/** A comparison group of the council: itself, its statistical neighbours, its region, England. */
export type CouncilGroupKind = 'council' | 'neighbours' | 'region' | 'england';

/** The comparison groups in the order the profile shows them. */
export const COUNCIL_GROUP_KINDS: readonly CouncilGroupKind[] = [
  'council',
  'neighbours',
  'region',
  'england',
];

/** A council of a group with the letters held for it. */
export interface GroupMember {
  council_name: string;
  letters: number;
}

/** One comparison group: what it holds, and how many letters (the n behind its rates). */
export interface CouncilGroupRow {
  group_kind: CouncilGroupKind;
  /** The council's name, its region's, or null for neighbours and England. */
  group_name: string | null;
  /** Councils in the group: 1, the neighbours listed, the region's councils or every council. */
  councils_in_group: number;
  /** Of those, the councils in the 2009-12 list (a 2021 neighbour may not have existed then). */
  councils_known: number;
  /** Councils in the group with at least one letter under the filters. */
  councils_with_letters: number;
  /** Those councils with their letters, by name (neighbours and region only). */
  members_with_letters: GroupMember[];
  /** Letters in the group under the filters. */
  letters: number;
}

/** One group and theme: how many of the group's letters raised the theme as a weakness. */
export interface CouncilRateRow {
  group_kind: CouncilGroupKind;
  theme_id: string;
  theme_label: string;
  letters: number;
  letters_with_theme: number;
  /** `letters_with_theme / letters`, or null when the group holds no letter. */
  share: number | null;
}

/**
 * The council's comparison groups as the letters of each (`group_letters`) beside the groups
 * themselves (`groups`). The region and England include the council itself; the neighbours are
 * the DfE numbers in `councils.stat_neighbours_2021_proxy` other than the council's own. A council
 * the reference list does not know has only itself and England.
 */
function groupsSql(params: CouncilParams): SqlQuery {
  const key = params.council;
  return sql`
    filtered_letters AS (${filteredLettersSql(params.filters)}),
    me AS (
      SELECT c.la_code, c.dfe_la_code, c.council_name, c.region,
        coalesce(c.stat_neighbours_2021_proxy, []) AS neighbours
      FROM councils AS c WHERE c.la_code = ${key}
    ),
    neighbour_codes AS (
      SELECT DISTINCT n.member_dfe
      FROM me, unnest(me.neighbours) AS n(member_dfe)
      WHERE n.member_dfe IS NOT NULL AND n.member_dfe <> me.dfe_la_code
    ),
    group_letters AS (
      SELECT 'council' AS group_kind, l.letter_id, ${councilKeySql('l')} AS council_key,
        l.council_name
      FROM filtered_letters AS l WHERE ${councilKeySql('l')} = ${key}
      UNION ALL
      SELECT 'neighbours', l.letter_id, ${councilKeySql('l')}, l.council_name
      FROM filtered_letters AS l
      WHERE l.dfe_la_code IN (SELECT member_dfe FROM neighbour_codes)
      UNION ALL
      SELECT 'region', l.letter_id, ${councilKeySql('l')}, l.council_name
      FROM filtered_letters AS l WHERE l.region = (SELECT region FROM me)
      UNION ALL
      SELECT 'england', l.letter_id, ${councilKeySql('l')}, l.council_name
      FROM filtered_letters AS l
    ),
    groups AS (
      SELECT k.group_kind, k.group_order
      FROM (VALUES ('council', 1), ('neighbours', 2), ('region', 3), ('england', 4))
        AS k(group_kind, group_order)
      WHERE k.group_kind IN ('council', 'england') OR EXISTS (SELECT 1 FROM me)
    )`;
}

/** The council's comparison groups, each with its size and letters (n). */
export function buildCouncilGroupsSql(params: CouncilParams): SqlQuery {
  return sql`
    WITH ${groupsSql(params)},
    sizes AS (
      SELECT group_kind, count(DISTINCT letter_id)::INTEGER AS letters,
        count(DISTINCT council_key)::INTEGER AS councils_with_letters
      FROM group_letters GROUP BY group_kind
    ),
    member_letters AS (
      SELECT group_kind, council_name, count(DISTINCT letter_id)::INTEGER AS letters
      FROM group_letters WHERE group_kind IN ('neighbours', 'region')
      GROUP BY group_kind, council_name
    ),
    members AS (
      SELECT group_kind,
        list({'council_name': council_name, 'letters': letters} ORDER BY council_name)
          AS members_with_letters
      FROM member_letters GROUP BY group_kind
    )
    SELECT g.group_kind,
      CASE g.group_kind
        WHEN 'council' THEN coalesce(
          (SELECT council_name FROM me),
          (SELECT min(l.council_name) FROM letters AS l WHERE l.la_code IS NULL
            AND l.council_name = ${params.council})
        )
        WHEN 'region' THEN (SELECT region FROM me)
      END AS group_name,
      (CASE g.group_kind
        WHEN 'council' THEN 1
        WHEN 'neighbours' THEN (SELECT count(*) FROM neighbour_codes)
        WHEN 'region' THEN (SELECT count(*) FROM councils WHERE region = (SELECT region FROM me))
        ELSE (SELECT count(*) FROM councils)
      END)::INTEGER AS councils_in_group,
      (CASE g.group_kind
        WHEN 'council' THEN (SELECT count(*) FROM me)
        WHEN 'neighbours' THEN (
          SELECT count(*) FROM neighbour_codes
          WHERE member_dfe IN (SELECT dfe_la_code FROM councils)
        )
        WHEN 'region' THEN (SELECT count(*) FROM councils WHERE region = (SELECT region FROM me))
        ELSE (SELECT count(*) FROM councils)
      END)::INTEGER AS councils_known,
      coalesce(s.councils_with_letters, 0)::INTEGER AS councils_with_letters,
      coalesce(m.members_with_letters, []) AS members_with_letters,
      coalesce(s.letters, 0)::INTEGER AS letters
    FROM groups AS g
    LEFT JOIN sizes AS s USING (group_kind)
    LEFT JOIN members AS m USING (group_kind)
    ORDER BY g.group_order`;
}

/**
 * For each comparison group and theme, the group's letters and how many of them have at least
 * one finding on the theme as a weakness (development or priority action).
 */
export function buildCouncilRatesSql(params: CouncilParams): SqlQuery {
  return sql`
    WITH ${groupsSql(params)},
    sizes AS (
      SELECT group_kind, count(DISTINCT letter_id)::INTEGER AS letters
      FROM group_letters GROUP BY group_kind
    ),
    weak AS (
      SELECT DISTINCT x.letter_id, x.theme_id
      FROM ${identifier(LETTER_THEME_FACTS)} AS x
      ${whereSql([sql`x.section IN ${[...WEAKNESS_SECTIONS]}`, ...letterFieldConditions(params.filters, 'x')])}
    ),
    hits AS (
      SELECT gl.group_kind, w.theme_id, count(DISTINCT gl.letter_id)::INTEGER AS n
      FROM group_letters AS gl JOIN weak AS w USING (letter_id)
      GROUP BY gl.group_kind, w.theme_id
    )
    SELECT g.group_kind, t.theme_id, t.label AS theme_label,
      coalesce(s.letters, 0)::INTEGER AS letters,
      coalesce(h.n, 0)::INTEGER AS letters_with_theme,
      CASE WHEN coalesce(s.letters, 0) = 0 THEN NULL
        ELSE (coalesce(h.n, 0) / s.letters)::DOUBLE END AS share
    FROM groups AS g
    CROSS JOIN themes AS t
    LEFT JOIN sizes AS s USING (group_kind)
    LEFT JOIN hits AS h ON h.group_kind = g.group_kind AND h.theme_id = t.theme_id
    ORDER BY g.group_order, t.theme_id`;
}

/**
 * One pair of the council's consecutive inspections, and the themes raised as weaknesses at the
 * earlier one, the later one or both.
 */
export interface CouncilRecurrenceRow {
  earlier_letter_id: string;
  earlier_start: string;
  earlier_kind: string;
  later_letter_id: string;
  later_start: string;
  later_kind: string;
  /** 2 for the pair of the first and second inspections, and so on. */
  later_number: number;
  /** Themes raised as weaknesses at the earlier inspection. */
  themes_before: number;
  /** Themes raised as weaknesses at the later inspection. */
  themes_after: number;
  /** Raised at both. */
  recurred: ThemeRef[];
  recurred_labels: string[];
  /** Raised at the earlier inspection only. */
  not_again_labels: string[];
  /** Raised at the later inspection only. */
  new_labels: string[];
}

/**
 * Each pair of the council's consecutive inspections (by inspection date) with the themes raised
 * as weaknesses at both. Which inspections are consecutive is decided among the letters that pass
 * the filters other than the year, which applies to the later inspection (as in the recurrence
 * view): a year filter keeps the pairs whose later inspection falls in it.
 */
export function buildCouncilRecurrenceSql(params: CouncilParams): SqlQuery {
  const year = params.filters.year;
  return sql`
    WITH ordered_letters AS (${filteredLettersSql({ ...params.filters, year: undefined })}),
    mine AS (
      SELECT l.letter_id, l.inspection_start, l.reporting_year, l.document_kind,
        row_number() OVER (ORDER BY l.inspection_start, l.letter_id)::INTEGER AS inspection_number
      FROM ordered_letters AS l WHERE ${councilKeySql('l')} = ${params.council}
    ),
    pairs AS (
      SELECT e.letter_id AS earlier_letter_id, e.inspection_start AS earlier_start,
        e.document_kind AS earlier_kind, a.letter_id AS later_letter_id,
        a.inspection_start AS later_start, a.document_kind AS later_kind,
        a.inspection_number AS later_number
      FROM mine AS e JOIN mine AS a ON a.inspection_number = e.inspection_number + 1
      ${whereSql(year ? [sql`a.reporting_year = ${year}`] : [])}
    ),
    weak AS (
      SELECT DISTINCT x.letter_id, x.theme_id
      FROM ${identifier(LETTER_THEME_FACTS)} AS x
      WHERE x.section IN ${[...WEAKNESS_SECTIONS]}
        AND x.letter_id IN (SELECT letter_id FROM mine)
    ),
    statuses AS (
      SELECT p.later_letter_id, t.theme_id, t.label,
        b.letter_id IS NOT NULL AS before, a.letter_id IS NOT NULL AS again
      FROM pairs AS p
      CROSS JOIN themes AS t
      LEFT JOIN weak AS b ON b.letter_id = p.earlier_letter_id AND b.theme_id = t.theme_id
      LEFT JOIN weak AS a ON a.letter_id = p.later_letter_id AND a.theme_id = t.theme_id
      WHERE b.letter_id IS NOT NULL OR a.letter_id IS NOT NULL
    )
    SELECT p.earlier_letter_id, p.earlier_start, p.earlier_kind, p.later_letter_id,
      p.later_start, p.later_kind, p.later_number,
      count(s.theme_id) FILTER (WHERE s.before)::INTEGER AS themes_before,
      count(s.theme_id) FILTER (WHERE s.again)::INTEGER AS themes_after,
      coalesce(
        list({'theme_id': s.theme_id, 'label': s.label} ORDER BY s.label, s.theme_id)
          FILTER (WHERE s.before AND s.again),
        []
      ) AS recurred,
      coalesce(list(s.label ORDER BY s.label, s.theme_id) FILTER (WHERE s.before AND s.again), [])
        AS recurred_labels,
      coalesce(list(s.label ORDER BY s.label, s.theme_id) FILTER (WHERE s.before AND NOT s.again), [])
        AS not_again_labels,
      coalesce(list(s.label ORDER BY s.label, s.theme_id) FILTER (WHERE s.again AND NOT s.before), [])
        AS new_labels
    FROM pairs AS p LEFT JOIN statuses AS s USING (later_letter_id)
    GROUP BY p.earlier_letter_id, p.earlier_start, p.earlier_kind, p.later_letter_id,
      p.later_start, p.later_kind, p.later_number
    ORDER BY p.later_number`;
}
