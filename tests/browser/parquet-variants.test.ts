import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TABLE_NAMES } from '@/core/schema';
import { formatCount, formatDate } from '@/lib/format';
import {
  buildOverviewSummarySql,
  buildWeaknessThemesSql,
  type OverviewSummaryRow,
  type WeaknessThemeRow,
} from '@/features/overview/overview-sql';
import { CONTENT_SECURITY_POLICY } from '../../vite.config';
import { runBuilt } from '../support/parquet-fixture';
import { copyVariant, type CopyVariant } from '../support/parquet-variants';
import { SHOTS_DIR, useBrowserHarness } from '../support/browser-harness';
import { withoutCsvNotes } from '../support/csv-export';

// The built page loads the contract's files as other tools write them, says which file and
// column break the contract when one does, shows hostile letter text as text (and neutralises it
// in its CSV downloads), all under its Content-Security-Policy.

const h = useBrowserHarness();
const work = mkdtempSync(join(tmpdir(), 'served-variants-'));
let made = 0;

afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Serves the five files of the built site's data as `variant` writes them, instead of its own. */
async function serveVariant(variant: CopyVariant): Promise<void> {
  const dir = await copyVariant(h.db, h.site.dataDir, join(work, `set-${made++}`), variant);
  for (const table of TABLE_NAMES) {
    const body = readFileSync(join(dir, `${table}.parquet`));
    await h.page.route(`**/data/${table}.parquet`, (route) =>
      route.fulfill({ status: 200, contentType: 'application/vnd.apache.parquet', body }),
    );
  }
}

/** Waits for the overview's headline figures and weakness chart, and checks them against SQL. */
async function expectOverviewDrawn(): Promise<void> {
  const [summary] = await runBuilt<OverviewSummaryRow>(h.db, buildOverviewSummarySql({}));
  await expect
    .poll(() => h.page.getAttribute('[data-testid="stat-letters"]', 'data-value'))
    .toBe(String(summary!.letters));
  expect(await h.page.textContent('[data-testid="stat-letters"]')).toBe(
    formatCount(summary!.letters),
  );
  const themes = await runBuilt<WeaknessThemeRow>(h.db, buildWeaknessThemesSql({}));
  const panel = h.page.locator('section.panel', {
    hasText: 'Themes most often raised as weaknesses',
  });
  await expect.poll(() => panel.locator('.bar-chart [data-bar]').count()).toBe(themes.length);
}

describe('the built page and Parquet files from other tools', () => {
  it('draws the overview from a ZSTD set with TIMESTAMP dates and BIGINT integers', async () => {
    await serveVariant({
      compression: 'zstd',
      types: { DATE: 'TIMESTAMP', INTEGER: 'BIGINT', 'INTEGER[]': 'BIGINT[]' },
    });
    await h.open('');
    await expectOverviewDrawn();
    await h.screenshot('overview-zstd-timestamps');
  });

  it('draws the overview from a set as pandas writes it: TIMESTAMP_NS, INT64, small row groups', async () => {
    await serveVariant({
      compression: 'snappy',
      rowGroupSize: 2048,
      types: { DATE: 'TIMESTAMP_NS', INTEGER: 'BIGINT', 'INTEGER[]': 'BIGINT[]' },
      extraColumns: '(row_number() OVER () - 1)::BIGINT AS __index_level_0__',
    });
    await h.open('');
    await expectOverviewDrawn();
    // The dates are days again: a letter's shows as the pipeline's files give it.
    const [first] = await runBuilt<{ letter_id: string; council_name: string; start: string }>(
      h.db,
      {
        sql: `SELECT letter_id, council_name, strftime(inspection_start, '%Y-%m-%d') AS start
              FROM letters ORDER BY letter_id LIMIT 1`,
        params: [],
      },
    );
    await h.open(`?view=letter&letter=${encodeURIComponent(first!.letter_id)}`);
    await expect
      .poll(() => h.page.getAttribute('#letter-pick', 'placeholder'))
      .toBe(`${first!.council_name}, ${formatDate(first!.start)}`);
  });

  it('names the file and the column when a file breaks the contract', async () => {
    await serveVariant({
      types: { DATE: 'TIMESTAMP' },
      replace: { letters: { dfe_la_code: "'LA ' || dfe_la_code::VARCHAR" } },
    });
    await h.page.goto(h.site.url);
    await h.page.waitForSelector('html[data-duckdb="error"]', { timeout: 60_000 });
    const alert = h.page.locator('.engine-error');
    await expect
      .poll(() => alert.textContent())
      .toContain(
        'letters.parquet: the column dfe_la_code holds text (BYTE_ARRAY UTF8) where the data ' +
          'contract requires whole numbers (INTEGER).',
      );
    await h.screenshot('contract-broken');
  });

  it('names the file and the column a file lacks', async () => {
    await serveVariant({ compression: 'zstd', exclude: { findings: ['section'] } });
    await h.page.goto(h.site.url);
    await h.page.waitForSelector('html[data-duckdb="error"]', { timeout: 60_000 });
    await expect
      .poll(() => h.page.locator('.engine-error').textContent())
      .toContain('findings.parquet lacks the column(s) section that the data contract requires.');
  });
});

