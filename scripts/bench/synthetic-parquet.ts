import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { SECTION_HEADINGS, TABLE_NAMES, TABLES } from '../../src/core/schema';
import { SYNTHETIC_BANNER } from './synthetic-letters';

/** What one synthetic Parquet set holds. */
export interface SyntheticSet {
  dir: string;
  letters: number;
  findings: number;
  finding_themes: number;
  parquet_bytes: Record<string, number>;
}

/** Bumped whenever the generator's output changes, so that cached sets are remade. */
const GENERATOR_VERSION = 'synthetic-parquet-2';

/** A SQL string literal; only ever given the constants of this file. */
function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** Runs statements one after another. */
async function run(connection: DuckDBConnection, statements: string[]): Promise<void> {
  for (const statement of statements) await connection.run(statement);
}

// Real findings (with their themes and evidence) are recombined into letters across the 152
// councils and the three reporting years, as the text generator does, but without the pipeline,
// so that a million findings take seconds. Each finding's text ends in a `[synthetic …]` tag that
// makes it unique, as real texts are. Every letter is flagged: its id and file name start
// `synthetic-`, its text opens with the synthetic banner and it is signed by "Synthetic
// Inspector". The councils and themes files are the real ones.
/**
 * Writes the five Parquet files of a synthetic corpus of about `targetFindings` findings into
 * `outDir`, straight as rows.
 */
export async function writeSyntheticParquet(
  realDir: string,
  targetFindings: number,
  outDir: string,
  seed = 1,
): Promise<SyntheticSet> {
  // A set is remade when the generator, the target or the real files it draws from change.
  const sizes = await Promise.all(
    TABLE_NAMES.map(async (t) => (await stat(path.join(realDir, `${t}.parquet`))).size),
  );
  const stamp = `${GENERATOR_VERSION} ${targetFindings} ${seed} ${sizes.join(',')}`;
  const done = path.join(outDir, '.complete');
  if ((await readFile(done, 'utf8').catch(() => '')) !== stamp) {
    const tmp = `${outDir}.tmp-${process.pid}`;
    await rm(tmp, { recursive: true, force: true });
    await mkdir(tmp, { recursive: true });
    await generate(realDir, targetFindings, tmp, seed);
    await rm(outDir, { recursive: true, force: true });
    await rename(tmp, outDir);
    await writeFile(done, stamp);
  }
  return describeSet(outDir);
}

/** Counts the rows and sizes of a Parquet set. */
export async function describeSet(dir: string): Promise<SyntheticSet> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const counts: Record<string, number> = {};
    const bytes: Record<string, number> = {};
    for (const table of ['letters', 'findings', 'finding_themes'] as const) {
      const file = path.join(dir, `${table}.parquet`);
      const reader = await connection.runAndReadAll(
        `SELECT count(*)::INTEGER AS n FROM read_parquet(${literal(file)})`,
      );
      counts[table] = Number(reader.getRowObjectsJS()[0]!.n);
    }
    for (const table of TABLE_NAMES)
      bytes[`${table}.parquet`] = (await stat(path.join(dir, `${table}.parquet`))).size;
    return {
      dir,
      letters: counts.letters!,
      findings: counts.findings!,
      finding_themes: counts.finding_themes!,
      parquet_bytes: bytes,
    };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

