/**
 * `npm run search -- "QUERY" [--out DIR] [--format text|csv|json] [--limit N]`
 * `npm run search -- --similar FINDING_ID [--out DIR] [--format …] [--limit N]`
 *
 * Searches the findings in DIR (default public/data: findings.parquet, letters.parquet and
 * finding_themes.parquet, read with @duckdb/node-api) with the page's own search code
 * (src/core/search/) and prints the matching findings, their words marked [[like this]] in the
 * text format, and how many match per council, per reporting year and per section. `--similar`
 * lists the findings most like one finding instead (TF-IDF cosine, with the words they share).
 *
 * Exit 0: done (no match is no error). 1: DIR has no data. 2: usage error or a query that
 * cannot be read (the reason, as the page shows it, on stderr).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { buildSearchIndex, markText, searchText, type TextSpan } from '../src/core/search/index';
import { parseQuery, queryToString } from '../src/core/search/query';
import { SIMILAR_LIMIT, similarFindings } from '../src/core/search/similar';
import { toCsv, type TableColumn } from '../src/lib/csv';

const USAGE = `usage: npm run search -- "QUERY" [--out DIR] [--format text|csv|json] [--limit N]
       npm run search -- --similar FINDING_ID [--out DIR] [--format text|csv|json] [--limit N]`;
const TABLES = ['findings', 'letters', 'finding_themes'] as const;
const FORMATS = ['text', 'csv', 'json'] as const;
type Format = (typeof FORMATS)[number];
const TEXT_LIMIT = 50;

interface Options {
  query: string | null;
  similar: string | null;
  out: string;
  format: Format;
  limit: number | null;
}

class UsageError extends Error {}

function parseArgs(argv: string[]): Options {
  const options: Options = {
    query: null,
    similar: null,
    out: 'public/data',
    format: 'text',
    limit: null,
  };
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [name, inline] = arg.startsWith('--') ? arg.split(/=(.*)/s, 2) : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new UsageError(`${name} needs a value`);
      return v;
    };
    if (arg === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (name === '--out') options.out = value();
    else if (name === '--similar') options.similar = value();
    else if (name === '--format') {
      const format = value();
      if (!(FORMATS as readonly string[]).includes(format))
        throw new UsageError(`--format must be text, csv or json, not "${format}"`);
      options.format = format as Format;
    } else if (name === '--limit') {
      const limit = value();
      if (!/^\d+$/.test(limit))
        throw new UsageError(`--limit must be a whole number, not "${limit}"`);
      options.limit = Number(limit);
    } else if (arg.startsWith('--') && arg.length > 2)
      throw new UsageError(`unknown option ${name}`);
    else positional.push(arg);
  }
  if (options.similar !== null) {
    if (positional.length > 0) throw new UsageError('give either a query or --similar, not both');
  } else {
    if (positional.length !== 1)
      throw new UsageError(
        positional.length === 0 ? 'give a query' : 'give the query as one argument, in quotes',
      );
    options.query = positional[0]!;
  }
  return options;
}

/** One finding as the CLI shows it. */
interface Row {
  finding_id: string;
  council_name: string;
  reporting_year: string;
  section: string;
  themes: string[];
  text: string;
}

