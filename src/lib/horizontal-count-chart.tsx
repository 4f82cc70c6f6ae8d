import type { CSSProperties } from 'react';
import { ChartLegend, HorizontalTicks, niceTicks, percent } from '@/lib/bar-chart';
import { formatPercent } from '@/lib/format';
import { rovingMark, useRovingFocus } from '@/lib/roving-focus';
import '@/lib/bar-chart.css';

/** One series of a {@link HorizontalCountChart}: the numeric field it draws, its name and colour. */
export interface HorizontalCountSeries<Row> {
  key: keyof Row & string;
  /** The series' name in the legend and the tooltip. */
  name: string;
  color: string;
  /** Outline of the bars; none by default. */
  stroke?: string;
  /** Series with the same stack id are stacked on one line; the others each have a line. */
  stack?: string;
  /** A field written at the end of each bar of this series. */
  endLabel?: { key: keyof Row & string; format: (value: number) => string };
  /**
   * Makes the bars of this series clickable, and Enter or Space on them from the keyboard (the
   * chart's table view carries the same action).
   */
  onSelect?: (row: Row) => void;
  /**
   * This series' value in a row in words, for screen readers: the value with its n and interval
   * ("45% (95% interval 30% to 61%), 17 of 38 inspections"); the value alone by default.
   */
  describe?: (row: Row) => string;
}

/** Props of {@link HorizontalCountChart}. */
export interface HorizontalCountChartProps<Row> {
  rows: readonly Row[];
  /** The field written down the side, one category per row. */
  categoryKey: keyof Row & string;
  /** The text written down the side, when not the field as it is (e.g. with a mark after it). */
  category?: (row: Row) => string;
  series: readonly HorizontalCountSeries<NoInfer<Row>>[];
  /** `count`: whole numbers from 0 to the longest bar; `share`: 0 to 100%. */
  scale: 'count' | 'share';
  /** Room right of the plot in pixels, for end labels. */
  rightMargin?: number;
  /** The thickness of each line of bars in pixels; lines of one category stand 1 px apart. */
  barSize?: number;
  /** Whether the series' names are listed under the chart; off where the panel names them. */
  legend?: boolean;
  /** What the chart shows, for screen readers (its table view gives the numbers). */
  label: string;
}

/** The series in lines: each stack id's series together, in order, and every other alone. */
function linesOf<Row>(
  series: readonly HorizontalCountSeries<Row>[],
): HorizontalCountSeries<Row>[][] {
  const lines: HorizontalCountSeries<Row>[][] = [];
  const byStack = new Map<string, HorizontalCountSeries<Row>[]>();
  for (const s of series) {
    const line = s.stack === undefined ? undefined : byStack.get(s.stack);
    if (line) {
      line.push(s);
    } else {
      lines.push([s]);
      if (s.stack !== undefined) byStack.set(s.stack, lines[lines.length - 1]!);
    }
  }
  return lines;
}

// In HTML and CSS like src/lib/bar-chart.tsx: no charting library to download, lay out and
// measure on every filter change (drawing these with recharts cost a view some 100 ms a change).
/**
 * A bar chart with the categories down the side and bars growing rightwards: a line of bars per
 * series (series sharing a stack id share a line, stacked), a tooltip naming every value.
 */
export function HorizontalCountChart<Row>({
  rows,
  categoryKey,
  category: categoryText,
  series,
  scale,
  rightMargin = 24,
  barSize,
  legend = true,
  label,
}: HorizontalCountChartProps<Row>) {
  const lines = linesOf(series);
  const value = (row: Row, key: keyof Row) => Number(row[key]) || 0;
  const longest = rows.reduce(
    (m, row) =>
      Math.max(m, ...lines.map((line) => line.reduce((sum, s) => sum + value(row, s.key), 0))),
    0,
  );
  const ticks = scale === 'share' ? [0, 0.25, 0.5, 0.75, 1] : niceTicks(longest, 4, true);
  const top = ticks[ticks.length - 1]!;
  const formatTick = scale === 'share' ? formatPercent : String;
  const format = (v: number) => (scale === 'share' ? formatPercent(v) : String(v));
  const style = {
    '--label-width': '250px',
    '--value-space': `${rightMargin}px`,
    ...(barSize === undefined ? {} : { '--line-height': `${barSize}px` }),
  };
  const selectable = series.some((s) => s.onSelect);
  const roving = useRovingFocus<HTMLDivElement>('grid');
  const said = (row: Row, s: HorizontalCountSeries<Row>) =>
    `${s.name}: ${s.describe ? s.describe(row) : format(value(row, s.key))}`;
  return (
    <div
      ref={roving}
      className={`bar-chart bar-chart-horizontal hbar-chart${selectable ? ' bar-chart-selectable' : ''}`}
      role="group"
      aria-label={`${label} Use the arrow keys to move between the bars.`}
      style={style as CSSProperties}
    >
      <div className="bar-chart-plot">
        <HorizontalTicks ticks={ticks} top={top} formatTick={formatTick} part="grid" />
        {rows.map((row, i) => {
          const category = categoryText ? categoryText(row) : String(row[categoryKey] ?? '');
          const tooltip = `${category}\n${series.map((s) => `${s.name}: ${format(value(row, s.key))}`).join('\n')}`;
          return (
            <div
              key={i}
              className={`bar-chart-row hbar-row${barSize === undefined ? '' : ' hbar-row-thin'}`}
              title={tooltip}
            >
              <span className="bar-chart-category">{category}</span>
              <span className="hbar-lines">
                {lines.map((line, j) => {
                  const select = line.find((s) => s.onSelect)?.onSelect;
                  const end = line.find((s) => s.endLabel)?.endLabel;
                  return (
                    <span
                      key={line[0]!.key}
                      className={`bar-chart-track${select ? ' hbar-selectable' : ''}`}
                      onClick={select && (() => select(row))}
                      {...rovingMark(i, j)}
                      role={select ? 'button' : 'img'}
                      aria-label={`${category}, ${line.map((s) => said(row, s)).join('; ')}`}
                    >
                      {line.map((s) => (
                        <span
                          key={s.key}
                          className="bar-chart-bar"
                          data-bar={s.key}
                          data-value={value(row, s.key)}
                          style={{
                            width: percent(value(row, s.key), top),
                            background: s.color,
                            ...(s.stroke ? { boxShadow: `inset 0 0 0 1px ${s.stroke}` } : {}),
                          }}
                        />
                      ))}
                      {end && (
                        <span className="bar-chart-value">{end.format(value(row, end.key))}</span>
                      )}
                    </span>
                  );
                })}
              </span>
            </div>
          );
        })}
      </div>
      <HorizontalTicks ticks={ticks} top={top} formatTick={formatTick} part="axis" />
      {legend && <ChartLegend items={series.map((s) => ({ ...s, label: s.name }))} />}
    </div>
  );
}
