import { describe, expect, it } from 'vitest';
import { letterFiles, readLetter } from '../helpers/gold';
import { useBrowserHarness } from '../support/browser-harness';

const h = useBrowserHarness();

/** `expect.poll` with room for the engine to start and a letter to be read (its default is 1 s). */
const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 30_000 });

/** A letter the site lacks: a bundled letter's text moved to Cumbria and to November 2010. */
const movedId = 'cumbria-2010-11-03';
function movedLetter(): { name: string; mimeType: string; buffer: Buffer } {
  const text = readLetter(letterFiles[0]!)
    .replaceAll('North Yorkshire', 'Cumbria')
    .replace('30 June and 1 July 2009', '3 and 4 November 2010')
    .replace('29 July 2009', '1 December 2010');
  return { name: 'cumbria-2010.txt', mimeType: 'text/plain', buffer: Buffer.from(text) };
}

describe('a link that needs letters this browser lacks', () => {
  it('says so in words on a letter link, and opens the letter once its file is added here', async () => {
    // Not held: the site's published letters are all in the Node database, this one is not.
    const held = await h.db.runAndReadAll(
      `SELECT count(*)::INTEGER AS n FROM letters WHERE letter_id = '${movedId}'`,
    );
    expect(held.getRowObjectsJson()[0]!.n).toBe(0);

    await h.open(`?view=letter&letter=${movedId}&finding=3`);
    const notice = h.page.getByTestId('missing-letters');
    await notice.waitFor({ timeout: 30_000 });
    expect(await notice.getAttribute('data-missing')).toBe(movedId);
    expect(await notice.getByRole('heading').textContent()).toBe(
      'This browser does not hold the letter this link needs',
    );
    const text = (await notice.textContent()) ?? '';
    expect(text).toContain(movedId);
    expect(text).toContain('stay in the browser that read them');
    // No bare error, and a way to add it here or in the Add letters view.
    expect(await h.page.locator('.state-error').count()).toBe(0);
    const open = notice.getByRole('link', { name: /Open Add letters/ });
    expect(new URL((await open.getAttribute('href'))!, h.page.url()).searchParams.get('view')).toBe(
      'add-letters',
    );
    await h.expectNoSeriousAxeViolations();
    await h.page.setViewportSize({ width: 390, height: 844 });
    await h.expectNoSeriousAxeViolations();
    await h.screenshot('missing-letter-390');
    await h.page.setViewportSize({ width: 1400, height: 900 });

    // The button opens a file picker; the letter's file read here, the link opens the letter.
    const [chooser] = await Promise.all([
      h.page.waitForEvent('filechooser'),
      notice.getByRole('button', { name: 'Add the letter’s file…' }).click(),
    ]);
    await chooser.setFiles(movedLetter());
    await poll(() => h.page.locator('.letter-span').count()).toBeGreaterThan(3);
    expect(await h.page.getByTestId('missing-letters').count()).toBe(0);
    // The finding the link named is the one in focus.
    expect(await h.page.locator('.letter-span.focused').getAttribute('data-position')).toBe('3');
    expect(new URL(h.page.url()).searchParams.get('letter')).toBe(movedId);
  });

  it('says which file was read when it is not the letter the link needs', async () => {
    await h.open(`?view=letter&letter=someone-else-2011-01-01`);
    const notice = h.page.getByTestId('missing-letters');
    await notice.waitFor({ timeout: 30_000 });
    await notice.getByTestId('missing-letters-input').setInputFiles(movedLetter());
    await poll(() => notice.getByRole('status').textContent()).toContain(
      `cumbria-2010.txt: added as “${movedId}” (Cumbria), which is not the letter this link needs.`,
    );
    expect(await notice.getByRole('status').textContent()).toContain('still missing');
  });

  it('says so on an evidence link to a letter this browser lacks', async () => {
    await h.open(`?view=evidence&letter=${movedId}&section=weakness`);
    const notice = h.page.getByTestId('missing-letters');
    await notice.waitFor({ timeout: 30_000 });
    expect(await notice.getAttribute('data-missing')).toBe(movedId);
    await h.expectNoSeriousAxeViolations();
  });

  it('shows no notice for a letter the site holds', async () => {
    const row = (
      await h.db.runAndReadAll('SELECT letter_id FROM letters ORDER BY letter_id LIMIT 1')
    ).getRowObjectsJson()[0]!;
    await h.open(`?view=letter&letter=${String(row.letter_id)}`);
    await poll(() => h.page.locator('.letter-span').count()).toBeGreaterThan(0);
    expect(await h.page.getByTestId('missing-letters').count()).toBe(0);
  });
});
