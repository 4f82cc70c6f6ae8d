import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import type { DuckDBConnection } from '@duckdb/node-api';
import { TABLE_NAMES } from '@/core/schema';
import { formatCount, formatPercent } from '@/lib/format';
import {
  buildOverviewSummarySql,
  buildWeaknessThemesSql,
  type OverviewSummaryRow,
  type WeaknessThemeRow,
} from '@/features/overview/overview-sql';
import { buildHeatmapSql, type HeatmapCellRow } from '@/features/heatmap/heatmap-sql';
import { buildEvidenceSql, type EvidenceRow } from '@/features/evidence/evidence-sql';
import {
  buildThemeTrendSql,
  type ThemeTrendRow,
} from '@/features/themes-over-time/themes-over-time-sql';
import { buildLetterSpansSql, type LetterSpanRow } from '@/features/letter/letter-sql';
import { ingestLetters, openDatabase, removeIngested, runBuilt } from '../support/parquet-fixture';
import { serveStatic, type StaticSite } from '../support/static-server';

const ROOT = resolve(import.meta.dirname, '../..');
const SUB_PATH = '/some/sub/path/';
const SHOTS = join(ROOT, 'test-results');
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let site: StaticSite;
let browser: Browser;
let db: DuckDBConnection;
let outDir: string;
let dataDir: string;
let context: BrowserContext;
let page: Page;
let problems: string[];

beforeAll(async () => {
  dataDir = ingestLetters();
  db = await openDatabase(dataDir);
  outDir = mkdtempSync(join(tmpdir(), 'dashboard-dist-'));
  execFileSync(
    process.execPath,
    [
      join(ROOT, 'node_modules/vite/bin/vite.js'),
      'build',
      '--outDir',
      outDir,
      '--emptyOutDir',
      '--logLevel',
      'warn',
    ],
    { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  mkdirSync(join(outDir, 'data'), { recursive: true });
  for (const table of TABLE_NAMES) {
    copyFileSync(join(dataDir, `${table}.parquet`), join(outDir, 'data', `${table}.parquet`));
  }
  site = await serveStatic(outDir, SUB_PATH);
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  mkdirSync(SHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
  db?.closeSync();
  if (outDir) rmSync(outDir, { recursive: true, force: true });
  if (dataDir) removeIngested(dataDir);
});

beforeEach(async () => {
  problems = [];
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  // Every request is routed: anything that leaves loopback fails the test (and is not sent).
  await context.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if (url.hostname !== '127.0.0.1') {
      problems.push(`request left loopback: ${url.href}`);
      await route.abort('blockedbyclient');
    } else {
      await route.continue();
    }
  });
  page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) =>
    problems.push(`request failed: ${request.url()} ${request.failure()?.errorText ?? ''}`),
  );
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
});

afterEach(async () => {
  await context.close();
  expect(problems).toEqual([]);
});

async function open(search: string): Promise<void> {
  await page.goto(`${site.url}${search}`);
  await page.waitForSelector('html[data-duckdb="ready"]', { timeout: 60_000 });
}

async function expectNoSeriousAxeViolations(): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  expect(serious).toEqual([]);
}

async function screenshot(name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `view-${name}.png`), fullPage: true });
}