describe('hostile input and the Content-Security-Policy', () => {
  const HOSTILE = `=HYPERLINK("http://127.0.0.1:1/x","y")<img src=x onerror="window.__pwned=1">`;

  it('shows letter text that looks like markup or a formula as text, and neutralises it in CSV', async () => {
    await serveVariant({
      replace: { findings: { text: `${sqlLiteral(HOSTILE)} || ' ' || text` } },
    });
    await h.open('?view=trainers');
    await h.page.waitForSelector('.trainer-quote');
    const quote = h.page.locator('.trainer-quote').first();
    expect(await quote.textContent()).toContain('<img src=x onerror=');
    expect(await h.page.locator('.trainer-quote img, main img[src="x"]').count()).toBe(0);
    expect(await h.page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
    const [download] = await Promise.all([
      h.page.waitForEvent('download'),
      h.page.getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    const path = join(SHOTS_DIR, 'hostile-common-weaknesses.csv');
    await download.saveAs(path);
    const lines = withoutCsvNotes(readFileSync(path, 'utf8')).split('\r\n');
    // The quote's cell starts with an apostrophe: a spreadsheet shows it, and runs nothing.
    expect(lines[1]).toContain(`"'=HYPERLINK(""http://127.0.0.1:1/x"",""y"")<img`);
    expect(lines.slice(1).join('\n')).not.toMatch(/(^|,)"?=/m);
  });

  it('ships its policy in the built page, and the policy is enforced', async () => {
    const html = readFileSync(join(h.site.distDir, 'index.html'), 'utf8');
    const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html);
    expect(meta?.[1]).toBe(CONTENT_SECURITY_POLICY);
    // Before the first script: a policy in a <meta> covers only what follows it.
    expect(html.indexOf('Content-Security-Policy')).toBeLessThan(html.indexOf('<script'));
    await h.open('');
    await expectOverviewDrawn();
    // An inline script (as injected markup would bring) is refused, and reported.
    const ran = await h.page.evaluate(async () => {
      const script = document.createElement('script');
      script.textContent = 'window.__inlineRan = true';
      document.head.append(script);
      await new Promise((resolve) => setTimeout(resolve, 100));
      return (window as { __inlineRan?: boolean }).__inlineRan ?? false;
    });
    expect(ran).toBe(false);
    await expect
      .poll(() => h.problems.filter((p) => p.startsWith('CSP violation: script-src')))
      .toHaveLength(1);
    // That refusal was provoked here: it is the only problem allowed.
    const provoked = h.problems.filter(
      (p) => p.startsWith('CSP violation: script-src') || /Content Security Policy/.test(p),
    );
    for (const p of provoked) h.problems.splice(h.problems.indexOf(p), 1);
  });
});

function sqlLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}
