import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LETTERS_DIR, ROOT } from '../helpers/gold';
import { runIngest } from '../helpers/run-ingest';
import { useBrowserHarness } from '../support/browser-harness';

// Letters in every format, added in the page: a zip made with Info-ZIP holding a .doc, .rtf,
// .odt, .pdf and .docx made by LibreOffice, two web-archive pages, a Windows-1252 text and three
// members that are not letters; beside it a .docx made by LibreOffice from a seed page, a seed
// saved as Windows-1252 and an .odt (tests/fixtures/formats/README.md says how each was made).
// The page must read them as the CLI does, member by member, and reject the bad ones by name.
const h = useBrowserHarness();
const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 60_000 });
const FORMATS = path.join(ROOT, 'tests/fixtures/formats');
const PICKED = [
  ['zip', 'letters-mixed.zip', 'application/zip'],
  ['seeds-docx', '002_2ed5ee8deec2682d.docx', ''],
  ['cp1252', '003_ac4adaa95d9c2761.txt', 'text/plain'],
  ['lo-odt', 'ucra_leeds_2010-08.odt', ''],
] as const;

let work: string;
const literal = (file: string) => `'${file.replace(/'/g, "''")}'`;
const read = async (sql: string) =>
  (await h.db.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];

beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'add-formats-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('adding letters in every format in the page', () => {
  it('reads each document as the CLI does, zip members by name, the bad ones rejected one by one', async () => {
    await h.open('?view=add-letters');
    const input = h.page.getByTestId('add-letters-input');
    await poll(() => input.isEnabled()).toBe(true);
    await input.setInputFiles(
      PICKED.map(([dir, name, mimeType]) => ({
        name,
        mimeType,
        buffer: readFileSync(path.join(FORMATS, dir, name)),
      })),
    );
    const result = h.page.getByTestId('add-letters-result');
    await result.waitFor({ timeout: 120_000 });
    const rejected = (await h.page.getByTestId('add-letters-rejected').textContent()) ?? '';
    for (const member of ['notes.xlsx', 'broken.pdf', 'empty.txt'])
      expect(rejected).toContain(`letters-mixed.zip/${member}:`);
    expect(await result.textContent()).toContain('11 letters added, 3 not added');
    await h.screenshot('add-formats');
    await h.expectNoSeriousAxeViolations();

    // What the CLI makes of the bundled letters and the same files: the same rows, to the byte.
    const added = path.join(work, 'added');
    mkdirSync(added);
    for (const [dir, name] of PICKED)
      copyFileSync(path.join(FORMATS, dir, name), path.join(added, name));
    const expected = path.join(work, 'expected');
    const run = runIngest(['--out', expected, LETTERS_DIR, added]);
    expect(run.status, run.stderr).toBe(1);

    await h.page.getByRole('button', { name: 'Prepare the download' }).click();
    const links = h.page.getByTestId('add-letters-downloads').getByRole('link');
    await poll(() => links.count()).toBeGreaterThan(0);
    const downloaded = path.join(work, 'downloaded');
    mkdirSync(downloaded);
    for (const table of ['letters', 'findings', 'finding_themes']) {
      const [download] = await Promise.all([
        h.page.waitForEvent('download'),
        h.page
          .getByTestId('add-letters-downloads')
          .getByRole('link', { name: `${table}.parquet`, exact: true })
          .click(),
      ]);
      await download.saveAs(path.join(downloaded, `${table}.parquet`));
      const mine = literal(path.join(downloaded, `${table}.parquet`));
      const cli = literal(path.join(expected, `${table}.parquet`));
      const [diff] = await read(`SELECT
        (SELECT count(*) FROM (FROM read_parquet(${mine}) EXCEPT ALL FROM read_parquet(${cli})))::INTEGER AS only_page,
        (SELECT count(*) FROM (FROM read_parquet(${cli}) EXCEPT ALL FROM read_parquet(${mine})))::INTEGER AS only_cli`);
      expect(diff, table).toEqual({ only_page: 0, only_cli: 0 });
    }
    const sources = await read(
      `SELECT source_file FROM read_parquet(${literal(path.join(downloaded, 'letters.parquet'))}) ORDER BY 1`,
    );
    expect(sources.map((r) => r.source_file)).toEqual(
      expect.arrayContaining([
        'letters-mixed.zip/ucra_bradford_2009-09.doc',
        'letters-mixed.zip/more/004_88aacc15415e043e.txt',
        '002_2ed5ee8deec2682d.docx',
        '003_ac4adaa95d9c2761.txt',
      ]),
    );
  });
});
