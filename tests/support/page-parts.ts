import type { Page } from 'playwright-core';

/** The overview's weakness bar for a label: its value, once drawn. */
export async function overviewBar(page: Page, label: string): Promise<string | null> {
  return page.evaluate((wanted) => {
    const panel = [...document.querySelectorAll('section.panel')].find((p) =>
      p.textContent?.includes('Themes most often raised as weaknesses'),
    );
    const row = [...(panel?.querySelectorAll('.bar-chart-row') ?? [])].find(
      (r) => r.querySelector('.bar-chart-category')?.textContent === wanted,
    );
    return row?.querySelector('[data-bar]')?.getAttribute('data-value') ?? null;
  }, label);
}

/** Moves to another view through the page's navigation. */
export async function nav(page: Page, label: string): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Views' })
    .getByRole('link', { name: label, exact: true })
    .click();
}
