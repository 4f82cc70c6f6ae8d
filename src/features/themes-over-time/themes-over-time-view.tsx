import { useMemo } from 'react';
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { AppLink } from '@/app/app-link';
import { hrefFor, navigate, navigateWith, useSearchParams, viewParams } from '@/app/url-state';
import { useFilterChangePrefetch, useViewFilters, viewQuery } from '@/app/view-filters';
import { ThemeName, WeakThemesNote } from '@/app/weak-themes';
import { ChartWithTable } from '@/lib/chart-with-table';
import { COLORS } from '@/lib/colors';
import type { TableColumn } from '@/lib/csv';
import { formatPercent } from '@/lib/format';
import { noRows, QueryState } from '@/lib/query-state';
import { rovingMark, useRovingFocus } from '@/lib/roving-focus';
import { markedLabel, useWeakThemes } from '@/lib/theme-quality';
import { shareWords } from '@/lib/share-words';
import {
  MAX_TREND_THEMES,
  type ThemeTrendParams,
  type ThemeTrendRow,
  type TrendMeasure,
} from './themes-over-time-sql';
import { useThemeChoices, useThemeTrend, themeTrendQueryOptions } from './themes-over-time-queries';
import './themes-over-time.css';

// Distinct hues that keep 3:1 contrast on white, as WCAG asks of chart marks.
const SERIES_COLORS = [
  '#1d70b8',
  '#b3261e',
  '#00703c',
  '#4c2c92',
  '#912b88',
  '#85540b',
  '#0b0c0c',
  '#28779c',
];

const MEASURE_LABELS: Record<TrendMeasure, string> = {
  weakness: 'Weaknesses',
  strength: 'Strengths',
  both: 'Both',
};

function parseMeasure(value: string | null): TrendMeasure {
  return value === 'strength' || value === 'both' ? value : 'weakness';
}

/** Themes over time: prevalence by reporting year for the chosen themes. */
export function ThemesOverTimeView() {
  const filters = useViewFilters();
  const params = useSearchParams();
  const measure = parseMeasure(params.get('measure'));
  const themesParam = params.get('themes') ?? '';
  const themes = useMemo(() => themesParam.split(',').filter(Boolean), [themesParam]);
  const trendParams = useMemo<ThemeTrendParams>(
    () => ({ filters, themes, measure }),
    [filters, themes, measure],
  );
  const trend = useThemeTrend(trendParams);
  useFilterChangePrefetch((next) => [
    viewQuery(themeTrendQueryOptions({ filters: next, themes, measure })),
  ]);
  return (
    <div className="view themes-over-time">
      <TrendControls measure={measure} themes={themes} />
      <QueryState query={trend} label="theme prevalence by year" isEmpty={noRows}>
        {(rows) => <ThemeTrendPanel rows={rows} measure={measure} />}
      </QueryState>
    </div>
  );
}

function TrendControls({ measure, themes }: { measure: TrendMeasure; themes: readonly string[] }) {
  const choices = useThemeChoices();
  const weak = useWeakThemes();
  const set = (changes: Record<string, string | undefined>) => navigateWith(changes);
  const toggle = (id: string, on: boolean) => {
    const next = on ? [...themes, id] : themes.filter((t) => t !== id);
    set({ themes: next.join(',') || undefined });
  };
  const groups = new Map<string, { theme_id: string; label: string }[]>();
  for (const c of choices.data ?? [])
    groups.set(c.group_label, [...(groups.get(c.group_label) ?? []), c]);
  return (
    <div className="pickers trend-controls">
      <fieldset className="radio-group">
        <legend>Count findings that are</legend>
        {(['weakness', 'strength', 'both'] as const).map((m) => (
          <label key={m}>
            <input
              type="radio"
              name="trend-measure"
              value={m}
              checked={measure === m}
              onChange={() => set({ measure: m === 'weakness' ? undefined : m })}
            />{' '}
            {MEASURE_LABELS[m]}
          </label>
        ))}
      </fieldset>
      <details className="theme-chooser">
        <summary>
          Choose themes (
          {themes.length === 0 ? 'the five most frequent' : `${themes.length} chosen`}, up to{' '}
          {MAX_TREND_THEMES})
        </summary>
        {[...groups].map(([group, list]) => (
          <fieldset key={group}>
            <legend>{group}</legend>
            {list.map((c) => {
              const checked = themes.includes(c.theme_id);
              return (
                <label key={c.theme_id} className="checkbox">
                  <input
                    type="checkbox"
                    checked={checked}
                    disabled={!checked && themes.length >= MAX_TREND_THEMES}
                    onChange={(e) => toggle(c.theme_id, e.target.checked)}
                  />{' '}
                  <ThemeName label={c.label} themeId={c.theme_id} weak={weak} />
                </label>
              );
            })}
          </fieldset>
        ))}
        <WeakThemesNote themes={choices.data ?? []} weak={weak} />
        {themes.length > 0 && (
          <button
            type="button"
            className="button button-link"
            onClick={() => set({ themes: undefined })}
          >
            Back to the five most frequent
          </button>
        )}
      </details>
    </div>
  );
}

