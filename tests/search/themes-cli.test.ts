import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertUserTagsSql } from '@/app/saved-themes/saved-themes-sql';
import { defaultTaxonomy } from '@/core/pipeline/taxonomy';
import { TABLES } from '@/core/schema';
import { userThemeIds, type SavedTheme } from '@/core/search/saved-themes';
import { SearchEngine } from '@/lib/search/search-engine';
import { buildSearchFindingsSql, type SearchFindingRow } from '@/lib/search/search-rows';
import { LETTERS_DIR } from '../helpers/gold';
import { runIngest } from '../helpers/run-ingest';
import { openDatabase, runBuilt } from '../support/parquet-fixture';

// `npm run ingest -- --themes FILE`: the saved-themes file the page exports, written into
// themes.parquet (user_defined) and finding_themes.parquet (source 'user'), read back with
// DuckDB, against what the page's own search worker and SQL make of the same findings.

const work = mkdtempSync(path.join(tmpdir(), 'ingest-themes-'));
let db: DuckDBConnection;
let plainDb: DuckDBConnection;
const plain = path.join(work, 'plain');
const themed = path.join(work, 'themed');

const THEMES: SavedTheme[] = [
  { name: 'Thresholds', query: 'threshold*' },
  { name: 'DV notifications', query: '"domestic violence" OR notification*' },
  {
    name: `Robert'); DROP TABLE themes;-- <b>bold</b> "quoted" 50%|a:b`,
    query: `(police OR health) -strategy`,
  },
  { name: 'Nothing at all', query: 'zebra*' },
];

function writeThemes(name: string, value: unknown): string {
  const file = path.join(work, name);
  writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
  return file;
}

const literal = (p: string) => `'${p.replace(/'/g, "''")}'`;
const file = (dir: string, table: string) =>
  `read_parquet(${literal(path.join(dir, `${table}.parquet`))})`;
