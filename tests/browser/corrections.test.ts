import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LETTERS_DIR } from '../helpers/gold';
import { runIngest } from '../helpers/run-ingest';
import { useBrowserHarness } from '../support/browser-harness';
import { withoutCsvNotes } from '../support/csv-export';

const h = useBrowserHarness();
const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 30_000 });
const work = mkdtempSync(path.join(tmpdir(), 'corrections-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;

async function read(sql: string): Promise<Record<string, unknown>[]> {
  return (await h.db.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
}

/** Letters that raise a theme as a weakness, counted over a set of finding and theme rows. */
const WEAK_LETTERS = (findings: string, themes: string, theme: string) => `
  SELECT count(DISTINCT f.letter_id)::INTEGER AS n
  FROM ${findings} AS f JOIN ${themes} AS ft USING (finding_id)
  WHERE ft.theme_id = ${literal(theme)} AND f.section IN ('development', 'priority_action')`;

describe('corrections made in the page', () => {
  it('cite a finding, change the counts, survive a reload, export, and publish the same counts through the CLI', async () => {
    // A weakness finding whose theme no other weakness finding of its letter has: taking the
    // theme off it takes its letter out of the theme's count.
    const [pick] = await read(`
      WITH weak AS (
        SELECT f.letter_id, f.finding_id, f.position, f.finding_key, ft.theme_id, t.label,
          count(*) OVER (PARTITION BY f.letter_id, ft.theme_id) AS n
        FROM findings AS f JOIN finding_themes AS ft USING (finding_id)
        JOIN themes AS t USING (theme_id) JOIN letters AS l USING (letter_id)
        WHERE f.section = 'development' AND l.document_kind = 'ofsted_letter'
      )
      SELECT * FROM weak WHERE n = 1 ORDER BY letter_id, position, theme_id LIMIT 1`);
    expect(pick).toBeDefined();
    const theme = String(pick!.theme_id);
    const [before] = await read(WEAK_LETTERS('findings', 'finding_themes', theme));
    const expected = Number(before!.n) - 1;

    await h.page.context().addInitScript('globalThis.__duckdbQueryLog = [];');
    await h.open(
      `?view=letter&letter=${String(pick!.letter_id)}&finding=${String(pick!.position)}`,
    );
    const pageCount = async () => {
      const rows = (await h.page.evaluate(
        (sql) => globalThis.__duckdbQuery!(sql, []),
        `SELECT count(DISTINCT letter_id)::INTEGER AS n FROM letter_theme_facts
         WHERE theme_id = ${literal(theme)} AND section IN ('development', 'priority_action')`,
      )) as { n: number }[];
      return Number(rows[0]!.n);
    };
    await poll(pageCount).toBe(Number(before!.n));

    const actions = h.page.getByTestId('letter-finding-actions');
    await actions.getByRole('button', { name: 'Cite' }).click();
    const reference = await actions.getByRole('textbox', { name: 'Reference' }).inputValue();
    expect(reference).toMatch(
      /^Ofsted \(\d{4}\) Unannounced inspection of contact, referral and assessment arrangements: .+, letter of .+, area for development \d+/,
    );
    const link = await actions.getByTestId('finding-cite-link').getAttribute('href');
    expect(new URL(link!).searchParams.get('finding')).toBe(String(pick!.position));

    await actions.getByRole('button', { name: 'Correct' }).click();
    await actions.getByLabel('Correction').selectOption('remove_theme');
    await actions.getByLabel('Theme').selectOption(theme);
    await actions.getByLabel('Reason').fill('named in passing');
    await actions.getByRole('button', { name: 'Save correction' }).click();

    const entry = h.page.getByTestId('corrections-entry');
    await poll(() => entry.locator('summary').textContent()).toContain('1 correction by you');
    await poll(pageCount).toBe(expected);
    // The letter shows the theme gone and the correction, with its undo.
    await poll(() =>
      actions.getByRole('list', { name: /Your corrections/ }).textContent(),
    ).toContain('named in passing');
    await h.expectNoSeriousAxeViolations();

    // Kept in this browser: a reload applies it again.
    await h.page.reload();
    await h.page.waitForSelector('html[data-duckdb="ready"]', { timeout: 60_000 });
    await poll(() => entry.locator('summary').textContent()).toContain('1 correction by you');
    await poll(pageCount).toBe(expected);

    // Exported as the file the ingest takes, which publishes the same counts.
    await entry.locator('summary').click();
    const [download] = await Promise.all([
      h.page.waitForEvent('download'),
      entry.getByRole('button', { name: 'Export corrections' }).click(),
    ]);
    const file = path.join(work, 'corrections.json');
    await download.saveAs(file);
    const exported = JSON.parse(readFileSync(file, 'utf8')) as {
      format: string;
      corrections: { finding_key: string; action: string; theme_id: string }[];
    };
    expect(exported.format).toBe('ucra-corrections');
    expect(exported.corrections).toMatchObject([
      { action: 'remove_theme', theme_id: theme, finding_key: String(pick!.finding_key) },
    ]);
    const out = path.join(work, 'published');
    const run = runIngest(['--out', out, '--corrections', file, LETTERS_DIR]);
    expect(run.status, run.stderr).toBe(0);
    const parquet = (table: string) =>
      `read_parquet(${literal(path.join(out, `${table}.parquet`))})`;
    const [published] = await read(
      WEAK_LETTERS(parquet('findings'), parquet('finding_themes'), theme),
    );
    expect(Number(published!.n)).toBe(expected);
    // The applied corrections are published beside the data.
    const applied = JSON.parse(readFileSync(path.join(out, 'corrections.json'), 'utf8')) as {
      corrections: unknown[];
    };
    expect(applied.corrections).toHaveLength(1);

    // Undone one by one: the count comes back.
    await entry.getByRole('button', { name: /^Undo/ }).click();
    await poll(pageCount).toBe(Number(before!.n));
    await poll(() => entry.locator('summary').textContent()).toBe('Corrections');
  });

  it("labels a council's own report as the council's words in its citation", async () => {
    const [report] = await read(`
      SELECT l.letter_id, min(f.position) AS position, any_value(l.council_name) AS council
      FROM letters AS l JOIN findings AS f USING (letter_id)
      WHERE l.document_kind = 'council_report' GROUP BY l.letter_id LIMIT 1`);
    expect(report).toBeDefined();
    await h.open(
      `?view=letter&letter=${String(report!.letter_id)}&finding=${String(report!.position)}`,
    );
    const actions = h.page.getByTestId('letter-finding-actions');
    await actions.getByRole('button', { name: 'Cite' }).click();
    const reference = await actions.getByRole('textbox', { name: 'Reference' }).inputValue();
    expect(reference.startsWith(`${String(report!.council)} Council (`)).toBe(true);
    expect(await actions.textContent()).toContain("the council's words, not Ofsted's");

    // The same in the Evidence view and its CSV.
    await h.open(`?view=evidence&council=${encodeURIComponent(String(report!.council))}`);
    const provenance = h.page.getByTestId('finding-provenance').first();
    await provenance.waitFor();
    expect(await provenance.textContent()).toMatch(
      /^Council report \(the council's words, not Ofsted's\) · /,
    );
    const [download] = await Promise.all([
      h.page.waitForEvent('download'),
      h.page.getByRole('button', { name: /CSV/ }).first().click(),
    ]);
    const csv = withoutCsvNotes(readFileSync(await download.path(), 'utf8'));
    expect(csv.split('\r\n')[0]).toMatch(/^\ufeff?Document,Council,/);
    expect(csv).toContain(`Council report,${String(report!.council)},`);
    expect(csv).toContain(`${String(report!.council)} Council (`);
  });
});
