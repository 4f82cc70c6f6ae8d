import type { CSSProperties } from 'react';
import { rovingMark, useRovingFocus } from '@/lib/roving-focus';
import '@/lib/bar-chart.css';

/** One series of a bar chart: the numeric field it draws, its name and colour. */
export interface BarSeries<Row> {
  key: { [K in keyof Row]: Row[K] extends number | null ? K : never }[keyof Row] & string;
  label: string;
  color: string;
}

/** Props of {@link BarChart}. */
export interface BarChartProps<Row> {
  rows: readonly Row[];
  /** The category each bar (or stack of bars) stands for. */
  category: (row: Row) => string;
  /** One series draws plain bars; several are stacked in order. */
  series: readonly BarSeries<Row>[];
  /** `horizontal`: bars grow rightwards with the categories down the side; `vertical`: upwards. */
  layout: 'horizontal' | 'vertical';
  /** The axis maximum; by default a round number at or above the largest bar. */
  max?: number;
  formatTick?: (value: number) => string;
  /** Text written at the end of each bar (stack). */
  formatValue?: (row: Row) => string;
  /**
   * A bar's tooltip, and its accessible name: what a screen reader says on reaching it with the
   * arrow keys (its label, value, n and interval). By default the category and each value.
   */
  describe?: (row: Row) => string;
  /**
   * Makes the bars clickable, and Enter or Space on a bar reached from the keyboard (the chart's
   * table view carries the same action as a link).
   */
  onSelect?: (row: Row) => void;
  /** Width of the category labels of a horizontal chart, in pixels. */
  labelWidth?: number;
  /** Height of the plot of a vertical chart, in pixels. */
  height?: number;
  /** What the chart shows, for screen readers (its table view gives the numbers). */
  label: string;
}

/**
 * Round tick values from 0 to at least `max`: steps of 1, 2, 2.5 or 5 times a power of ten
 * (whole steps of at least 1 when `whole`, for counts).
 */
export function niceTicks(max: number, count = 4, whole = false): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = whole ? Math.max(1, max / count) : max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const multiples = whole && power < 10 ? [1, 2, 5, 10] : [1, 2, 2.5, 5, 10];
  const step = multiples.map((m) => m * power).find((s) => s >= raw) ?? raw;
  const ticks: number[] = [];
  for (let t = 0; t < max + step / 2; t += step) ticks.push(Math.round(t * 1e9) / 1e9);
  if (ticks[ticks.length - 1]! < max) ticks.push(ticks[ticks.length - 1]! + step);
  return ticks;
}

/** `value` as a CSS percentage of `max`, clamped to the plot. */
export function percent(value: number, max: number): string {
  return `${Math.max(0, Math.min(100, (value / max) * 100))}%`;
}

/** The vertical grid lines and the tick labels under a horizontal chart's plot. */
export function HorizontalTicks({
  ticks,
  top,
  formatTick,
  part,
}: {
  ticks: readonly number[];
  top: number;
  formatTick: (value: number) => string;
  part: 'grid' | 'axis';
}) {
  return (
    <div className={`bar-chart-${part}`} aria-hidden="true">
      {ticks.map((t) => (
        <span key={t} style={{ left: percent(t, top) }}>
          {part === 'axis' ? formatTick(t) : null}
        </span>
      ))}
    </div>
  );
}

/** A chart's series named under it, each with its colour (and outline). */
export function ChartLegend({
  items,
}: {
  items: readonly { key: string; label: string; color: string; stroke?: string }[];
}) {
  return (
    <ul className="bar-chart-legend" aria-hidden="true">
      {items.map((item) => (
        <li key={item.key}>
          <span
            className="bar-chart-swatch"
            style={{
              background: item.color,
              ...(item.stroke ? { boxShadow: `inset 0 0 0 1px ${item.stroke}` } : {}),
            }}
          />
          {item.label}
        </li>
      ))}
    </ul>
  );
}

