import type { CSSProperties, ReactNode } from 'react';
import { formatPercent } from '@/lib/format';
import './interval-chart.css';

/** How a mark is drawn besides its colour, so that groups differ by more than hue. */
export type MarkShape = 'circle' | 'square' | 'diamond' | 'bar';

/** One share with its interval on a row of an {@link IntervalChart}. */
export interface IntervalMark {
  key: string;
  /** Who the share is of, for screen readers ("Leeds", "England"). */
  name: string;
  /** Letters raising the theme, of `n`. */
  k: number;
  n: number;
  /** Null when the group holds no letter: nothing is drawn. */
  share: number | null;
  low: number | null;
  high: number | null;
  color: string;
  shape: MarkShape;
  /** Drawn hollow with a dashed interval: too few letters to read on its own. */
  few: boolean;
}

/** One row of an {@link IntervalChart}: its label, a line of text and its marks. */
export interface IntervalRow {
  key: string;
  label: ReactNode;
  /** Shown under the label (figures in words). */
  detail?: ReactNode;
  marks: readonly IntervalMark[];
  /** Greys the row's text: it rests on too few letters. */
  few?: boolean;
  /** Extra attributes for tests and styles, e.g. `data-council`. */
  data?: Record<`data-${string}`, string | number>;
}

/** Props of {@link IntervalChart}. */
export interface IntervalChartProps {
  rows: readonly IntervalRow[];
  /** What the chart shows, for screen readers. */
  label: string;
}

const TICKS = [0, 0.25, 0.5, 0.75, 1];

/** A share and its interval in words: "50% (95% interval 9% to 91%), 1 of 2 letters". */
export function describeMark(mark: Pick<IntervalMark, 'k' | 'n' | 'share' | 'low' | 'high'>) {
  if (mark.share === null || mark.n === 0) return 'no letters held';
  const interval =
    mark.low === null || mark.high === null
      ? ''
      : ` (95% interval ${formatPercent(mark.low)} to ${formatPercent(mark.high)})`;
  return `${formatPercent(mark.share)}${interval}, ${mark.k} of ${mark.n} ${mark.n === 1 ? 'letter' : 'letters'}`;
}

function pct(value: number): string {
  return `${Math.max(0, Math.min(1, value)) * 100}%`;
}

/**
 * Shares from 0 to 100% drawn as a mark with a whisker for the 95% interval, one line per mark,
 * rows stacked down the page (label above the plot on narrow screens). Every figure is also said
 * in words for screen readers; the panel's table view gives them as numbers.
 */
export function IntervalChart({ rows, label }: IntervalChartProps) {
  return (
    <div className="interval-chart" role="group" aria-label={label}>
      <div className="interval-axis" aria-hidden="true">
        <span className="interval-axis-gap" />
        <div className="interval-scale">
          {TICKS.map((t) => (
            <span key={t} className="interval-tick" style={{ left: pct(t) }}>
              {formatPercent(t)}
            </span>
          ))}
        </div>
      </div>
      <ul className="interval-rows">
        {rows.map((row) => (
          <li key={row.key} className={row.few ? 'interval-row few' : 'interval-row'} {...row.data}>
            <div className="interval-label">
              {row.label}
              {row.detail && <div className="interval-detail">{row.detail}</div>}
            </div>
            <div className="interval-plot" aria-hidden="true">
              <div className="interval-scale">
                {TICKS.map((t) => (
                  <span key={t} className="interval-gridline" style={{ left: pct(t) }} />
                ))}
                {row.marks.map((mark) => (
                  <div
                    key={mark.key}
                    className={`interval-track${mark.few ? ' few' : ''}`}
                    style={{ '--mark-color': mark.color } as CSSProperties}
                    title={`${mark.name}: ${describeMark(mark)}`}
                  >
                    {mark.share !== null && mark.low !== null && mark.high !== null && (
                      <>
                        <span
                          className="interval-whisker"
                          style={{ left: pct(mark.low), width: pct(mark.high - mark.low) }}
                        />
                        <span
                          className={`interval-dot interval-dot-${mark.shape}`}
                          style={{ left: pct(mark.share) }}
                        />
                      </>
                    )}
                  </div>
                ))}
              </div>
            </div>
            <span className="visually-hidden">
              {row.marks.map((m) => `${m.name}: ${describeMark(m)}`).join('; ')}.
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** A legend of the marks' groups: a swatch of each shape and colour with its name and n. */
export function IntervalLegend({
  items,
}: {
  items: readonly { key: string; color: string; shape: MarkShape; label: ReactNode }[];
}) {
  return (
    <ul className="interval-legend">
      {items.map((item) => (
        <li key={item.key} style={{ '--mark-color': item.color } as CSSProperties}>
          <span className={`interval-swatch interval-dot-${item.shape}`} aria-hidden="true" />
          {item.label}
        </li>
      ))}
    </ul>
  );
}