async function generate(
  realDir: string,
  targetFindings: number,
  outDir: string,
  seed: number,
): Promise<void> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const real = (table: string) =>
    `read_parquet(${literal(path.join(realDir, `${table}.parquet`))})`;
  // About 20 findings a letter; draw enough letters and keep those that reach the target.
  const maxLetters = Math.ceil(targetFindings / 12) + 10;
  const h = (...parts: string[]) => `hash(${seed}, ${parts.join(', ')})`;
  const headings = Object.entries(SECTION_HEADINGS)
    .map(([section, label], i) => `(${literal(section)}, ${literal(label)}, ${i + 1})`)
    .join(', ');
  try {
    await run(connection, [
      `CREATE TABLE councils AS SELECT * FROM ${real('councils')}`,
      `CREATE TABLE themes AS SELECT * FROM ${real('themes')}`,
      `CREATE TABLE real_ft AS SELECT * FROM ${real('finding_themes')}`,
      `CREATE TABLE sections(section VARCHAR, heading VARCHAR, ord INTEGER)`,
      `INSERT INTO sections VALUES ${headings}`,
      `CREATE TABLE pool AS
        SELECT section, finding_id AS source_id, text, previously_identified,
          (row_number() OVER (PARTITION BY section ORDER BY finding_id) - 1)::UBIGINT AS k
        FROM ${real('findings')}`,
      `CREATE TABLE pool_n AS SELECT section, count(*)::UBIGINT AS n FROM pool GROUP BY section`,
      `CREATE TABLE council_list AS
        SELECT (row_number() OVER (ORDER BY la_code) - 1)::BIGINT AS ci, * FROM councils`,
      // A council's k-th letter starts 367k days (mod the 1,095 days of the three reporting
      // years) after its own first date: spread over the years, and no two letters of a council
      // share an inspection date while k < 1,095.
      `CREATE TABLE base AS
        SELECT r.i, c.council_name, c.la_code, c.dfe_la_code, c.region,
          (DATE '2009-04-01' + (((r.i // 152) * 367 + c.ci * 7) % 1095)::INTEGER) AS start
        FROM range(${maxLetters}) AS r(i) JOIN council_list AS c ON c.ci = r.i % 152`,
      `CREATE TABLE slots AS
        SELECT i, section, heading, ord, unnest(range(cnt::BIGINT)) AS j FROM (
          SELECT b.i, s.section, s.heading, s.ord,
            CASE WHEN s.section = 'priority_action'
              THEN CASE WHEN ${h('b.i', "'p'")} % 100 < 20 THEN 1 + ${h('b.i', "'pn'")} % 2 ELSE 0 END
              ELSE 3 + ${h('b.i', 's.section')} % 8 END AS cnt
          FROM base AS b CROSS JOIN sections AS s)`,
      `CREATE TABLE per_letter AS
        SELECT i, count(*) AS n, sum(count(*)) OVER (ORDER BY i) - count(*) AS before
        FROM slots GROUP BY i`,
      `DELETE FROM base WHERE i IN (SELECT i FROM per_letter WHERE before >= ${targetFindings})`,
      `DELETE FROM slots WHERE i NOT IN (SELECT i FROM base)`,
      `CREATE TABLE letter_meta AS
        SELECT b.*,
          'synthetic-' || regexp_replace(lower(b.council_name), '[^a-z0-9]+', '-', 'g') || '-' || strftime(b.start, '%Y-%m-%d') AS letter_id,
          ${literal(SYNTHETIC_BANNER)} || chr(10) || chr(10) ||
            strftime(b.start + 29, '%-d %B %Y') || chr(10) || chr(10) || 'Dear Director' || chr(10) || chr(10) ||
            'Annual unannounced inspection of contact, referral and assessment arrangements within ' ||
            b.council_name || ' children''s services' || chr(10) || chr(10) ||
            'This letter summarises the findings of the recent unannounced inspection of contact, referral and assessment arrangements within ' ||
            b.council_name || ' which was conducted on ' || strftime(b.start, '%-d %B') || ' and ' ||
            strftime(b.start + 1, '%-d %B %Y') || '.' || chr(10) || chr(10) ||
            'From the evidence gathered, the following features of the service were identified:' AS head
        FROM base AS b`,
      `CREATE TABLE synthetic_findings AS
        WITH picked AS (
          -- A tag makes every text unique, as real findings are: without it the few real texts
          -- would repeat and compress (and load) far better than a real archive's.
          SELECT s.i, s.section, s.heading, s.ord, s.j, p.source_id,
            p.text || ' [synthetic ' || s.i || '.' || s.ord || '.' || s.j || ']' AS text,
            p.previously_identified
          FROM slots AS s
          JOIN pool_n AS pn USING (section)
          JOIN pool AS p ON p.section = s.section AND p.k = ${h('s.i', 's.section', 's.j')} % pn.n
        ),
        positioned AS (
          SELECT *, row_number() OVER (PARTITION BY i ORDER BY ord, j)::INTEGER AS position,
            CASE WHEN j = 0 THEN chr(10) || chr(10) || heading || chr(10) || chr(10) || '- '
              ELSE chr(10) || '- ' END AS prefix
          FROM picked
        ),
        offsets AS (
          SELECT *, coalesce(sum(length(prefix) + length(text)) OVER (
              PARTITION BY i ORDER BY position ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)
            AS before
          FROM positioned
        )
        SELECT o.*, m.letter_id, m.letter_id || '#' || o.position AS finding_id,
          (length(m.head) + o.before + length(o.prefix))::INTEGER AS char_start
        FROM offsets AS o JOIN letter_meta AS m USING (i)`,
      `CREATE TABLE synthetic_letters AS
        WITH agg AS (
          SELECT i, bool_or(section = 'priority_action') AS has_priority_actions,
            count(*)::INTEGER AS finding_count,
            string_agg(prefix || text, '' ORDER BY position) AS body
          FROM synthetic_findings GROUP BY i
        )
        SELECT m.letter_id,
          'synthetic-' || lpad(m.i::VARCHAR, 6, '0') || '.txt' AS source_file,
          CASE WHEN ${h('m.i', "'kind'")} % 50 = 0 THEN 'council_report' ELSE 'ofsted_letter' END AS document_kind,
          m.council_name, m.la_code, m.dfe_la_code, m.region,
          m.start + 29 AS letter_date, m.start AS inspection_start, m.start + 1 AS inspection_end,
          year(m.start)::INTEGER AS inspection_year,
          CASE WHEN month(m.start) >= 4
            THEN year(m.start) || '-' || lpad(((year(m.start) + 1) % 100)::VARCHAR, 2, '0')
            ELSE (year(m.start) - 1) || '-' || lpad((year(m.start) % 100)::VARCHAR, 2, '0') END AS reporting_year,
          'Sam Synthetic' AS inspector,
          a.has_priority_actions, a.finding_count,
          m.head || a.body || chr(10) || chr(10) || 'Yours sincerely' || chr(10) || chr(10) ||
            'Sam Synthetic' || chr(10) AS source_text,
          NULL::VARCHAR AS parse_warnings
        FROM letter_meta AS m JOIN agg AS a USING (i)`,
    ]);
    const copy = async (table: keyof typeof TABLES, select: string) => {
      const columns = Object.keys(TABLES[table]).join(', ');
      const file = literal(path.join(outDir, `${table}.parquet`));
      await connection.run(
        `COPY (SELECT ${columns} FROM (${select})) TO ${file} (FORMAT parquet, COMPRESSION snappy)`,
      );
    };
    await copy('letters', 'SELECT * FROM synthetic_letters ORDER BY letter_id');
    await copy(
      'findings',
      `SELECT finding_id, letter_id, position, section, text, char_start,
        (char_start + length(text))::INTEGER AS char_end, previously_identified,
        -- Shaped as the pipeline's keys; the hash is DuckDB's, not the pipeline's.
        letter_id || ':' || left(md5(text || position::VARCHAR), 16) AS finding_key,
        NULL::INTEGER AS page
       FROM synthetic_findings ORDER BY letter_id, position`,
    );
    await copy(
      'finding_themes',
      `SELECT f.finding_id, ft.theme_id, ft.rank, ft.evidence, ft.confidence, ft.uncertain, ft.source
       FROM synthetic_findings AS f JOIN real_ft AS ft ON ft.finding_id = f.source_id
       ORDER BY f.letter_id, f.position, ft.rank`,
    );
    await copy('themes', 'SELECT * FROM themes ORDER BY theme_id');
    await copy('councils', 'SELECT * FROM councils ORDER BY dfe_la_code');
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
