// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { QueryClient, QueryObserver } from '@tanstack/react-query';
import { trackQueryActivity } from '@/app/query-activity';
import { viewQuery } from '@/app/view-filters';

let stopTracking: (() => void) | undefined;

afterEach(() => {
  stopTracking?.();
  document.body.innerHTML = '';
  delete document.documentElement.dataset.duckdb;
});

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A page with `<main>`, its activity tracked, and a query under way that answers on `release`;
 * the data engine is up unless `engine` says it is still starting.
 */
function pageWithSlowQuery(engine: 'ready' | 'loading' = 'ready') {
  document.documentElement.dataset.duckdb = engine;
  document.body.innerHTML = '<main id="main"></main>';
  const client = new QueryClient();
  stopTracking = trackQueryActivity(client);
  let release!: () => void;
  const answered = client.fetchQuery({
    queryKey: ['slow'],
    queryFn: () => new Promise<string>((resolve) => (release = () => resolve('done'))),
  });
  return { main: document.getElementById('main')!, answered, release: () => release() };
}

describe('query activity on the page', () => {
  it('marks the view busy at once, dims it only once an update has run 0.4 s, and clears both', async () => {
    const { main, answered, release } = pageWithSlowQuery();
    await wait(50);
    expect(main.getAttribute('aria-busy')).toBe('true');
    expect(document.documentElement.dataset.queryFetching).toBe('1');
    expect(main.hasAttribute('data-slow')).toBe(false);
    await wait(450);
    expect(main.hasAttribute('data-slow')).toBe(true);
    release();
    await answered;
    await wait(20);
    expect(main.getAttribute('aria-busy')).toBe('false');
    expect(main.hasAttribute('data-slow')).toBe(false);
    expect(document.documentElement.dataset.queryFetching).toBe('0');
  });

  it('never dims while the engine starts: the figures then are the build’s own answers', async () => {
    const { main, answered, release } = pageWithSlowQuery('loading');
    await wait(500);
    expect(main.getAttribute('aria-busy')).toBe('true');
    expect(main.hasAttribute('data-slow')).toBe(false);
    release();
    await answered;
    await wait(20);
    expect(main.getAttribute('aria-busy')).toBe('false');
    expect(main.hasAttribute('data-slow')).toBe(false);
  });

  it('never dims an update that is over within 0.4 s', async () => {
    const { main, answered, release } = pageWithSlowQuery();
    await wait(100);
    release();
    await answered;
    await wait(500);
    expect(main.hasAttribute('data-slow')).toBe(false);
    expect(main.getAttribute('aria-busy')).toBe('false');
  });

  it('leaves the view idle while the page prepares the next click’s answers, and busy once a view asks for one', async () => {
    document.documentElement.dataset.duckdb = 'ready';
    document.body.innerHTML = '<main id="main"></main>';
    const client = new QueryClient();
    stopTracking = trackQueryActivity(client);
    let release!: () => void;
    const options = {
      queryKey: ['next-click'],
      queryFn: () => new Promise<string>((resolve) => (release = () => resolve('done'))),
    };
    const prepared = viewQuery(options).start(client, true);
    await wait(50);
    const main = document.getElementById('main')!;
    expect(client.isFetching()).toBe(1);
    expect(document.documentElement.dataset.queryFetching).toBe('0');
    expect(main.getAttribute('aria-busy')).toBe('false');
    // The click comes while it runs: the view's own start of the same query makes it the view's.
    const observer = new QueryObserver(client, options);
    const unsubscribe = observer.subscribe(() => undefined);
    await wait(50);
    expect(document.documentElement.dataset.queryFetching).toBe('1');
    expect(main.getAttribute('aria-busy')).toBe('true');
    release();
    await prepared;
    await wait(20);
    expect(document.documentElement.dataset.queryFetching).toBe('0');
    unsubscribe();
  });
});
