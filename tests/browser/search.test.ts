import { describe, expect, it } from 'vitest';
import { useBrowserHarness } from '../support/browser-harness';

const h = useBrowserHarness();

describe('search view on the built site', () => {
  it('finds "timescales" with marked words, says why a bad query cannot be read', async () => {
    await h.open('?view=search&q=timescales');
    const page = h.page;
    const box = page.getByLabel('Search every finding');
    await expect.poll(() => box.inputValue()).toBe('timescales');
    const total = page.getByTestId('search-total');
    await total.waitFor({ timeout: 60_000 });
    expect(await total.textContent()).toMatch(/^\d[\d,]* findings? match/);
    await expect.poll(() => page.locator('.evidence-text mark').count()).toBeGreaterThan(0);
    const marked = await page.locator('.evidence-text mark').first().textContent();
    expect(marked?.toLowerCase()).toMatch(/timescale/);
    expect(await page.getByRole('link', { name: /Read it in the letter/ }).count()).toBeGreaterThan(
      0,
    );
    expect(await page.locator('table caption', { hasText: 'per council' }).count()).toBe(1);
    await h.expectNoSeriousAxeViolations();

    // "/" comes back to the box from elsewhere on the page.
    await page.locator('body').click({ position: { x: 1, y: 1 } });
    await page.keyboard.press('/');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('search-query');

    await box.fill('"late');
    await box.press('Enter');
    await expect.poll(() => page.locator('#search-error').textContent()).toMatch(/never closed/);
    expect(new URL(page.url()).searchParams.get('q')).toBe('"late');
    await expect.poll(() => page.getByText('No search was run').count()).toBe(1);
    await h.expectNoSeriousAxeViolations();
  });

  it('opens from any view with "/", the box focused and the filters kept, but not while typing', async () => {
    await h.open('?view=heatmap&year=2009-10');
    const page = h.page;
    await page.locator('body').click({ position: { x: 1, y: 1 } });
    await page.keyboard.press('/');
    await page.waitForURL((url) => url.searchParams.get('view') === 'search');
    expect(new URL(page.url()).searchParams.get('year')).toBe('2009-10');
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.id), { timeout: 30_000 })
      .toBe('search-query');
    await page.keyboard.type('timescales');
    expect(await page.getByLabel('Search every finding').inputValue()).toBe('timescales');

    // Typed in a field of another view, "/" is a character, not a shortcut.
    await h.open('?view=compare');
    const field = page.locator('input[type="text"], input:not([type])').first();
    await field.focus();
    await page.keyboard.press('/');
    expect(new URL(page.url()).searchParams.get('view')).toBe('compare');
    expect(await field.inputValue()).toBe('/');
  });
});
