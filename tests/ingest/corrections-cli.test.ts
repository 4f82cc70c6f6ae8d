import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CORRECTIONS_FORMAT } from '@/core/corrections';
import { LETTERS_DIR } from '../helpers/gold';
import { runIngest } from '../helpers/run-ingest';

const work = mkdtempSync(path.join(tmpdir(), 'ingest-corrections-'));
let db: DuckDBConnection;
afterAll(() => {
  db?.closeSync();
  rmSync(work, { recursive: true, force: true });
});

const literal = (p: string) => `'${p.replace(/'/g, "''")}'`;
const table = (dir: string, name: string) =>
  `read_parquet(${literal(path.join(dir, `${name}.parquet`))})`;
async function rows(sql: string): Promise<Record<string, unknown>[]> {
  return (await db.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
}

const plain = path.join(work, 'plain');
beforeAll(async () => {
  db = await (await DuckDBInstance.create(':memory:')).connect();
  const run = runIngest(['--out', plain, LETTERS_DIR]);
  expect(run.status, run.stderr).toBe(0);
}, 120_000);

function writeCorrections(name: string, corrections: unknown[]): string {
  const file = path.join(work, name);
  writeFileSync(file, JSON.stringify({ format: CORRECTIONS_FORMAT, version: 1, corrections }));
  return file;
}

describe('npm run ingest -- --corrections FILE', () => {
  it('removes and adds themes, moves a finding, and publishes what it applied', async () => {
    const [finding] = await rows(`
      SELECT f.finding_id, f.finding_key, f.letter_id, any_value(ft.theme_id) AS theme
      FROM ${table(plain, 'findings')} AS f JOIN ${table(plain, 'finding_themes')} AS ft USING (finding_id)
      JOIN ${table(plain, 'letters')} AS l USING (letter_id)
      WHERE f.section = 'development' AND NOT l.has_priority_actions
      GROUP BY ALL ORDER BY f.finding_id LIMIT 1`);
    const key = String(finding!.finding_key);
    const file = writeCorrections('good.json', [
      { action: 'remove_theme', finding_key: key, theme_id: finding!.theme, reason: 'passing' },
      { action: 'add_theme', finding_key: key, theme_id: 'child_voice', reason: 'about it' },
      { action: 'move_section', finding_key: key, section: 'priority_action', reason: 'heading' },
    ]);
    const out = path.join(work, 'good');
    const run = runIngest(['--out', out, '--corrections', file, LETTERS_DIR]);
    expect(run.status, run.stderr).toBe(0);
    const themes = await rows(`
      SELECT theme_id, rank, source FROM ${table(out, 'finding_themes')}
      WHERE finding_id = ${literal(String(finding!.finding_id))} ORDER BY rank`);
    expect(themes.map((t) => t.theme_id)).not.toContain(finding!.theme);
    expect(themes.at(-1)).toEqual({
      theme_id: 'child_voice',
      rank: themes.length,
      source: 'reviewed',
    });
    expect(themes.slice(0, -1).every((t) => t.source === 'tagger')).toBe(true);
    const [moved] = await rows(`
      SELECT f.section, l.has_priority_actions FROM ${table(out, 'findings')} AS f
      JOIN ${table(out, 'letters')} AS l USING (letter_id)
      WHERE f.finding_id = ${literal(String(finding!.finding_id))}`);
    expect(moved).toEqual({ section: 'priority_action', has_priority_actions: true });
    // Every other row is as the plain run wrote it.
    const [others] = await rows(`
      SELECT count(*)::INTEGER AS n FROM (
        SELECT * FROM ${table(plain, 'finding_themes')}
        WHERE finding_id <> ${literal(String(finding!.finding_id))}
        EXCEPT ALL
        SELECT * FROM ${table(out, 'finding_themes')})`);
    expect(others!.n).toBe(0);
    const published = JSON.parse(readFileSync(path.join(out, 'corrections.json'), 'utf8')) as {
      corrections: unknown[];
    };
    expect(published.corrections).toHaveLength(3);
  });

  it('names a correction whose finding is gone, and applies the rest', () => {
    const file = writeCorrections('gone.json', [
      {
        action: 'add_theme',
        finding_key: 'nowhere-2009-01-01:0123456789abcdef',
        theme_id: 'child_voice',
        reason: 'x',
      },
    ]);
    const out = path.join(work, 'gone');
    const run = runIngest(['--out', out, '--corrections', file, LETTERS_DIR]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      `rejected: ${file}#1: no finding nowhere-2009-01-01:0123456789abcdef`,
    );
    const rejected = JSON.parse(readFileSync(path.join(out, 'rejected.json'), 'utf8')) as {
      file: string;
    }[];
    expect(rejected.map((r) => r.file)).toEqual([`${file}#1`]);
  });

  it('refuses a file that is not valid, or names an unknown theme, and writes nothing', () => {
    const notJson = path.join(work, 'not.json');
    writeFileSync(notJson, '{ nope');
    const unknown = writeCorrections('unknown.json', [
      {
        action: 'add_theme',
        finding_key: 'a-2009-01-01:0123456789abcdef',
        theme_id: 'nope',
        reason: 'x',
      },
    ]);
    for (const [file, message] of [
      [notJson, /not\.json: not a usable corrections file: not JSON/],
      [unknown, /"nope" is not a theme of the taxonomy/],
      [path.join(work, 'missing.json'), /missing\.json: cannot be read/],
    ] as const) {
      const out = path.join(work, `refused-${path.basename(file)}`);
      const run = runIngest(['--out', out, '--corrections', file, LETTERS_DIR]);
      expect(run.status, file).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(existsSync(out)).toBe(false);
    }
  });
});
