import { findView } from '@/shell/views';
import { VIEW_QUERIES } from '@/shell/view-statements';
import { warmUpEngine, type WarmUpResult, type WarmUpSample } from '@/lib/engine-warm-up';
import { pickFilters, type Filters } from '@/lib/filters';
import type { SqlQuery } from '@/lib/sql';

declare global {
  /** What the warm-up did, for the tests and the benchmark to read. */
  var __duckdbWarmUp: WarmUpResult | undefined;
}

/**
 * Every view's statements (with its default settings) under each shape of filter the filter bar
 * makes (none, one, two), with values from the sample, each view's filters only, once each.
 */
export function warmUpStatements(sample: WarmUpSample): SqlQuery[] {
  const { region, year, laType, kind } = sample;
  const filterSets: Filters[] = [{}];
  if (region) filterSets.push({ region });
  if (year) filterSets.push({ year });
  if (laType) filterSets.push({ laType });
  if (kind) filterSets.push({ kind });
  if (region && year) filterSets.push({ region, year });
  const seen = new Set<string>();
  const statements: SqlQuery[] = [];
  for (const [view, builders] of Object.entries(VIEW_QUERIES)) {
    const keys = findView(view).filters;
    for (const build of Object.values(builders)) {
      for (const filters of filterSets) {
        const statement = build(pickFilters(filters, keys));
        const key = JSON.stringify([statement.sql, statement.params]);
        if (seen.has(key)) continue;
        seen.add(key);
        statements.push(statement);
      }
    }
  }
  return statements;
}

/**
 * Warms the engine up in the background ({@link warmUpEngine}) and marks the page:
 * `data-duckdb-warm-up` is `running`, then `done`, or `failed` when a statement failed (which
 * the console names; the views are not affected, as the warm-up works on its own copy).
 */
export async function startWarmUp(): Promise<void> {
  const root = document.documentElement;
  root.dataset.duckdbWarmUp = 'running';
  try {
    const result = await warmUpEngine(warmUpStatements);
    globalThis.__duckdbWarmUp = result;
    if (result.failed > 0) {
      console.error(
        `Engine warm-up: ${result.failed} steps failed; the first: ${result.firstError}`,
      );
    }
    root.dataset.duckdbWarmUp = result.failed > 0 ? 'failed' : 'done';
  } catch (error) {
    console.error('Engine warm-up stopped:', error);
    root.dataset.duckdbWarmUp = 'failed';
  }
}