// No charting library to download or lay out and nothing to measure: it paints in the first frame
// and stays responsive. Callers pass aggregates (a few dozen rows), never raw findings.
/** A bar chart in plain HTML and CSS, one bar (or stack) per row of aggregates. */
export function BarChart<Row>({
  rows,
  category,
  series,
  layout,
  max,
  formatTick = String,
  formatValue,
  describe,
  onSelect,
  labelWidth = 160,
  height = 220,
  label,
}: BarChartProps<Row>) {
  const total = (row: Row) =>
    series.reduce((sum, s) => sum + (Number(row[s.key as keyof Row]) || 0), 0);
  const largest = rows.reduce((m, row) => Math.max(m, total(row)), 0);
  const ticks = max === undefined ? niceTicks(largest) : niceTicks(max).filter((t) => t <= max);
  const top = max ?? ticks[ticks.length - 1]!;
  // On a narrow screen the labels take at most 40% of the width and wrap, so that the plot keeps
  // room for its bars and its axis (a phone at 390 px gave the plot 10% and stacked the ticks).
  const style = { '--label-width': `min(${labelWidth}px, 40%)`, '--plot-height': `${height}px` };
  const bars = (row: Row) =>
    series.map((s) => {
      const value = Number(row[s.key as keyof Row]) || 0;
      const size = percent(value, top);
      return (
        <span
          key={s.key}
          className="bar-chart-bar"
          data-bar={s.key}
          data-value={value}
          style={{
            background: s.color,
            ...(layout === 'horizontal' ? { width: size } : { height: size }),
          }}
        />
      );
    });
  const select = onSelect && ((row: Row) => () => onSelect(row));
  const roving = useRovingFocus<HTMLDivElement>('list');
  const name = (row: Row) =>
    describe?.(row) ??
    `${category(row)}: ${series.map((s) => `${s.label} ${formatTick(Number(row[s.key as keyof Row]) || 0)}`).join(', ')}`;
  /** Each bar (or stack) is a mark the arrow keys reach, named, a button when it opens something. */
  const mark = (row: Row, i: number) => ({
    ...rovingMark(i),
    role: onSelect ? 'button' : 'img',
    'aria-label': name(row),
    title: describe?.(row),
    onClick: select?.(row),
  });
  return (
    <div
      ref={roving}
      className={`bar-chart bar-chart-${layout}${onSelect ? ' bar-chart-selectable' : ''}`}
      role="group"
      aria-label={`${label} Use the arrow keys to move between the bars.`}
      style={style as CSSProperties}
    >
      {layout === 'horizontal' ? (
        <>
          <div className="bar-chart-plot">
            <HorizontalTicks ticks={ticks} top={top} formatTick={formatTick} part="grid" />
            {rows.map((row, i) => (
              <div key={i} className="bar-chart-row" {...mark(row, i)}>
                <span className="bar-chart-category">{category(row)}</span>
                <span className="bar-chart-track">
                  {bars(row)}
                  {formatValue && <span className="bar-chart-value">{formatValue(row)}</span>}
                </span>
              </div>
            ))}
          </div>
          <HorizontalTicks ticks={ticks} top={top} formatTick={formatTick} part="axis" />
        </>
      ) : (
        <div className="bar-chart-plot">
          <div className="bar-chart-yaxis" aria-hidden="true">
            {ticks.map((t) => (
              <span key={t} style={{ bottom: percent(t, top) }}>
                {formatTick(t)}
              </span>
            ))}
          </div>
          <div className="bar-chart-columns">
            <div className="bar-chart-grid" aria-hidden="true">
              {ticks.map((t) => (
                <span key={t} style={{ bottom: percent(t, top) }} />
              ))}
            </div>
            {rows.map((row, i) => (
              <div key={i} className="bar-chart-column" {...mark(row, i)}>
                <span className="bar-chart-stack" style={{ height: percent(total(row), top) }}>
                  {formatValue && <span className="bar-chart-value">{formatValue(row)}</span>}
                </span>
                <span className="bar-chart-bars">{bars(row)}</span>
              </div>
            ))}
          </div>
          <div />
          <div className="bar-chart-categories" aria-hidden="true">
            {rows.map((row, i) => (
              <span key={i}>{category(row)}</span>
            ))}
          </div>
        </div>
      )}
      {series.length > 1 && <ChartLegend items={series} />}
    </div>
  );
}
