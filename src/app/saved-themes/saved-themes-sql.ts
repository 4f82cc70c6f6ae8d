/**
 * The statement that writes the saved themes' tags into `finding_themes` (saved-themes-engine.ts),
 * in a module of its own so that the tests run the page's own SQL.
 */

/**
 * Inserts the tags staged in `stage` (finding_id, theme_id, theme_order, evidence: the search
 * worker's Arrow) into `finding_themes`: `source` `user`, `confidence` 1, never uncertain, ranked
 * after the finding's other themes with the saved themes in their order (as the ingest's
 * `--themes` ranks them); tags of findings gone since the search are left out.
 */
export function insertUserTagsSql(stage: string): string {
  return `INSERT INTO finding_themes
      (finding_id, theme_id, rank, evidence, confidence, uncertain, source)
    SELECT s.finding_id, s.theme_id,
      (coalesce(c.n, 0) + row_number() OVER (
        PARTITION BY s.finding_id ORDER BY s.theme_order))::INTEGER,
      s.evidence, 1.0, false, 'user'
    FROM ${stage} AS s
    LEFT JOIN (SELECT finding_id, count(*) AS n FROM finding_themes GROUP BY finding_id)
      AS c USING (finding_id)
    WHERE s.finding_id IN (SELECT finding_id FROM findings)
    ORDER BY s.theme_order, s.finding_id`;
}
