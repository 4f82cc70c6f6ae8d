import type { Page } from 'playwright-core';
import type { TrainerThemeRow } from '@/features/trainers/trainers-sql';

/** Theme ids, ranks, shares and quoted finding ids as the trainers' page shows them, in order. */
export async function shownTrainerThemes(page: Page) {
  return page.locator('.trainer-theme').evaluateAll((items) =>
    items.map((item) => ({
      theme: item.getAttribute('data-theme'),
      rank: item.querySelector('[data-testid="trainer-rank"]')?.textContent,
      share: item.querySelector('[data-testid="trainer-share"]')?.getAttribute('data-value'),
      findings: item.querySelector('[data-testid="trainer-findings"]')?.getAttribute('data-value'),
      quotes: [...item.querySelectorAll('[data-finding]')].map((q) =>
        q.getAttribute('data-finding'),
      ),
    })),
  );
}

/** The same, as the rows of the trainers' query would show them. */
export const expectedTrainerThemes = (rows: readonly TrainerThemeRow[]) =>
  rows.map((r) => ({
    theme: r.theme_id,
    rank: String(r.rank),
    share: String(r.share),
    findings: String(r.weakness_findings),
    quotes: r.quotes.map((q) => q.finding_id),
  }));
