import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseLetter } from '@/core/pipeline/parse-letter';
import { LETTERS_DIR } from '../helpers/gold';
import { useBrowserHarness } from '../support/browser-harness';
import { makeSyntheticLetters } from '../../scripts/bench/synthetic-letters';

const h = useBrowserHarness();

/** `expect.poll` with room for the engine to start and a big batch to be read. */
const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 90_000 });

/** A file as the page's file input is given it. */
interface PickedFile {
  name: string;
  mimeType: string;
  buffer: Buffer;
}

/** How many letters a big batch holds: the figure. */
const MANY = 300;

/** Each test adds hundreds of letters: room for a slow, shared machine. */
const TIMEOUT_MS = 240_000;

let earlier: PickedFile[];
let many: PickedFile[];
let replacement: PickedFile;

const picked = (name: string, text: string): PickedFile => ({
  name,
  mimeType: 'text/plain',
  buffer: Buffer.from(text),
});

beforeAll(() => {
  // Synthetic letters (flagged as such in their text) recombined from the bundled ones, each a
  // distinct inspection no bundled letter covers.
  const pool = readdirSync(LETTERS_DIR)
    .filter((n) => /\.(txt|md)$/.test(n))
    .sort()
    .map((n) => parseLetter(readFileSync(path.join(LETTERS_DIR, n), 'utf8'), n));
  const letters = makeSyntheticLetters(pool, MANY + 2, 7);
  earlier = letters.slice(0, 2).map((l) => picked(l.name, l.text));
  many = letters.slice(2).map((l) => picked(l.name, l.text));
  // The same inspection as the first letter added earlier, in other words: it would replace it.
  replacement = picked(
    'replacement-for-the-first.txt',
    letters[0]!.text.replace('Dear Director', 'Dear Director of Children’s Services'),
  );
});

/** What the session holds: every table the add touches, and no stage table left over. */
async function sessionFingerprint(): Promise<Record<string, unknown>> {
  return h.page.evaluate(async () => {
    const run = (globalThis as unknown as { __duckdbQuery: (sql: string) => Promise<unknown[]> })
      .__duckdbQuery;
    const [row] = (await run(`SELECT
        (SELECT count(*) FROM letters)::INTEGER AS letters,
        (SELECT count(*) FROM findings)::INTEGER AS findings,
        (SELECT count(*) FROM finding_themes)::INTEGER AS finding_themes,
        (SELECT count(*) FROM added_letters)::INTEGER AS added_letters,
        (SELECT count(*) FROM letter_theme_facts)::INTEGER AS letter_theme_facts,
        (SELECT count(*) FROM council_theme_facts)::INTEGER AS council_theme_facts,
        (SELECT string_agg(letter_id || '|' || source_file || '|' || length(source_text), ','
           ORDER BY letter_id) FROM letters) AS letter_list,
        (SELECT string_agg(finding_id || '|' || md5(text), ',' ORDER BY finding_id)
           FROM findings) AS finding_list,
        (SELECT count(*) FROM duckdb_tables()
           WHERE table_name LIKE 'add_letters_stage_%')::INTEGER AS stage_tables`)) as Record<
      string,
      unknown
    >[];
    return row!;
  });
}

/** Every letter remembered in this browser (IndexedDB), in key order. */
async function storedLetters(): Promise<unknown[]> {
  return h.page.evaluate(
    () =>
      new Promise<unknown[]>((resolve, reject) => {
        const open = indexedDB.open('front-door-dashboard');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('added-letters')) {
            db.close();
            resolve([]);
            return;
          }
          const all = db.transaction('added-letters').objectStore('added-letters').getAll();
          all.onerror = () => reject(all.error);
          all.onsuccess = () => {
            db.close();
            resolve(all.result as unknown[]);
          };
        };
      }),
  );
}

/** Opens Add letters with the engine's query function exposed (as the view profiler has it). */
async function openAddLetters(): Promise<void> {
  await h.page.addInitScript(() => {
    (globalThis as unknown as { __duckdbQueryLog: unknown[] }).__duckdbQueryLog = [];
  });
  await h.open('?view=add-letters');
}