async function load(dir: string): Promise<Row[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const file = (table: string) =>
      `read_parquet(${sqlString(path.join(dir, `${table}.parquet`))})`;
    const reader = await connection.runAndReadAll(`
      WITH themes AS (
        SELECT finding_id, string_agg(theme_id, ';' ORDER BY rank) AS themes
        FROM ${file('finding_themes')} GROUP BY finding_id
      )
      SELECT f.finding_id, coalesce(l.council_name, '') AS council_name,
        coalesce(l.reporting_year, '') AS reporting_year, f.section,
        coalesce(t.themes, '') AS themes, coalesce(f.text, '') AS text
      FROM ${file('findings')} AS f
      LEFT JOIN ${file('letters')} AS l USING (letter_id)
      LEFT JOIN themes AS t USING (finding_id)
      ORDER BY f.letter_id, f.position`);
    const columns = reader.getColumnsObjectJS() as Record<keyof Row, string[]>;
    return columns.finding_id.map((finding_id, i) => ({
      finding_id,
      council_name: columns.council_name[i]!,
      reporting_year: columns.reporting_year[i]!,
      section: columns.section[i]!,
      themes: columns.themes[i] === '' ? [] : columns.themes[i]!.split(';'),
      text: columns.text[i]!,
    }));
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** A SQL string literal for a file path. */
function sqlString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** Counts per value, most first, then by value. */
function countBy(rows: readonly Row[], key: 'council_name' | 'reporting_year' | 'section') {
  const counts = new Map<string, number>();
  for (const row of rows) counts.set(row[key], (counts.get(row[key]) ?? 0) + 1);
  return [...counts]
    .map(([value, findings]) => ({ value, findings }))
    .sort((a, b) => b.findings - a.findings || (a.value < b.value ? -1 : 1));
}

interface Shown extends Row {
  spans: TextSpan[];
  marked: string;
  score?: number;
  shared?: string[];
}

function print(
  options: Options,
  heading: string,
  all: readonly Row[],
  shown: readonly Shown[],
  total: number,
  readAs = '',
): void {
  const counts = {
    council_name: countBy(all, 'council_name'),
    reporting_year: countBy(all, 'reporting_year'),
    section: countBy(all, 'section'),
  };
  if (options.format === 'json') {
    const results = shown.map((r) => ({
      finding_id: r.finding_id,
      council_name: r.council_name,
      reporting_year: r.reporting_year,
      section: r.section,
      themes: r.themes,
      text: r.text,
      ...(r.score === undefined
        ? { marked_text: r.marked, spans: r.spans }
        : { score: r.score, shared: r.shared }),
    }));
    const body =
      options.similar === null
        ? { query: options.query, read_as: readAs, matches: all.length, of: total }
        : { similar_to: options.similar, of: total };
    process.stdout.write(
      `${JSON.stringify({ ...body, shown: shown.length, results, counts }, null, 2)}\n`,
    );
    return;
  }
  if (options.format === 'csv') {
    const columns: TableColumn<Shown>[] = [
      { key: 'finding_id', label: 'finding_id' },
      { key: 'council_name', label: 'council_name' },
      { key: 'reporting_year', label: 'reporting_year' },
      { key: 'section', label: 'section' },
      { key: 'themes', label: 'themes' },
      ...(options.similar === null
        ? [
            { key: 'text', label: 'text' } as const,
            { key: 'marked', label: 'marked_text' } as const,
          ]
        : [
            { key: 'score', label: 'score' } as const,
            { key: 'shared', label: 'shared_words' } as const,
            { key: 'text', label: 'text' } as const,
          ]),
    ];
    process.stdout.write(toCsv(shown, columns));
    process.stderr.write(`${heading}: ${all.length} of ${total} findings\n`);
    return;
  }
  const lines: string[] = [`${heading}: ${all.length} of ${total} findings`, ''];
  for (const r of shown) {
    const themes = r.themes.length > 0 ? r.themes.join(', ') : 'no theme';
    const score = r.score === undefined ? '' : `  score ${r.score.toFixed(3)}`;
    lines.push(
      `${r.finding_id}  ${r.council_name}  ${r.reporting_year}  ${r.section}  [${themes}]${score}`,
    );
    if (r.shared) lines.push(`  shared words: ${r.shared.join(', ')}`);
    lines.push(`  ${r.marked}`, '');
  }
  if (shown.length < all.length)
    lines.push(`(${shown.length} shown; --limit N shows more, --format csv|json all)`, '');
  if (all.length > 0) {
    const table = (title: string, list: Array<{ value: string; findings: number }>) => {
      lines.push(title);
      const width = Math.max(...list.map((c) => c.value.length), 8);
      for (const c of list) lines.push(`  ${(c.value || '(none)').padEnd(width)}  ${c.findings}`);
      lines.push('');
    };
    table('per council:', counts.council_name);
    table('per reporting year:', counts.reporting_year);
    table('per section:', counts.section);
  }
  process.stdout.write(`${lines.join('\n').trimEnd()}\n`);
}

async function main(): Promise<number> {
  let options: Options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`search: ${error.message}\n${USAGE}\n`);
    return 2;
  }
  // A query that cannot be read is reported before any data is read, as the page does.
  if (options.query !== null) {
    const parsed = parseQuery(options.query);
    if (!parsed.ok) {
      process.stderr.write(`search: ${parsed.error.message}\n`);
      return 2;
    }
  }
  const dir = path.resolve(options.out);
  const missing = TABLES.filter((t) => !existsSync(path.join(dir, `${t}.parquet`)));
  if (missing.length > 0) {
    process.stderr.write(
      `search: no data in ${options.out} (${missing.map((t) => `${t}.parquet`).join(', ')} missing): run npm run ingest first\n`,
    );
    return 1;
  }
  const rows = await load(dir);
  const index = buildSearchIndex(rows);

  if (options.similar !== null) {
    const number = rows.findIndex((r) => r.finding_id === options.similar);
    if (number < 0) {
      process.stderr.write(`search: no finding ${options.similar} in ${options.out}\n`);
      return 1;
    }
    const similar = similarFindings(index, number, options.limit ?? SIMILAR_LIMIT);
    const shown = similar.map((s) => ({
      ...rows[s.finding]!,
      spans: [],
      marked: rows[s.finding]!.text,
      score: s.score,
      shared: s.shared,
    }));
    print(
      options,
      `findings most like ${options.similar} ("${rows[number]!.text.slice(0, 60)}…")`,
      shown,
      shown,
      rows.length,
    );
    return 0;
  }

  const answer = searchText(index, options.query!);
  if (!answer.ok) {
    process.stderr.write(`search: ${answer.error.message}\n`);
    return 2;
  }
  const { result } = answer;
  const all = Array.from(result.findings, (n) => rows[n]!);
  const limit = options.limit ?? (options.format === 'text' ? TEXT_LIMIT : all.length);
  const shown: Shown[] = all.slice(0, limit).map((row, k) => {
    const spans = result.spans(k);
    return { ...row, spans, marked: markText(row.text, spans) };
  });
  const readAs = queryToString(answer.query);
  print(options, `"${options.query}" (read as ${readAs})`, all, shown, rows.length, readAs);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`search: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
