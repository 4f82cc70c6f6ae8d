import type { CSSProperties, ReactNode } from 'react';
import { formatPercent } from '@/lib/format';
import { rovingMark, useRovingFocus } from '@/lib/roving-focus';
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
  /**
   * The row's label in words, said before each of its marks when reached from the keyboard
   * ("Assessment timeliness, Leeds: 50% …"); a one-mark row says it alone ("Leeds, rank 3: …").
   */
  name?: string;
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

/** What a screen reader says on reaching a mark: its row, its group, share, interval and n. */
export function markName(row: Pick<IntervalRow, 'name' | 'marks'>, mark: IntervalMark): string {
  const who = !row.name
    ? mark.name
    : row.marks.length === 1 || row.name === mark.name
      ? row.name
      : `${row.name}, ${mark.name}`;
  return `${who}: ${describeMark(mark)}`;
}

/**
 * Shares from 0 to 100% drawn as a mark with a whisker for the 95% interval, one line per mark,
 * rows stacked down the page (label above the plot on narrow screens). Each mark is reached with
 * the arrow keys (the chart is one stop of the Tab key: Up and Down between rows, Left and Right
 * between a row's marks) and says its figures in words; the panel's table view gives them as
 * numbers.
 */
export function IntervalChart({ rows, label }: IntervalChartProps) {
  const roving = useRovingFocus<HTMLDivElement>('grid');
  return (
    <div
      ref={roving}
      className="interval-chart"
      role="group"
      aria-label={`${label} Use the arrow keys to move between the marks.`}
    >
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
        {rows.map((row, i) => (
          <li key={row.key} className={row.few ? 'interval-row few' : 'interval-row'} {...row.data}>
            <div className="interval-label">
              {row.label}
              {row.detail && <div className="interval-detail">{row.detail}</div>}
            </div>
            <div className="interval-plot">
              <div className="interval-scale">
                {TICKS.map((t) => (
                  <span
                    key={t}
                    className="interval-gridline"
                    style={{ left: pct(t) }}
                    aria-hidden="true"
                  />
                ))}
                {row.marks.map((mark, j) => (
                  <div
                    key={mark.key}
                    className={`interval-track${mark.few ? ' few' : ''}`}
                    style={{ '--mark-color': mark.color } as CSSProperties}
                    title={`${mark.name}: ${describeMark(mark)}`}
                    role="img"
                    aria-label={markName(row, mark)}
                    {...rovingMark(i, j)}
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
