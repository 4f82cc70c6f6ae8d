import {
  Bar,
  BarChart,
  CartesianGrid,
  LabelList,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { COLORS } from '@/lib/colors';
import { formatPercent } from '@/lib/format';

// recharts is a large download: import this module only from views that are loaded lazily, never
// from src/main.tsx, src/app or the overview (which paints from src/lib/bar-chart.tsx).

/** One series of a {@link HorizontalCountChart}: the numeric field it draws, its name and colour. */
export interface HorizontalCountSeries<Row> {
  key: keyof Row & string;
  /** The series' name in the legend and the tooltip. */
  name: string;
  color: string;
  /** Outline of the bars; none by default. */
  stroke?: string;
  /** Series with the same stack id are stacked; the others stand side by side. */
  stack?: string;
  /** A field written at the end of each bar of this series. */
  endLabel?: { key: keyof Row & string; format: (value: number) => string };
  /** Makes the bars of this series clickable (the chart's table view carries the same action). */
  onSelect?: (row: Row) => void;
}

/** Props of {@link HorizontalCountChart}. */
export interface HorizontalCountChartProps<Row> {
  rows: readonly Row[];
  /** The field written down the side, one category per row. */
  categoryKey: keyof Row & string;
  series: readonly HorizontalCountSeries<NoInfer<Row>>[];
  /** `count`: whole numbers from 0 to the longest bar; `share`: 0 to 100%. */
  scale: 'count' | 'share';
  /** Height of the whole chart in pixels, axis and legend included. */
  height: number;
  /** Room right of the plot in pixels, e.g. for end labels. */
  rightMargin?: number;
  /** A fixed bar thickness in pixels, the bars of one category then 1 px apart. */
  barSize?: number;
  /** Whether the series' names are listed under the chart; off where the panel names them. */
  legend?: boolean;
  /** What the chart shows, for screen readers (its table view gives the numbers). */
  label: string;
}

/** A recharts bar chart with the categories down the side and bars growing rightwards. */
export function HorizontalCountChart<Row>({
  rows,
  categoryKey,
  series,
  scale,
  height,
  rightMargin = 24,
  barSize,
  legend = true,
  label,
}: HorizontalCountChartProps<Row>) {
  return (
    <ResponsiveContainer width="100%" height={height}>
      <BarChart
        data={[...rows]}
        layout="vertical"
        barGap={barSize === undefined ? undefined : 1}
        margin={{ top: 4, right: rightMargin, left: 8, bottom: 4 }}
        aria-label={label}
      >
        <CartesianGrid horizontal={false} stroke={COLORS.grid} />
        {scale === 'share' ? (
          <XAxis
            type="number"
            domain={[0, 1]}
            tickFormatter={(v: number) => formatPercent(v)}
            stroke={COLORS.secondaryText}
          />
        ) : (
          <XAxis
            type="number"
            allowDecimals={false}
            domain={[0, 'dataMax']}
            stroke={COLORS.secondaryText}
          />
        )}
        {/* `as string`: recharts types a data key against its data, which a generic Row hides. */}
        <YAxis
          type="category"
          dataKey={categoryKey as string}
          width={250}
          interval={0}
          tick={{ fontSize: 13, fill: COLORS.text }}
        />
        {scale === 'share' ? (
          <Tooltip formatter={(value) => formatPercent(Number(value))} />
        ) : (
          <Tooltip />
        )}
        {legend && (
          <Legend
            itemSorter={null}
            formatter={(value) => <span style={{ color: COLORS.text }}>{value}</span>}
          />
        )}
        {series.map(({ key, name, color, stroke, stack, endLabel, onSelect }) => (
          <Bar
            key={key}
            dataKey={key as string}
            name={name}
            stackId={stack}
            fill={color}
            stroke={stroke}
            barSize={barSize}
            isAnimationActive={false}
            cursor={onSelect ? 'pointer' : undefined}
            onClick={
              onSelect &&
              ((entry) => {
                const row = (entry as { payload?: Row }).payload;
                if (row) onSelect(row);
              })
            }
          >
            {endLabel && (
              <LabelList
                dataKey={endLabel.key}
                position="right"
                formatter={(v) => endLabel.format(Number(v))}
                fill={COLORS.text}
              />
            )}
          </Bar>
        ))}
      </BarChart>
    </ResponsiveContainer>
  );
}
