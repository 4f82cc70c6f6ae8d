import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { WEAK_PRECISION } from '@/lib/theme-quality';

/**
 * The built site's accuracy.json with one kept-back theme made weak: the theme whose precision
 * there is lowest (the first by id among equals) given as many wrong tags as right ones, so its
 * precision is 0.5, below the mark {@link WEAK_PRECISION}. The tests of how the page marks themes
 * of low precision use it, so that they test the marking whether or not this build's tagger has
 * such a theme; they check the build's own file as it stands elsewhere.
 */
export function accuracyWithWeakTheme(dataDir: string): { json: string; themeId: string } {
  const file = JSON.parse(readFileSync(join(dataDir, 'accuracy.json'), 'utf8')) as {
    kept_back: {
      per_theme: { theme_id: string; tp: number; fp: number; precision: number | null }[];
    };
  };
  const themes = file.kept_back.per_theme.filter((t) => t.precision !== null && t.tp > 0);
  const weakest = [...themes].sort(
    (a, b) => a.precision! - b.precision! || a.theme_id.localeCompare(b.theme_id),
  )[0];
  if (!weakest) throw new Error('accuracy.json: no kept-back theme with a right tag');
  weakest.fp = weakest.tp;
  weakest.precision = 0.5;
  if (weakest.precision >= WEAK_PRECISION)
    throw new Error(`the weak mark (${WEAK_PRECISION}) is at or below 0.5: no theme here is weak`);
  return { json: JSON.stringify(file), themeId: weakest.theme_id };
}

/** Serves {@link accuracyWithWeakTheme}'s file in place of the built one, to this page. */
export async function serveWeakTheme(page: Page, dataDir: string): Promise<string> {
  const { json, themeId } = accuracyWithWeakTheme(dataDir);
  await page.route('**/data/accuracy.json', (route) =>
    route.fulfill({ status: 200, contentType: 'application/json', body: json }),
  );
  return themeId;
}