describe('the built dashboard, served under a sub-path', () => {
  it('overview: headline figures and the weakness chart equal the same queries in node-api', async () => {
    await open('');
    const [summary] = await runBuilt<OverviewSummaryRow>(db, buildOverviewSummarySql({}));
    await expect
      .poll(() => page.getAttribute('[data-testid="stat-letters"]', 'data-value'))
      .toBe(String(summary!.letters));
    expect(await page.textContent('[data-testid="stat-letters"]')).toBe(
      formatCount(summary!.letters),
    );
    expect(await page.getAttribute('[data-testid="stat-councils"]', 'data-value')).toBe(
      String(summary!.councils_covered),
    );
    expect(await page.textContent('[data-testid="stat-councils"]')).toContain(
      `of ${summary!.councils_total}`,
    );
    expect(await page.textContent('[data-testid="stat-priority"]')).toBe(
      formatPercent(summary!.priority_share),
    );

    const themes = await runBuilt<WeaknessThemeRow>(db, buildWeaknessThemesSql({}));
    const panel = page.locator('section.panel', {
      hasText: 'Themes most often raised as weaknesses',
    });
    await expect.poll(() => panel.locator('.recharts-bar-rectangle').count()).toBeGreaterThan(0);
    expect(await panel.locator('.recharts-surface').count()).toBe(1);
    await screenshot('overview');
    await panel.getByRole('button', { name: 'Table' }).click();
    const cells = await panel
      .locator('tbody tr')
      .evaluateAll((rows) =>
        rows.map((row) =>
          [...row.querySelectorAll('th, td')].map((cell) => cell.textContent ?? ''),
        ),
      );
    expect(cells.map((c) => [c[0], c[5]])).toEqual(
      themes.map((t) => [t.label, formatPercent(t.share)]),
    );
    await expectNoSeriousAxeViolations();
  });

  it('heatmap: cells equal node-api counts, and clicking a cell shows its evidence', async () => {
    await open('?view=heatmap');
    const rows = await runBuilt<HeatmapCellRow>(db, buildHeatmapSql({}));
    await page.waitForSelector('.heatmap-cell');
    const shown = await page
      .locator('.heatmap-cell')
      .evaluateAll((buttons) =>
        buttons.map(
          (b) =>
            `${b.getAttribute('data-council')}|${b.getAttribute('data-theme')}|${b.getAttribute('data-count')}`,
        ),
      );
    expect(shown.sort()).toEqual(
      rows.map((r) => `${r.council_name}|${r.theme_id}|${r.weakness_findings}`).sort(),
    );
    await screenshot('heatmap');
    await expectNoSeriousAxeViolations();

    const target = [...rows].sort((a, b) => b.weakness_findings - a.weakness_findings)[0]!;
    const cell = page.locator(
      `.heatmap-cell[data-council="${target.council_name}"][data-theme="${target.theme_id}"]`,
    );
    await cell.focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/view=evidence/);
    const url = new URL(page.url());
    expect(url.pathname).toBe(SUB_PATH);
    expect(url.searchParams.get('council')).toBe(target.council_name);
    expect(url.searchParams.get('theme')).toBe(target.theme_id);
    expect(url.searchParams.get('section')).toBe('weakness');
    const expected = await runBuilt<EvidenceRow>(
      db,
      buildEvidenceSql({
        filters: { section: 'weakness' },
        council: target.council_name,
        theme: target.theme_id,
      }),
    );
    await expect.poll(() => page.locator('.evidence-item').count()).toBe(target.weakness_findings);
    expect(expected).toHaveLength(target.weakness_findings);
    expect(await page.getAttribute('[data-testid="evidence-count"]', 'data-value')).toBe(
      String(expected.length),
    );
    expect(await page.locator('.evidence-item mark').count()).toBeGreaterThan(0);
    await screenshot('evidence');
    await expectNoSeriousAxeViolations();

    await page.goBack();
    await page.waitForSelector('.heatmap-cell');
    expect(new URL(page.url()).searchParams.get('view')).toBe('heatmap');
  });

  it('filters live in the URL: a reload and the back button restore them', async () => {
    await open('?view=heatmap');
    const region = (
      await runBuilt<{ region: string }>(db, {
        sql: 'SELECT region FROM letters WHERE region IS NOT NULL ORDER BY region LIMIT 1',
        params: [],
      })
    )[0]!.region;
    await page.waitForSelector('.heatmap-cell');
    await expect.poll(() => page.locator('#filter-region option').count()).toBeGreaterThan(1);
    await page.selectOption('#filter-region', region);
    await page.getByRole('button', { name: 'Strengths', exact: true }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('measure')).toBe('strength');
    expect(new URL(page.url()).searchParams.get('region')).toBe(region);

    await page.reload();
    await page.waitForSelector('html[data-duckdb="ready"]');
    await page.waitForSelector('.heatmap-cell');
    expect(await page.inputValue('#filter-region')).toBe(region);
    const rows = await runBuilt<HeatmapCellRow>(db, buildHeatmapSql({ region }));
    const counts = await page
      .locator('.heatmap-cell')
      .evaluateAll((b) => b.map((x) => x.getAttribute('data-count')));
    expect(counts.sort()).toEqual(rows.map((r) => String(r.strength_findings)).sort());

    await page.goBack();
    await expect.poll(() => new URL(page.url()).searchParams.get('measure')).toBeNull();
    expect(await page.inputValue('#filter-region')).toBe(region);
    await page.goBack();
    await expect.poll(() => page.inputValue('#filter-region')).toBe('');
  });

  it('themes over time: the chart and its table equal node-api', async () => {
    await open('?view=themes-over-time&measure=both');
    const rows = await runBuilt<ThemeTrendRow>(
      db,
      buildThemeTrendSql({ filters: {}, themes: [], measure: 'both' }),
    );
    await page.waitForSelector('.recharts-line');
    expect(await page.locator('.recharts-line').count()).toBe(
      new Set(rows.map((r) => `${r.theme_id}:${r.kind}`)).size,
    );
    await screenshot('themes-over-time');
    await expectNoSeriousAxeViolations();
    await page.getByRole('button', { name: 'Table' }).click();
    const cells = await page
      .locator('.data-table tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) => [...tr.querySelectorAll('th, td')].map((c) => c.textContent ?? '')),
      );
    expect(cells.map((c) => [c[0], c[1], c[2], c[5]])).toEqual(
      rows.map((r) => [r.reporting_year, r.label, r.kind, formatPercent(r.share)]),
    );
  });

  it('letter: every finding span is marked and labelled', async () => {
    const [first] = await runBuilt<{ letter_id: string }>(db, {
      sql: 'SELECT letter_id FROM letters ORDER BY letter_id LIMIT 1',
      params: [],
    });
    const spans = await runBuilt<LetterSpanRow>(db, buildLetterSpansSql(first!.letter_id));
    await open(
      `?view=letter&letter=${encodeURIComponent(first!.letter_id)}&finding=${encodeURIComponent(spans[0]!.finding_id)}`,
    );
    await page.waitForSelector('.letter-span');
    expect(await page.locator('.letter-span').count()).toBe(spans.length);
    expect(await page.textContent('[data-testid="letter-findings"]')).toBe(String(spans.length));
    expect(await page.locator('.letter-span.focused').count()).toBe(1);
    await screenshot('letter');
    await expectNoSeriousAxeViolations();
  });

  it('a missing file is reported in words, and Retry recovers once it is back', async () => {
    // This test provokes one failed response on purpose; only that one is allowed.
    await page.route('**/data/findings.parquet', (route) =>
      route.fulfill({ status: 404, body: 'gone' }),
    );
    await page.goto(site.url);
    await page.waitForSelector('html[data-duckdb="error"]', { timeout: 60_000 });
    const alert = page.locator('.engine-error');
    await expect.poll(() => alert.textContent()).toContain('Could not download findings.parquet');
    expect(await alert.textContent()).toContain('404');
    await page.unroute('**/data/findings.parquet');
    await alert.getByRole('button', { name: 'Retry' }).click();
    await page.waitForSelector('html[data-duckdb="ready"]', { timeout: 60_000 });
    await page.waitForSelector('[data-testid="stat-letters"]');
    const provoked = [
      `HTTP 404: ${site.url}data/findings.parquet`,
      'console error: Failed to load resource: the server responded with a status of 404 (Not Found)',
    ];
    for (const expected of provoked) {
      expect(problems).toContain(expected);
      problems.splice(problems.indexOf(expected), 1);
    }
  });
});
