import { describe, expect, it } from 'vitest';
import { buildOverviewSummarySql, type OverviewSummaryRow } from '@/features/overview/overview-sql';
import type { WarmUpResult } from '@/lib/engine-warm-up';
import { runBuilt } from '../support/parquet-fixture';
import { useBrowserHarness } from '../support/browser-harness';

const h = useBrowserHarness();

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
});