/** Adds files and waits for their report. */
async function addAndWait(files: PickedFile[]): Promise<string> {
  const input = h.page.getByTestId('add-letters-input');
  await poll(() => input.isEnabled()).toBe(true);
  await input.setInputFiles(files);
  const result = h.page.getByTestId('add-letters-result').filter({ hasText: files[0]!.name });
  await result.waitFor({ timeout: 120_000 });
  return (await result.locator('.batch-summary').textContent()) ?? '';
}

/** Two letters added and remembered: what a cancelled batch must leave as it found it. */
async function startWithTwoAdded(): Promise<{
  session: Record<string, unknown>;
  stored: unknown[];
}> {
  await openAddLetters();
  expect(await addAndWait(earlier)).toMatch(/^2 letters added/);
  await poll(() => h.page.getByTestId('add-letters-entry').textContent()).toContain(
    '2 added by you',
  );
  const stored = await storedLetters();
  expect(stored).toHaveLength(2);
  return { session: await sessionFingerprint(), stored };
}

/** The page after a cancelled batch: it says so, and nothing of the batch is anywhere. */
async function expectNothingKept(before: {
  session: Record<string, unknown>;
  stored: unknown[];
}): Promise<void> {
  const cancelled = h.page.getByTestId('add-letters-cancelled');
  // However the batch ends, it is seen at once: cancelled, or (wrongly) added.
  await cancelled.or(h.page.getByTestId('add-letters-result')).waitFor({ timeout: 120_000 });
  // If the batch went in after all, say when Cancel was pressed (the second test records it).
  const pressed = await h.page.evaluate(
    () => (globalThis as unknown as { __cancelPressed?: string }).__cancelPressed ?? 'not recorded',
  );
  expect(
    await h.page.getByTestId('add-letters-result').count(),
    `the batch was added; Cancel pressed at: ${pressed}`,
  ).toBe(0);
  expect(await cancelled.textContent()).toContain('Cancelled: no letters were added.');
  expect(await cancelled.textContent()).toContain(
    `Nothing of the ${MANY + 1} files you chose was kept`,
  );
  expect(await h.page.getByTestId('add-letters-cancel').count()).toBe(0);
  expect(await h.page.getByTestId('add-letters-input').isEnabled()).toBe(true);
  expect(await sessionFingerprint()).toEqual(before.session);
  expect(await storedLetters()).toEqual(before.stored);
  // The list and the header still count the two letters added before, and only them.
  const rows = h.page.locator('section', { hasText: 'Letters added by you' }).locator('tbody tr');
  await poll(() => rows.count()).toBe(2);
  expect(await h.page.getByTestId('add-letters-entry').textContent()).toContain('2 added by you');
}

