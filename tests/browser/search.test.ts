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
});
