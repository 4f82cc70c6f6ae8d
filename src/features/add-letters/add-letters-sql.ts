import { TABLES, type TableName } from '@/core/schema';
import { ADDED_LETTERS } from '@/lib/derived-tables';
import { identifier, joinSql, sql, type SqlQuery } from '@/lib/sql';

/** A letter added in this session, as the view lists it. */
export interface AddedLetterRow {
  letter_id: string;
  council_name: string;
  region: string | null;
  inspection_start: string;
  document_kind: string;
  source_file: string;
  finding_count: number;
}

/** The letters added in this session, by council and date. */
export function buildAddedLettersSql(): SqlQuery {
  return sql`
    SELECT l.letter_id, l.council_name, l.region, l.inspection_start, l.document_kind,
      l.source_file, l.finding_count
    FROM letters AS l
    WHERE l.letter_id IN (SELECT letter_id FROM ${identifier(ADDED_LETTERS)})
    ORDER BY l.council_name, l.inspection_start, l.letter_id`;
}

/** How many letters the session holds, and how many of them were added in it. */
export interface LetterCountRow {
  letters: number;
  added: number;
}

/** The letter counts the header and the view show. */
export function buildLetterCountSql(): SqlQuery {
  return sql`
    SELECT (SELECT count(*) FROM letters)::INTEGER AS letters,
      (SELECT count(*) FROM letters
        WHERE letter_id IN (SELECT letter_id FROM ${identifier(ADDED_LETTERS)}))::INTEGER AS added`;
}

/** The order the ingest CLI writes each table's rows in (src/core/pipeline/to-rows.ts). */
const EXPORT_ORDER: Record<TableName, SqlQuery> = {
  letters: sql`t.letter_id`,
  findings: sql`t.letter_id, t.position`,
  finding_themes: sql`f.letter_id, f.position, t.rank, t.theme_id`,
  // The taxonomy's own order, which is the order the table was loaded in.
  themes: sql`t.rowid`,
  councils: sql`t.dfe_la_code`,
};

/**
 * Every row of one of the contract's tables with its columns in file order, in the order the
 * pipeline writes them; every column is named, so lazily loaded columns are loaded first.
 */
export function buildExportTableSql(table: TableName): SqlQuery {
  // A tag added by a correction made in this browser ships as reviewed: the file's vocabulary.
  const columns = joinSql(
    Object.keys(TABLES[table]).map((name) =>
      table === 'finding_themes' && name === 'source'
        ? sql`CASE WHEN t.source = 'you' THEN 'reviewed' ELSE t.source END AS source`
        : identifier(`t.${name}`),
    ),
    ', ',
  );
  const join =
    table === 'finding_themes'
      ? sql` LEFT JOIN findings AS f ON f.finding_id = t.finding_id`
      : sql``;
  return sql`SELECT ${columns} FROM ${identifier(table)} AS t${join} ORDER BY ${EXPORT_ORDER[table]}`;
}