/** A line per theme (and per kind when both are shown) across reporting years, with a table. */
export function ThemeTrendPanel({
  rows,
  measure,
}: {
  rows: readonly ThemeTrendRow[];
  measure: TrendMeasure;
}) {
  const params = useSearchParams();
  const weak = useWeakThemes();
  const { data, series } = useMemo(() => {
    const byYear = new Map<string, Record<string, string | number>>();
    const seriesMap = new Map<
      string,
      { key: string; label: string; kind: string; theme: string }
    >();
    for (const row of rows) {
      const key = `${row.theme_id}:${row.kind}`;
      const point = byYear.get(row.reporting_year) ?? { reporting_year: row.reporting_year };
      point[key] = row.share;
      byYear.set(row.reporting_year, point);
      const name = markedLabel(row.label, row.theme_id, weak);
      const label = measure === 'both' ? `${name} (${row.kind})` : name;
      seriesMap.set(key, { key, label, kind: row.kind, theme: row.theme_id });
    }
    return { data: [...byYear.values()], series: [...seriesMap.values()] };
  }, [rows, measure, weak]);
  const themeIds = [...new Set(series.map((s) => s.theme))];
  const years = data.map((d) => String(d.reporting_year));
  const points = useMemo(
    () => new Map(rows.map((r) => [`${r.theme_id}:${r.kind}\u0000${r.reporting_year}`, r])),
    [rows],
  );
  const roving = useRovingFocus<HTMLDivElement>('grid');
  const evidenceParams = (row: ThemeTrendRow) =>
    viewParams('evidence', params, {
      theme: row.theme_id,
      year: row.reporting_year,
      section: row.kind,
    });
  /**
   * A point reached with the arrow keys (Left and Right along its line, Up and Down between
   * lines): its theme, year, share, interval and n said in words; Enter, like a click, opens the
   * findings behind it.
   */
  const dot =
    (seriesIndex: number, label: string, color: string) =>
    ({
      cx,
      cy,
      payload,
      index,
    }: {
      cx?: number;
      cy?: number;
      payload?: unknown;
      index: number;
    }) => {
      const year = String((payload as { reporting_year?: string } | undefined)?.reporting_year);
      const row = points.get(`${series[seriesIndex]!.key}\u0000${year}`);
      if (!row || cx === undefined || cy === undefined) return <g key={index} />;
      const words = `${label}, ${year}: ${shareWords(row.letters_with_theme, row.letters, 'inspection', 'inspections')}. Open the findings.`;
      return (
        <circle
          key={index}
          className="trend-dot"
          cx={cx}
          cy={cy}
          r={4}
          fill="#ffffff"
          stroke={color}
          strokeWidth={2}
          role="link"
          aria-label={words}
          data-theme={row.theme_id}
          data-year={year}
          data-kind={row.kind}
          {...rovingMark(seriesIndex, years.indexOf(year))}
          onClick={() => navigate(hrefFor(evidenceParams(row)))}
        />
      );
    };
  const columns: TableColumn<ThemeTrendRow>[] = [
    { key: 'reporting_year', label: 'Reporting year' },
    {
      key: 'label',
      label: 'Theme',
      render: (row) => <ThemeName label={row.label} themeId={row.theme_id} weak={weak} />,
    },
    { key: 'kind', label: 'Counted as' },
    { key: 'letters_with_theme', label: 'Inspections raising it', numeric: true },
    { key: 'letters', label: 'Inspections', numeric: true },
    { key: 'share', label: 'Share', numeric: true, format: (v) => formatPercent(v as number) },
    {
      key: 'theme_id',
      label: 'Evidence',
      render: (row) => <AppLink params={evidenceParams(row)}>Findings</AppLink>,
    },
  ];
  return (
    <ChartWithTable
      title={`Themes by reporting year: ${MEASURE_LABELS[measure].toLowerCase()}`}
      description="Share of each year's inspections with at least one finding on the theme. Years with few letters swing widely: check the inspection counts in the table."
      rows={rows}
      columns={columns}
      fileName={`themes-over-time-${measure}`}
      id="themes-over-time"
      note={<WeakThemesNote themes={rows} weak={weak} />}
    >
      <div
        ref={roving}
        className="trend-chart"
        role="group"
        aria-label="Each theme's share of inspections by reporting year: use the arrow keys to move between the points, Enter to open a point's findings; the table view lists the figures."
      >
        <ResponsiveContainer width="100%" height={340}>
          <LineChart
            data={data}
            margin={{ top: 12, right: 24, left: 0, bottom: 4 }}
            accessibilityLayer={false}
          >
            <CartesianGrid vertical={false} stroke={COLORS.grid} />
            <XAxis
              dataKey="reporting_year"
              stroke={COLORS.secondaryText}
              padding={{ left: 40, right: 40 }}
            />
            <YAxis
              domain={[0, 1]}
              tickFormatter={(v: number) => formatPercent(v)}
              stroke={COLORS.secondaryText}
            />
            <Tooltip formatter={(value) => formatPercent(Number(value))} />
            <Legend formatter={(value) => <span style={{ color: COLORS.text }}>{value}</span>} />
            {series.map((s, i) => {
              const color = SERIES_COLORS[themeIds.indexOf(s.theme) % SERIES_COLORS.length]!;
              return (
                <Line
                  key={s.key}
                  dataKey={s.key}
                  name={s.label}
                  stroke={color}
                  strokeWidth={2}
                  strokeDasharray={s.kind === 'strength' && measure === 'both' ? '6 4' : undefined}
                  dot={dot(i, s.label, color)}
                  isAnimationActive={false}
                />
              );
            })}
          </LineChart>
        </ResponsiveContainer>
      </div>
    </ChartWithTable>
  );
}