async function rows(sql: string): Promise<Record<string, unknown>[]> {
  return (await db.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
}

beforeAll(async () => {
  db = await (await DuckDBInstance.create(':memory:')).connect();
  const first = runIngest(['--out', plain, LETTERS_DIR]);
  expect(first.status, first.stderr).toBe(0);
  const run = runIngest([
    '--out',
    themed,
    '--themes',
    writeThemes('mine.json', { version: 1, themes: THEMES }),
    LETTERS_DIR,
  ]);
  expect(run.status, run.stderr).toBe(0);
  plainDb = await openDatabase(plain);
}, 180_000);

afterAll(() => {
  db?.closeSync();
  plainDb?.closeSync();
  rmSync(work, { recursive: true, force: true });
});

describe('npm run ingest -- --themes FILE', () => {
  it('writes each saved theme into themes.parquet, marked user-defined (contract 1.4)', async () => {
    const columns = await rows(`DESCRIBE SELECT * FROM ${file(themed, 'themes')}`);
    expect(columns.map((c) => [c.column_name, c.column_type])).toEqual(
      Object.entries(TABLES.themes),
    );
    const themes = await rows(
      `SELECT theme_id, label, group_label, description, user_defined FROM ${file(themed, 'themes')}`,
    );
    const taxonomy = themes.filter((t) => t.user_defined === false);
    expect(taxonomy.map((t) => t.theme_id)).toEqual(defaultTaxonomy.themes.map((t) => t.id));
    const ids = userThemeIds(THEMES, new Set(defaultTaxonomy.themes.map((t) => t.id)));
    expect(themes.filter((t) => t.user_defined === true)).toEqual(
      THEMES.map((t, i) => ({
        theme_id: ids[i],
        label: t.name,
        group_label: 'User-defined themes',
        description: `Findings that match the search ${t.query}`,
        user_defined: true,
      })),
    );
    // The letters, findings and the tagger's own tags are as without the file.
    for (const table of ['letters', 'findings'])
      expect(
        await rows(
          `SELECT count(*) AS n FROM (SELECT * FROM ${file(themed, table)} EXCEPT ALL SELECT * FROM ${file(plain, table)})`,
        ),
      ).toEqual([{ n: '0' }]);
    expect(
      await rows(`SELECT count(*) AS n FROM (
        SELECT * FROM ${file(themed, 'finding_themes')} WHERE source <> 'user'
        EXCEPT ALL SELECT * FROM ${file(plain, 'finding_themes')})`),
    ).toEqual([{ n: '0' }]);
  });

  it('tags the findings the page tags: its search worker’s matches, ranked by its SQL', async () => {
    // The page: its search engine over the same findings (the rows the page indexes), then its
    // own statement inserting the tags after the tagger's.
    const ids = userThemeIds(THEMES, new Set(defaultTaxonomy.themes.map((t) => t.id)));
    const engine = new SearchEngine();
    engine.loadRows(await runBuilt<SearchFindingRow>(plainDb, buildSearchFindingsSql()));
    const tags = engine.themeTags(THEMES.map((t, i) => ({ id: ids[i]!, query: t.query })));
    const staged = tableFromIPC(tags.ipc).toArray() as {
      finding_id: string;
      theme_id: string;
      theme_order: number;
      evidence: string;
    }[];
    expect(tags.counts[0]).toBeGreaterThan(0);
    expect(tags.counts[3]).toBe(0);
    await plainDb.run(
      'CREATE TABLE stage (finding_id VARCHAR, theme_id VARCHAR, theme_order INTEGER, evidence VARCHAR)',
    );
    const appender = await plainDb.createAppender('stage');
    for (const s of staged) {
      appender.appendVarchar(s.finding_id);
      appender.appendVarchar(s.theme_id);
      appender.appendInteger(s.theme_order);
      appender.appendVarchar(s.evidence);
      appender.endRow();
    }
    appender.closeSync();
    await plainDb.run(insertUserTagsSql('stage'));
    const page = (
      await plainDb.runAndReadAll(
        `SELECT finding_id, theme_id, rank, evidence, confidence, uncertain, source
         FROM finding_themes WHERE source = 'user' ORDER BY finding_id, theme_id`,
      )
    ).getRowObjectsJson();
    const cli = await rows(
      `SELECT finding_id, theme_id, rank, evidence, confidence, uncertain, source
       FROM ${file(themed, 'finding_themes')} WHERE source = 'user' ORDER BY finding_id, theme_id`,
    );
    expect(cli.length).toBe(tags.counts.reduce((a, b) => a + b, 0));
    expect(cli).toEqual(page);
    // Each theme's count is what an independent SQL condition counts for the simplest.
    const [thresholds] = await rows(
      `SELECT count(*)::INTEGER AS n FROM ${file(plain, 'findings')}
       WHERE regexp_matches(lower(text), '\\bthreshold')`,
    );
    expect(tags.counts[0]).toBe(thresholds!.n);
    for (const row of cli.filter((r) => r.theme_id === ids[0]))
      expect(String(row.evidence).toLowerCase()).toMatch(/^threshold/);
  });

  // Five runs of the CLI: slow on a loaded machine.
  it(
    'refuses a file that is not valid, or a taxonomy theme’s name, and writes nothing',
    { timeout: 180_000 },
    () => {
      const before = Object.fromEntries(
        readdirSync(themed).map((name) => [name, readFileSync(path.join(themed, name))]),
      );
      const label = defaultTaxonomy.themes[1]!.label;
      const cases: Array<[unknown, RegExp]> = [
        ['{"version": 1, "themes": [', /is not JSON/],
        [{ version: 2, themes: [] }, /"version" is 2/],
        [{ version: 1, themes: [{ name: 'Late', query: '"late' }] }, /never closed/],
        [
          { version: 1, themes: [{ name: label.toLowerCase(), query: 'late' }] },
          /is taken by the taxonomy's theme/,
        ],
      ];
      for (const [value, reason] of cases) {
        const bad = writeThemes('bad.json', value);
        const run = runIngest(['--out', themed, '--themes', bad, LETTERS_DIR]);
        expect(run.status).toBe(2);
        expect(run.stderr).toMatch(reason);
        expect(run.stderr).toContain('bad.json');
        const after = Object.fromEntries(
          readdirSync(themed).map((name) => [name, readFileSync(path.join(themed, name))]),
        );
        expect(after).toEqual(before);
      }
      const missing = runIngest([
        '--out',
        themed,
        '--themes',
        path.join(work, 'nope.json'),
        LETTERS_DIR,
      ]);
      expect(missing.status).toBe(2);
      expect(missing.stderr).toMatch(/nope\.json: cannot be read/);
      expect(existsSync(path.join(themed, 'themes.parquet'))).toBe(true);
    },
  );
});
