/**
 * A finding's number within its section of its letter ("area for development 3"), as a reader
 * counts the list and as citations give it (src/lib/citation.ts): 1 for the section's first
 * finding in text order. One definition, written two ways for the two shapes of query that need
 * it; both count the same findings and give the same numbers (tests/sql/section-position.test.ts).
 */
import { identifier, sql, type SqlQuery } from './sql';

/**
 * The number for the one finding row `alias` (any row with the finding's `letter_id`, `section`
 * and `position`, e.g. a row of `findings` or of a table derived from it): how many findings of
 * the same letter and section stand at or before it in `findings`. For queries that list a few
 * findings of many letters, where a window would have to read every finding of those letters.
 */
export function sectionPositionSql(alias: string): SqlQuery {
  const row = identifier(alias);
  return sql`(SELECT count(*) FROM findings AS section_peer
    WHERE section_peer.letter_id = ${row}.letter_id AND section_peer.section = ${row}.section
      AND section_peer.position <= ${row}.position
  )::INTEGER`;
}

/**
 * The same number as a window function, for a query whose rows (`alias`, or the unqualified
 * columns when none is given) hold every finding of each letter's section they number: a letter's
 * findings, or a council's findings in the sections it lists.
 */
export function sectionPositionWindowSql(alias?: string): SqlQuery {
  const column = (name: string) => identifier(alias ? `${alias}.${name}` : name);
  return sql`row_number() OVER (
    PARTITION BY ${column('letter_id')}, ${column('section')} ORDER BY ${column('position')}
  )::INTEGER`;
}
