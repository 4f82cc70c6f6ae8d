/**
 * The tables `npm run bench` writes into docs/performance.md (full runs only), between marker
 * comments, so that the document always holds the latest full run beside the prose around it:
 * the dashboard side by side with its limits, and each view's input-to-paint time against its
 * budget.
 */
import { readFile, writeFile } from 'node:fs/promises';
import * as prettier from 'prettier';
import type { BrowserResults, DataSetName } from './browser-bench';
import type { SideBySideCase, SideBySideResults } from './side-by-side';

/** Input to chart painted, p95, per data set (issue 19): the bundled letters, 100k and 1M. */
export const INPUT_TO_PAINT_BUDGET_MS: Partial<Record<DataSetName, number>> = {
  real: 50,
  '100k': 100,
  '1m': 250,
};

/** Ratios the issue asks for: first chart within 1.5x of the static page, ready within 1.2x. */
export const RATIO_BUDGETS = { first_chart: 1.5, duckdb_ready: 1.2 } as const;

const START = '<!-- bench:tables:start (written by npm run bench; edits here are overwritten) -->';
const END = '<!-- bench:tables:end -->';

function verdict(ratio: number, budget: number): string {
  return ratio <= budget ? `within ${budget}x` : `**over ${budget}x**`;
}

function caseRows(name: string, c: SideBySideCase | undefined): string[] {
  if (!c) return [`| ${name} | – | – | – | – | – | – | – | – |`];
  const up = c.duckdb_engine_up_ms;
  return [
    `| ${name} | ${c.first_chart_ms.dashboard} | ${c.first_chart_ms.limit} | ${c.first_chart_ms.ratio} (${verdict(c.first_chart_ms.ratio, RATIO_BUDGETS.first_chart)}) | ${c.dashboard_takeover_ms} | ${up ? `${up.dashboard} · ${up.limit}` : '–'} | ${c.duckdb_ready_ms.dashboard} | ${c.duckdb_ready_ms.limit} | ${c.duckdb_ready_ms.ratio} (${verdict(c.duckdb_ready_ms.ratio, RATIO_BUDGETS.duckdb_ready)}) |`,
  ];
}

/** The side-by-side table: medians in ms from navigation start, and the ratios. */
export function sideBySideTable(s: SideBySideResults): string {
  return [
    '| load | first chart: dashboard | static page | ratio | take-over | engine up: dashboard · bare | `ready`: dashboard | bare engine | ratio |',
    '| --- | --: | --: | --- | --: | --: | --: | --: | --- |',
    ...caseRows(`cold (${s.cold.loads / 3} each)`, s.cold),
    ...caseRows(
      `second visit (${s.second_visit ? s.second_visit.loads / 3 : 0} each)`,
      s.second_visit,
    ),
    ...caseRows(
      s.throttled
        ? `first visit, ${s.throttled.link.mbit_per_s} Mbit/s, ${s.throttled.link.latency_ms} ms (${s.throttled.loads / 3} each)`
        : 'first visit, throttled',
      s.throttled,
    ),
  ].join('\n');
}

/** Each view's filter change to chart painted, p50 / p95, against its budget per data set. */
export function inputToPaintTable(browser: BrowserResults, sets: readonly DataSetName[]): string {
  const header = sets.map((set) => {
    const budget = INPUT_TO_PAINT_BUDGET_MS[set];
    return budget === undefined ? set : `${set}, p95 ≤ ${budget}`;
  });
  const rows = Object.entries(browser.views).map(([view, bySet]) => {
    const cells = sets.map((set) => {
      const p = bySet[set];
      if (!p) return '–';
      const budget = INPUT_TO_PAINT_BUDGET_MS[set];
      const over = budget !== undefined && p.p95_ms > budget;
      return `${p.p50_ms} / ${p.p95_ms}${over ? ' ✗' : ''}`;
    });
    return `| ${view} | ${cells.join(' | ')} |`;
  });
  return [
    `| view | ${header.join(' | ')} |`,
    `| --- | ${sets.map(() => '--:').join(' | ')} |`,
    ...rows,
  ].join('\n');
}

/** Both tables as the section of docs/performance.md between the markers. */
export function benchTables(
  browser: BrowserResults,
  sets: readonly DataSetName[],
  measuredAt: string,
): string {
  const parts = [
    START,
    '',
    `_Latest full run of the browser part: ${measuredAt.slice(0, 16).replace('T', ' ')} UTC._`,
    '',
  ];
  if (browser.side_by_side) {
    parts.push(
      `Side by side, real data, milliseconds from navigation start (medians; the three pages take turns; measured ${browser.side_by_side.measured_at.slice(0, 16).replace('T', ' ')} UTC):`,
      '',
      sideBySideTable(browser.side_by_side),
      '',
    );
  }
  parts.push(
    'Filter change to chart painted, p50 / p95 in ms (✗: p95 over the budget; "–": no shared filter):',
    '',
    inputToPaintTable(browser, sets),
    '',
    END,
  );
  return parts.join('\n');
}

/**
 * Puts `tables` between the markers in `file` (the markers come with it); appends them under a
 * heading if the file has none yet.
 */
export async function writeBenchTables(file: string, tables: string): Promise<void> {
  const text = await readFile(file, 'utf8');
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  const next =
    start >= 0 && end > start
      ? `${text.slice(0, start)}${tables}${text.slice(end + END.length)}`
      : `${text.trimEnd()}\n\n## Latest full run\n\n${tables}\n`;
  // As `npm run format` would have it, so that the document stays as the format check wants.
  const options = (await prettier.resolveConfig(file)) ?? {};
  await writeFile(file, await prettier.format(next, { ...options, filepath: file }));
}
