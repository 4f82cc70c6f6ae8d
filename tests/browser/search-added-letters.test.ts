import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckDBConnection } from '@duckdb/node-api';
import { SearchEngine } from '@/lib/search/search-engine';
import { SIMILAR_LIMIT } from '@/lib/search/search-protocol';
import { buildSearchFindingsSql, type SearchFindingRow } from '@/lib/search/search-rows';
import { LETTERS_DIR } from '../helpers/gold';
import { runIngest } from '../helpers/run-ingest';
import { SHARED } from '../helpers/score-letters';
import { openDatabase, runBuilt } from '../support/parquet-fixture';
import { useBrowserHarness } from '../support/browser-harness';
import { nav, overviewBar } from '../support/page-parts';

// Search over the bundled letters and letters added in the page: the search view's count, a
// saved theme made from it in the overview, and "findings like this" on an added letter's
// finding, against independent figures from node-api DuckDB over the Parquet the ingest CLI
// writes for the same letters; and axe on the search view.

const h = useBrowserHarness();
const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 30_000 });

/** A file as the page's file input is given it. */
interface PickedFile {
  name: string;
  mimeType: string;
  buffer: Buffer;
}

/** Two labelled synthetic letters, as plain text and markdown: councils the bundle lacks. */
const ADDED = [
  { name: 'ucra_doncaster_2010-02.txt', mimeType: 'text/plain' },
  { name: 'ucra_leeds_2010-08.md', mimeType: 'text/markdown' },
] as const;
const addedPath = (name: string) => path.join(SHARED, 'letters-more/files', name);

/**
 * The search: a rare word found in the bundled letters and in both added ones, under the areas
 * for development too. It occurs in one form only ("electronic": no "electronically" and the
 * like), so the search's dictionary forms and prefixes match just what a whole-word SQL match
 * does; the test checks that (see `ONE_FORM`).
 */
const TERM = 'electronic';
const MATCH = `regexp_matches(lower(f.text), '\\b${TERM}\\b')`;
/** Every word beginning with the term: the same findings when the term has no other form. */
const ONE_FORM = `regexp_matches(lower(f.text), '\\b${TERM}')`;
const WEAK = `f.section IN ('development', 'priority_action')`;

const THEME = 'Electronic systems';
const LABEL = `${THEME} (yours)`;

let work: string;
/** node-api DuckDB over the CLI's Parquet for the bundled letters and the added files. */
let combined: DuckDBConnection;