describe('cancelling a batch of letters', () => {
  it(
    'Escape while the files are read: the worker stops, nothing is kept, the next batch works',
    async () => {
      const before = await startWithTwoAdded();
      await h.page.getByTestId('add-letters-input').setInputFiles([...many, replacement]);
      const progress = h.page.getByTestId('add-letters-progress');
      // Some files read, most not yet.
      await poll(async () => {
        const words = (await progress.textContent()) ?? '';
        const read = /^Reading: (\d+) of/.exec(words);
        return read !== null && Number(read[1]) > 0;
      }).toBe(true);
      // Cancel is where the keyboard is (the file input is disabled meanwhile), and says Escape.
      const cancel = h.page.getByTestId('add-letters-cancel');
      await poll(() => cancel.evaluate((el) => el === document.activeElement)).toBe(true);
      expect(await cancel.getAttribute('aria-keyshortcuts')).toBe('Escape');
      // One worker reads the batch (the one that read the two letters before, kept for reuse).
      const readers = () => h.page.workers().filter((w) => /add-letters-worker/.test(w.url()));
      expect(readers()).toHaveLength(1);
      await h.page.keyboard.press('Escape');
      await expectNothingKept(before);
      // Stopped, not left to read on: no letter-reading worker is left.
      await expect.poll(() => readers().length, { timeout: 20_000 }).toBe(0);
      await h.expectNoSeriousAxeViolations();
      await h.screenshot('add-letters-cancelled');

      // A stopped worker is not reused: the next batch reads in a fresh one.
      expect(await addAndWait([replacement])).toMatch(/^1 letter added/);
      expect(await h.page.getByTestId('add-letters-result').textContent()).toContain(
        'replaced the copy you added before',
      );
    },
    TIMEOUT_MS,
  );

  it(
    'Cancel as the letters go into the engine: rolled back, no stage table left',
    async () => {
      const before = await startWithTwoAdded();
      // The engine is kept busy from the start of the batch, so that its insert moves one statement
      // at a time (however fast or slow this machine), and Cancel is pressed the moment the page
      // says the letters are going in: well before the insert could reach its commit.
      await h.page.evaluate(() => {
        const run = (globalThis as unknown as { __duckdbQuery: (sql: string) => Promise<unknown> })
          .__duckdbQuery;
        const state = globalThis as unknown as { __cancelPressed?: string };
        let busy = false;
        let stop = false;
        const keepBusy = async () => {
          while (!stop) await run('SELECT sum(hash(i)) FROM range(20000000) AS t(i)');
        };
        const observer = new MutationObserver(() => {
          const phase = document
            .querySelector('.add-running .add-progress')
            ?.getAttribute('data-phase');
          if (phase === 'reading' && !busy) {
            busy = true;
            void keepBusy();
          }
          if (phase !== 'inserting') return;
          observer.disconnect();
          stop = true;
          const button = document.querySelector<HTMLButtonElement>(
            '[data-testid="add-letters-cancel"]',
          );
          state.__cancelPressed = `${phase}, ${button?.getAttribute('aria-disabled')}`;
          button?.click();
        });
        observer.observe(document.body, { subtree: true, childList: true, attributes: true });
      });
      await h.page.getByTestId('add-letters-input').setInputFiles([...many, replacement]);
      await expectNothingKept(before);
      // It was pressed while the letters were going in, and could still be.
      expect(
        await h.page.evaluate(
          () => (globalThis as unknown as { __cancelPressed?: string }).__cancelPressed,
        ),
      ).toBe('inserting, false');
    },
    TIMEOUT_MS,
  );

  it(
    `${MANY} letters added: each one in every table, remembered, listed`,
    async () => {
      await openAddLetters();
      const before = await sessionFingerprint();
      const input = h.page.getByTestId('add-letters-input');
      await poll(() => input.isEnabled()).toBe(true);
      await input.setInputFiles(many);
      await h.page.getByTestId('add-letters-cancel').waitFor();
      // What the window shows while 300 letters are read: the page is busy, and a picture of
      // the whole of it may take longer than Playwright's default on a loaded machine.
      await h.screenshot('add-letters-running', { fullPage: false, timeout: 90_000 });
      const result = h.page.getByTestId('add-letters-result');
      await result.waitFor({ timeout: 120_000 });
      const summary = (await result.locator('.batch-summary').textContent()) ?? '';
      expect(summary).toMatch(new RegExp(`^${MANY} letters added in`));
      const after = await sessionFingerprint();
      expect(after.letters).toBe(Number(before.letters) + MANY);
      expect(after.added_letters).toBe(MANY);
      expect(after.stage_tables).toBe(0);
      const [expected] = (await h.page.evaluate(() =>
        (globalThis as unknown as { __duckdbQuery: (sql: string) => Promise<unknown[]> })
          .__duckdbQuery(`SELECT sum(finding_count)::INTEGER AS findings FROM letters
        WHERE letter_id IN (SELECT letter_id FROM added_letters)`),
      )) as { findings: number }[];
      expect(after.findings).toBe(Number(before.findings) + expected!.findings);
      expect(Number(after.finding_themes)).toBeGreaterThan(Number(before.finding_themes));
      expect(await storedLetters()).toHaveLength(MANY);
      // The report and the list fill in a few dozen at a time, to the last one.
      await poll(() => h.page.getByTestId('add-letters-result').locator('li').count()).toBe(MANY);
      const rows = h.page
        .locator('section', { hasText: 'Letters added by you' })
        .locator('tbody tr');
      await poll(() => rows.count()).toBe(MANY);
      expect(await h.page.getByTestId('add-letters-entry').textContent()).toContain(
        `${MANY} added by you`,
      );
    },
    TIMEOUT_MS,
  );
});
