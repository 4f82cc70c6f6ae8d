// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { QueryClient } from '@tanstack/react-query';
import { trackQueryActivity } from '@/app/query-activity';

afterEach(() => {
  document.body.innerHTML = '';
});

/** A query that answers when `release` is called. */
function slowQuery(client: QueryClient) {
  let release!: () => void;
  const answered = client.fetchQuery({
    queryKey: ['slow'],
    queryFn: () => new Promise<string>((resolve) => (release = () => resolve('done'))),
  });
  return { answered, release: () => release() };
}

describe('query activity on the page', () => {
  it('marks the view busy at once, dims it only once an update has run 0.4 s, and clears both', async () => {
    document.body.innerHTML = '<main id="main"></main>';
    const main = document.getElementById('main')!;
    const client = new QueryClient();
    const stop = trackQueryActivity(client);
    const { answered, release } = slowQuery(client);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(main.getAttribute('aria-busy')).toBe('true');
    expect(document.documentElement.dataset.queryFetching).toBe('1');
    expect(main.hasAttribute('data-slow')).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 450));
    expect(main.hasAttribute('data-slow')).toBe(true);
    release();
    await answered;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(main.getAttribute('aria-busy')).toBe('false');
    expect(main.hasAttribute('data-slow')).toBe(false);
    expect(document.documentElement.dataset.queryFetching).toBe('0');
    stop();
  });

  it('never dims an update that is over within 0.4 s', async () => {
    document.body.innerHTML = '<main id="main"></main>';
    const main = document.getElementById('main')!;
    const client = new QueryClient();
    const stop = trackQueryActivity(client);
    const { answered, release } = slowQuery(client);
    await new Promise((resolve) => setTimeout(resolve, 100));
    release();
    await answered;
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(main.hasAttribute('data-slow')).toBe(false);
    expect(main.getAttribute('aria-busy')).toBe('false');
    stop();
  });
});
