import { describe, expect, it } from 'vitest';
import { buildOverviewSummarySql, type OverviewSummaryRow } from '@/features/overview/overview-sql';
import type { WarmUpResult } from '@/lib/engine-warm-up';
import { runBuilt } from '../support/parquet-fixture';
import { useBrowserHarness } from '../support/browser-harness';

const h = useBrowserHarness({ backgroundWork: true });

describe('the engine warm-up in the page', () => {
  it('runs every view’s statements on its own copy, never moves the views’ connection off the data, and drops the copy', async () => {
    await h.page.context().addInitScript('globalThis.__duckdbQueryLog = [];');
    await h.page.goto(`${h.site.url}?view=overview`);
    await h.page.waitForSelector('html[data-duckdb-warm-up]', {
      state: 'attached',
      timeout: 60_000,
    });
    const ask = (sql: string) =>
      h.page.evaluate((sql) => globalThis.__duckdbQuery!(sql, []), sql) as Promise<
        Record<string, unknown>[]
      >;
    // While the warm-up works in its schema, the views' connection reads the data's. (A query
    // postpones the warm-up's next step until the engine has been quiet a while: a few, spaced.)
    const schemas: unknown[] = [];
    for (let i = 0; i < 5; i++) {
      if ((await h.page.getAttribute('html', 'data-duckdb-warm-up')) !== 'running') break;
      schemas.push((await ask('SELECT current_schema() AS s'))[0]!.s);
      await h.page.waitForTimeout(300);
    }
    expect(schemas.length).toBeGreaterThan(0);
    expect(new Set(schemas)).toEqual(new Set(['main']));
    await h.page.waitForFunction(
      () => document.documentElement.dataset.duckdbWarmUp !== 'running',
      null,
      {
        timeout: 30_000,
      },
    );
    expect(await h.page.getAttribute('html', 'data-duckdb-warm-up')).toBe('done');
    const result = (await h.page.evaluate(() => globalThis.__duckdbWarmUp)) as WarmUpResult;
    expect(result.failed).toBe(0);
    expect(result.firstError).toBeNull();
    expect(result.statements).toBeGreaterThan(30);
    // The copy is gone, and the data is as it was: the overview's figures equal node-api's.
    expect(
      await ask(`SELECT count(*)::INTEGER AS n FROM duckdb_tables() WHERE schema_name = 'warm_up'`),
    ).toEqual([{ n: 0 }]);
    expect(
      await ask(
        `SELECT count(*)::INTEGER AS n FROM duckdb_schemas() WHERE schema_name = 'warm_up'`,
      ),
    ).toEqual([{ n: 0 }]);
    const [summary] = await runBuilt<OverviewSummaryRow>(h.db, buildOverviewSummarySql({}));
    await expect
      .poll(() => h.page.getAttribute('[data-testid="stat-letters"]', 'data-value'))
      .toBe(String(summary!.letters));
  });

  it('opens every view offline once the page has loaded', async () => {
    await h.page.goto(`${h.site.url}?view=overview`);
    await h.page.waitForSelector('html[data-views-loaded]', { state: 'attached', timeout: 60_000 });
    expect(await h.page.getAttribute('html', 'data-views-loaded')).toBe('all');
    await h.page.waitForFunction(
      () => document.documentElement.dataset.duckdbWarmUp !== 'running',
      null,
      {
        timeout: 60_000,
      },
    );
    await h.page.context().setOffline(true);
    const views = await h.page.$$eval('nav[aria-label="Views"] a', (links) =>
      links.map((a) => ({
        id: new URLSearchParams(a.getAttribute('href') ?? '').get('view') ?? '',
        label: a.textContent ?? '',
      })),
    );
    expect(views.length).toBeGreaterThan(8);
    for (const { id, label } of views) {
      await h.page.click(`nav[aria-label="Views"] a[href*="view=${id}"]`);
      // The view's own content, or the error shown in its place: anything but the loading note.
      await h.page
        .waitForFunction(
          (label) => {
            const content = document.querySelector('main .view-summary')?.nextElementSibling;
            return (
              document.querySelector('main h1')?.textContent === label &&
              content !== null &&
              content !== undefined &&
              content.textContent !== 'Loading the view…'
            );
          },
          label,
          { timeout: 20_000 },
        )
        .catch(async (error: unknown) => {
          const shown = await h.page.evaluate(() =>
            document.querySelector('main')?.innerHTML.slice(0, 400),
          );
          throw new Error(`${id}: ${String(error)}\n${shown}`);
        });
      expect(await h.page.locator('main .state-error').count(), id).toBe(0);
    }
    // Nothing was fetched offline: no failed request is among the page's problems.
    expect(h.problems).toEqual([]);
  });
});
