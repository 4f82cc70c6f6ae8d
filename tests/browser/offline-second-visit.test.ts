import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { launchChromium } from '../../scripts/lib/chromium';
import { builtSite, type BuiltSite } from '../support/browser-harness';

let site: BuiltSite;
let browser: Browser;
let context: BrowserContext | undefined;

beforeAll(async () => {
  site = await builtSite();
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
});

describe('a second visit', () => {
  it('opens from the service worker with no network at all, under a sub-path', async () => {
    // Service workers allowed (the shared harness blocks them); the context's storage persists
    // between the two visits, as a browser's does.
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    // When the page registers its service worker, against the engine's `ready` mark.
    await context.addInitScript(() => {
      const container = navigator.serviceWorker;
      const register = container.register.bind(container);
      container.register = (...args: Parameters<typeof register>) => {
        (window as { __swRegisteredAt?: number }).__swRegisteredAt ??= performance.now();
        return register(...args);
      };
    });
    const page = await context.newPage();
    page.on('pageerror', (error) => errors.push(error.message));

    await page.goto(`${site.url}?view=overview`);
    await page.waitForSelector('html[data-duckdb="ready"]', { timeout: 60_000 });
    await page.waitForSelector('html[data-views-loaded]', { state: 'attached', timeout: 60_000 });
    // The worker has taken the page over and holds what the first visit fetched.
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, {
      timeout: 30_000,
    });
    // The page has put what it fetched before the worker took over into the worker's cache.
    await page.waitForSelector('html[data-offline-ready]', { state: 'attached', timeout: 60_000 });
    const scope = await page.evaluate(
      async () => (await navigator.serviceWorker.getRegistration())?.scope ?? '',
    );
    expect(new URL(scope).pathname).toBe(new URL(site.url).pathname);
    // On this first visit the worker was registered only once the engine was ready: before, it
    // would stand between the engine and its WebAssembly while that compiles. Its cache holds the
    // engine's module all the same.
    const order = await page.evaluate(() => ({
      ready: performance.getEntriesByName('duckdb-ready', 'mark')[0]?.startTime ?? null,
      registered: (window as { __swRegisteredAt?: number }).__swRegisteredAt ?? null,
    }));
    expect(order.ready).not.toBeNull();
    expect(order.registered).not.toBeNull();
    expect(order.registered!).toBeGreaterThanOrEqual(order.ready!);
    const kept = await page.evaluate(async () =>
      (await (await caches.open('front-door-dashboard-v1')).keys()).map((r) => r.url),
    );
    expect(kept.some((url) => /\/duckdb-(eh|mvp)-[^/]+\.wasm$/.test(url))).toBe(true);

    await context.setOffline(true);
    await page.reload();
    await page.waitForSelector('html[data-duckdb="ready"]', { timeout: 60_000 });
    const letters = await page.getAttribute('[data-testid="stat-letters"]', 'data-value');
    expect(Number(letters)).toBeGreaterThan(0);
    // Another view, whose code the first visit fetched after the engine was up.
    await page.goto(`${site.url}?view=methodology`);
    await page.waitForSelector('html[data-duckdb="ready"]', { timeout: 60_000 });
    await expect
      .poll(() => page.locator('main h1').textContent(), { timeout: 20_000 })
      .toBe('Methodology');
    expect(await page.locator('main .state-error').count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
