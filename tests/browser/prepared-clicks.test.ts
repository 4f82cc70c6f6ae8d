import { describe, expect, it } from 'vitest';
import { buildOverviewSummarySql, type OverviewSummaryRow } from '@/features/overview/overview-sql';
import { runBuilt } from '../support/parquet-fixture';
import { useBrowserHarness } from '../support/browser-harness';

const h = useBrowserHarness({ backgroundWork: true });

describe('the next click, prepared while the engine is quiet', () => {
  it('answers a filter change one step away from the prepared answer, with no statement run, and the right figures', async () => {
    // The query log, and a limit on the statements' cost that a machine busy with the other
    // test files cannot exceed: what is tested is the preparation, not this machine's speed.
    await h.page
      .context()
      .addInitScript('globalThis.__duckdbQueryLog = []; globalThis.__preparedClickMaxMs = 10000;');
    await h.open('?view=overview');
    await h.page.waitForFunction(
      () => document.documentElement.dataset.duckdbWarmUp !== 'running',
      null,
      { timeout: 60_000 },
    );
    // Nearest first: the first year, then the first region (src/app/neighbour-prefetch.ts).
    await h.page.waitForFunction(
      () => Number(document.documentElement.dataset.preparedStates ?? '0') >= 2,
      null,
      { timeout: 30_000 },
    );
    expect(await h.page.getAttribute('main', 'aria-busy')).toBe('false');
    const region = await h.page.$eval(
      '#filter-region',
      (select) => (select as HTMLSelectElement).options[1]!.value,
    );
    // The change as the filter bar gets it, and the moment the view shows it, timed in the page.
    const { sentMeanwhile } = await h.page.evaluate(async (value) => {
      const select = document.querySelector<HTMLSelectElement>('#filter-region')!;
      const main = document.getElementById('main')!;
      const clickedAt = performance.now();
      select.value = value;
      select.dispatchEvent(new Event('change', { bubbles: true }));
      const shownAt = await new Promise<number>((resolve) => {
        const check = () => {
          if (main.dataset.shownSearch === window.location.search) resolve(performance.now());
          else requestAnimationFrame(check);
        };
        check();
      });
      return {
        sentMeanwhile: (globalThis.__duckdbQueryLog ?? [])
          .filter((q) => q.started >= clickedAt && q.started <= shownAt)
          .map((q) => q.sql.slice(0, 200)),
      };
    }, region);
    expect(sentMeanwhile).toEqual([]);
    expect(new URL(h.page.url()).searchParams.get('region')).toBe(region);
    const [summary] = await runBuilt<OverviewSummaryRow>(h.db, buildOverviewSummarySql({ region }));
    expect(await h.page.getAttribute('[data-testid="stat-letters"]', 'data-value')).toBe(
      String(summary!.letters),
    );
    // The engine's own answer for that state, asked afresh, is the same.
    const [live] = (await h.page.evaluate(
      (built) => globalThis.__duckdbQuery!(built.sql, built.params),
      buildOverviewSummarySql({ region }),
    )) as OverviewSummaryRow[];
    expect(live!.letters).toBe(summary!.letters);
  });
});
