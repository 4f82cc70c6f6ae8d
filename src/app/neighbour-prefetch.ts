import type { QueryClient } from '@tanstack/react-query';
import { cachedFilterChoices, filterChoices } from '@/app/filter-options';
import { onUrlChange } from '@/app/url-state';
import { filtersOfView } from '@/app/view-filter-keys';
import { startViewQueries } from '@/app/view-filters';
import { engineBusy, engineQuiet, recentBusySpells } from '@/lib/duckdb';
import { precomputedTableRows } from '@/lib/precomputed';
import { FILTER_PARAMS, type FilterKey } from '@/lib/filters';

/**
 * The next click, answered before it comes. While the reader looks at a view, and the engine has
 * nothing else to do, the page asks it the open view's questions for the filter states one change
 * away (another year, another region, a filter cleared) and keeps the answers in react-query's
 * cache, where a click then finds them: the chart redraws in the next frame, with no statement
 * run. Only where a view's statements are cheap: a statement under way cannot be stopped, so a
 * click that comes while one runs waits for it, and {@link PREFETCH_MAX_MS} bounds that wait.
 */

/**
 * The longest the engine may typically take over one state's statements (the median of its last
 * five busy spells; the last may take twice this) for the page to prepare the neighbouring
 * states: about the most a click can be kept waiting by a preparation under way.
 */
export const PREFETCH_MAX_MS = 50;

declare global {
  /**
   * Stands in for {@link PREFETCH_MAX_MS} when set before the page loads: the browser tests set
   * it high, so that a machine slowed by other work still prepares (as they set the query log,
   * src/lib/duckdb.ts). The shipped page never sets it.
   */
  var __preparedClickMaxMs: number | undefined;
}

/** The most neighbouring states prepared for one state of the page. */
export const NEIGHBOURS_PER_STATE = 40;

/**
 * Data no larger than this many findings has every view's statements well within
 * {@link PREFETCH_MAX_MS} once the engine is warm (`npm run bench:queries`): the page then
 * prepares its first state's neighbours without having timed a warm statement.
 */
export const SMALL_DATA_FINDINGS = 5_000;

/**
 * The filters whose other choices are prepared: the letter filters and the section. Not the
 * source (it matters only once letters are added) nor the tag switch (its first use builds tables
 * of its own, which is not work to start unasked).
 */
const PREPARED_FILTERS: readonly Exclude<FilterKey, 'tags' | 'source'>[] = [
  'year',
  'region',
  'laType',
  'kind',
  'section',
];

/**
 * The URL parameters one filter change away from `params`, nearest first: for each filter the
 * view uses, in the filter bar's order, the choice after the present one and the one before it
 * (what the arrow keys reach in a focused select; "All" comes first in each), then every other
 * choice, filter by filter. `choices` gives each filter's choices besides "All".
 */
export function neighbourSearches(
  params: URLSearchParams,
  keys: readonly FilterKey[],
  choices: (key: Exclude<FilterKey, 'tags' | 'source'>) => readonly string[],
): URLSearchParams[] {
  const near: URLSearchParams[] = [];
  const far: URLSearchParams[] = [];
  for (const key of PREPARED_FILTERS) {
    if (!keys.includes(key)) continue;
    const param = FILTER_PARAMS.find((f) => f.key === key)!.param;
    const options = ['', ...choices(key)];
    const at = options.indexOf(params.get(param) ?? '');
    const withValue = (value: string) => {
      const next = new URLSearchParams(params);
      if (value) next.set(param, value);
      else next.delete(param);
      return next;
    };
    const nearBy = at < 0 ? [] : [at + 1, at - 1].filter((i) => i >= 0 && i < options.length);
    for (const i of nearBy) near.push(withValue(options[i]!));
    options.forEach((value, i) => {
      if (i !== at && !nearBy.includes(i)) far.push(withValue(value));
    });
  }
  return [...near, ...far];
}

/** The preparation's controls ({@link startNeighbourPrefetch}). */
export interface NeighbourPrefetch {
  /**
   * Says the engine's warm-up is over: statements are timed from then on (before, they run
   * two to three times slower), and the present state is prepared if the data is small.
   */
  warm: () => void;
  stop: () => void;
}

/**
 * Prepares the neighbouring states of every state the page comes to, once the engine has been
 * quiet a while ({@link engineQuiet}), one state's statements at a time, and stops as soon as the
 * URL changes, a statement is asked for meanwhile, or the statements prove slow. Nothing is
 * prepared until the engine's warm-up is over ({@link NeighbourPrefetch.warm}). `<html>` says how
 * many neighbours of the present state are ready (`data-prepared-states`).
 */
export function startNeighbourPrefetch(client: QueryClient): NeighbourPrefetch {
  let generation = 0;
  /** When the warm-up ended; null before. */
  let warmAt: number | null = null;
  /** Whether the statements of the state the page is in are known to be cheap. */
  const cheap = (): boolean => {
    if (warmAt === null) return false;
    // The typical spell since the warm-up, so that one drawn out by the page's own work does not
    // stop the preparation; and the last, so that a slow view just opened does not start it.
    const spells = recentBusySpells(warmAt);
    const limit = globalThis.__preparedClickMaxMs ?? PREFETCH_MAX_MS;
    if (spells) return spells.typicalMs <= limit && spells.lastMs <= 2 * limit;
    // No statement timed since the warm-up: only small data is taken on trust.
    return (precomputedTableRows('findings') ?? Infinity) <= SMALL_DATA_FINDINGS;
  };
  const prepare = async (mine: number) => {
    await engineQuiet();
    if (mine !== generation || document.hidden || !cheap()) return;
    const params = new URLSearchParams(window.location.search);
    const byFilter = cachedFilterChoices(client);
    const neighbours = neighbourSearches(params, filtersOfView(params.get('view')), (key) =>
      filterChoices(key, byFilter),
    ).slice(0, NEIGHBOURS_PER_STATE);
    let prepared = 0;
    for (const next of neighbours) {
      if (engineBusy()) await engineQuiet();
      if (mine !== generation || !cheap()) return;
      const answered = startViewQueries(next);
      if (!answered) return;
      await answered;
      if (mine !== generation) return;
      document.documentElement.dataset.preparedStates = String(++prepared);
    }
  };
  const restart = () => {
    generation++;
    document.documentElement.dataset.preparedStates = '0';
    void prepare(generation);
  };
  const stop = onUrlChange(restart);
  return {
    warm: () => {
      warmAt = performance.now();
      restart();
    },
    stop,
  };
}
