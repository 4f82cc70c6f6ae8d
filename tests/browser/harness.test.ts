import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Request } from 'playwright-core';
import { launchChromium } from '../../scripts/lib/chromium';
import { newWatchedPage, type WatchedPage } from '../support/browser-harness';

// The browser tests fail on any request that fails; these check what counts as one. A server on
// loopback serves a page and holds every `/held` request open until the test ends; a closed port
// on loopback stands in for a request that really fails. (Whether Chromium reports the requests
// that closing a page cuts short, and when, varies from run to run, so that case has no test here;
// the trainers test that reloads and then ends meets it.)
const REFUSED = 'http://127.0.0.1:1/refused';
const SLOW_PAGE_MS = 800;

let browser: Browser;
let server: Server;
let origin: string;
const holding: ServerResponse[] = [];
let heldCount = 0;

beforeAll(async () => {
  server = createServer((request, response) => {
    if (request.url === '/held') {
      heldCount += 1;
      holding.push(response);
      return;
    }
    const page = () => {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end('<!doctype html><html lang="en"><title>t</title><p>t</p></html>');
    };
    // `/slow-page` answers after a pause, so that a reload of it leaves the old document running
    // (and making requests) for a while after the reload's own request has gone out.
    if (request.url === '/slow-page') setTimeout(page, SLOW_PAGE_MS);
    else page();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser.close();
  for (const response of holding) response.destroy();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** A watched page that has asked for `/held`, once the server holds that request. */
async function pageWaitingOnHeldRequest(): Promise<WatchedPage> {
  const watched = await newWatchedPage(browser);
  await watched.page.goto(`${origin}/page`);
  const before = heldCount;
  await watched.page.evaluate(() => {
    const abort = new AbortController();
    (globalThis as { abortHeld?: () => void }).abortHeld = () => abort.abort();
    void fetch('/held', { signal: abort.signal }).catch(() => undefined);
  });
  await expect.poll(() => heldCount).toBe(before + 1);
  return watched;
}

const failures = (problems: readonly string[]) =>
  problems.filter((p) => p.startsWith('request failed: '));

describe('the browser harness', () => {
  it('does not count a request that a reload cut short', async () => {
    const watched = await pageWaitingOnHeldRequest();
    const failed = watched.page.waitForEvent('requestfailed');
    await watched.page.reload();
    expect((await failed).failure()?.errorText).toBe('net::ERR_ABORTED');
    expect(await watched.close()).toEqual([]);
  });

  it('does not count the requests the old document makes while a reload waits for its answer', async () => {
    const watched = await newWatchedPage(browser);
    await watched.page.goto(`${origin}/slow-page`);
    // Each `/held` request, and whether the reload's own request had gone out when it was made.
    let reloading = false;
    const afterReloadRequest = new Set<Request>();
    watched.page.on('request', (request) => {
      if (request.isNavigationRequest()) reloading = true;
      else if (reloading) afterReloadRequest.add(request);
    });
    const cutShort = new Set<Request>();
    watched.page.on('requestfailed', (request) => {
      if (afterReloadRequest.has(request)) cutShort.add(request);
    });
    await watched.page.evaluate(() => {
      setInterval(() => void fetch('/held').catch(() => undefined), 50);
    });
    await watched.page.reload();
    // The old document went on asking for `/held` while the reload waited for the page, and the
    // new document cut those requests short; all of that is reported before the page closes.
    expect(afterReloadRequest.size).toBeGreaterThan(2);
    await expect.poll(() => cutShort.size).toBe(afterReloadRequest.size);
    expect([...cutShort].map((r) => r.failure()?.errorText)).toContain('net::ERR_ABORTED');
    expect(await watched.close()).toEqual([]);
  });

  it('counts a request the page itself aborted, and one that failed', async () => {
    const watched = await pageWaitingOnHeldRequest();
    const aborted = watched.page.waitForEvent('requestfailed');
    await watched.page.evaluate(() => (globalThis as { abortHeld?: () => void }).abortHeld?.());
    await aborted;
    await watched.page.evaluate((url) => fetch(url).catch(() => undefined), REFUSED);
    await expect.poll(() => failures(watched.problems).length).toBe(1);
    const problems = failures(await watched.close());
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^request failed: http:\/\/127\.0\.0\.1:1\/refused net::/);
    expect(problems[1]).toBe(`request failed: ${origin}/held net::ERR_ABORTED`);
  });
});