async function read(db: DuckDBConnection, sql: string): Promise<Record<string, unknown>[]> {
  return (await db.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
}

/** The share of letters with a matching finding under development or priority action. */
async function weaknessShare(db: DuckDBConnection): Promise<number> {
  const [row] = await read(
    db,
    `SELECT (SELECT count(DISTINCT f.letter_id) FROM findings AS f WHERE ${MATCH} AND ${WEAK})
      / (SELECT count(*) FROM letters) AS share`,
  );
  return Number(row!.share);
}

beforeAll(async () => {
  // What the ingest CLI makes of the bundled letters and the two files together.
  work = mkdtempSync(path.join(tmpdir(), 'search-added-letters-'));
  const out = path.join(work, 'out');
  const run = runIngest(['--out', out, LETTERS_DIR, ...ADDED.map((f) => addedPath(f.name))]);
  expect(run.status, run.stderr).toBe(0);
  combined = await openDatabase(out);
});

afterAll(() => {
  combined?.closeSync();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('search over bundled and added letters', { timeout: 180_000 }, () => {
  it('counts, saves as a theme and finds similar findings among the added letters as DuckDB does', async () => {
    const page = h.page;

    // The two files are new inspections: their councils are not among the bundled letters.
    const added = await read(
      combined,
      `SELECT letter_id, council_name FROM letters
       WHERE source_file IN (${ADDED.map((f) => `'${f.name}'`).join(', ')}) ORDER BY 1`,
    );
    expect(added.map((r) => r.council_name)).toEqual(['Doncaster', 'Leeds']);
    const bundledCouncils = await read(h.db, 'SELECT DISTINCT council_name FROM letters');
    for (const r of bundledCouncils) expect(['Doncaster', 'Leeds']).not.toContain(r.council_name);
    const addedIds = added.map((r) => String(r.letter_id));

    // The independent figures: the matching findings, those of the added letters among them.
    const matching = await read(
      combined,
      `SELECT f.finding_id, f.letter_id FROM findings AS f WHERE ${MATCH} ORDER BY 1`,
    );
    const [forms] = await read(
      combined,
      `SELECT count(*)::INTEGER AS n FROM findings AS f WHERE ${ONE_FORM}`,
    );
    expect(forms!.n).toBe(matching.length);
    const fromAdded = matching.filter((r) => addedIds.includes(String(r.letter_id)));
    expect(fromAdded.length).toBeGreaterThan(0);
    const [bundledOnly] = await read(
      h.db,
      `SELECT count(*)::INTEGER AS n FROM findings AS f WHERE ${MATCH}`,
    );
    expect(Number(bundledOnly!.n)).toBeGreaterThan(0);
    expect(matching.length).toBe(Number(bundledOnly!.n) + fromAdded.length);

    // The two files added through the page's file input.
    await h.open('?view=add-letters');
    const files: PickedFile[] = ADDED.map((f) => ({
      ...f,
      buffer: readFileSync(addedPath(f.name)),
    }));
    const input = page.getByTestId('add-letters-input');
    await poll(() => input.isEnabled()).toBe(true);
    await input.setInputFiles(files);
    const result = page.getByTestId('add-letters-result').filter({ hasText: files[0]!.name });
    await result.waitFor({ timeout: 60_000 });
    expect(await result.textContent()).toContain(`${files.length} letters added`);

    // The search view counts and lists every matching finding, the added letters' included.
    await nav(page, 'Search');
    await page.locator('#search-query').fill(TERM);
    await page.locator('#search-query').press('Enter');
    await poll(() => page.getByTestId('search-total').textContent()).toBe(
      `${matching.length} findings match “${TERM}”.`,
    );
    expect(new URL(page.url()).searchParams.get('q')).toBe(TERM);
    const listed = () =>
      page
        .locator('.evidence-item')
        .evaluateAll((items) => items.map((li) => li.getAttribute('data-finding')).sort());
    await poll(listed).toEqual(matching.map((r) => String(r.finding_id)));
    const addedItems = page.locator('.evidence-item', {
      has: page.locator('.added-badge'),
    });
    expect(
      (await addedItems.evaluateAll((items) => items.map((li) => li.getAttribute('data-finding'))))
        .slice()
        .sort(),
    ).toEqual(fromAdded.map((r) => String(r.finding_id)));

    // Findings like this, on an added letter's finding: as the search engine ranks them over
    // the same findings in Node.
    const engine = new SearchEngine();
    engine.loadRows(await runBuilt<SearchFindingRow>(combined, buildSearchFindingsSql()));
    const first = addedItems.first();
    const findingId = (await first.getAttribute('data-finding'))!;
    const button = first.getByRole('button', { name: /Findings like this/ });
    await button.focus();
    await page.keyboard.press('Enter');
    expect(await button.getAttribute('aria-expanded')).toBe('true');
    const panel = first.getByTestId('similar-findings');
    await poll(() => panel.locator('.similar-list > li').count()).toBeGreaterThan(0);
    const expected = engine.answer({ type: 'similar', findingId, limit: SIMILAR_LIMIT }).value;
    if (!('found' in expected) || !expected.found) throw new Error('not found in Node');
    expect(
      await panel
        .locator('.similar-list > li')
        .evaluateAll((items) => items.map((li) => li.getAttribute('data-finding'))),
    ).toEqual(expected.matches.map((m) => m.row.finding_id));

    // Axe on the search view with the added letters' findings listed.
    await h.expectNoSeriousAxeViolations();

    // Saved as a theme from the keyboard: the overview's weakness bar is the share of all the
    // letters, bundled and added, raising it under development or priority action.
    const name = page.getByLabel(`Save the search “${TERM}” as a theme named`);
    await name.focus();
    await page.keyboard.type(THEME);
    await page.keyboard.press('Enter');
    await poll(() => page.getByTestId('save-theme').textContent()).toContain(
      `Saved: “${LABEL}” now counts`,
    );
    await page.waitForSelector('html[data-saved-themes="applied"]', {
      state: 'attached',
      timeout: 60_000,
    });
    const share = await weaknessShare(combined);
    expect(share).toBeGreaterThan(0);
    // Not the bundled letters' figure: the added letters change it.
    expect(share).not.toBe(await weaknessShare(h.db));
    await nav(page, 'Overview');
    await poll(() => overviewBar(page, LABEL)).toBe(String(share));
  });
});
