import { useMemo, type ReactNode } from 'react';
import { AppLink } from '@/app/app-link';
import { CouncilLink } from '@/app/council-link';
import { hrefFor, navigate, navigateWith, useSearchParams, viewParams } from '@/app/url-state';
import { useFilterChangePrefetch, useViewFilters, viewQuery } from '@/app/view-filters';
import { ThemeName, WeakThemesNote } from '@/app/weak-themes';
import { ChartWithTable } from '@/lib/chart-with-table';
import { heatLegend, heatStep } from '@/lib/colors';
import type { TableColumn } from '@/lib/csv';
import { noRows, QueryState } from '@/lib/query-state';
import { rovingMark, useRovingFocus } from '@/lib/roving-focus';
import { useWeakThemes } from '@/lib/theme-quality';
import type { HeatmapCellRow } from './heatmap-sql';
import { useHeatmap, heatmapQueryOptions } from './heatmap-queries';

/** Which count the heatmap colours: weakness findings or strength findings. */
export type HeatmapMeasure = 'weakness' | 'strength';

const MEASURE_FIELD = {
  weakness: 'weakness_findings',
  strength: 'strength_findings',
} as const satisfies Record<HeatmapMeasure, keyof HeatmapCellRow>;

const MEASURE_NOUN: Record<HeatmapMeasure, string> = {
  weakness: 'weakness findings',
  strength: 'strength findings',
};

/** The council × theme heatmap view, its measure and sort held in the URL. */
export function HeatmapView() {
  const filters = useViewFilters();
  useFilterChangePrefetch((next) => [viewQuery(heatmapQueryOptions(next))]);
  const heatmap = useHeatmap(filters);
  const params = useSearchParams();
  const measure: HeatmapMeasure = params.get('measure') === 'strength' ? 'strength' : 'weakness';
  const sort = params.get('sort') ?? 'total';
  return (
    <QueryState query={heatmap} label="councils and themes" isEmpty={noRows}>
      {(rows) => <HeatmapPanel rows={rows} measure={measure} sort={sort} />}
    </QueryState>
  );
}

interface Matrix {
  themes: { id: string; label: string; total: number }[];
  councils: { name: string; region: string | null; letters: number; total: number }[];
  cells: Map<string, HeatmapCellRow>;
  max: number;
}

function buildMatrix(
  rows: readonly HeatmapCellRow[],
  measure: HeatmapMeasure,
  sort: string,
): Matrix {
  const field = MEASURE_FIELD[measure];
  const themes = new Map<string, { id: string; label: string; total: number }>();
  const councils = new Map<
    string,
    { name: string; region: string | null; letters: number; total: number }
  >();
  const cells = new Map<string, HeatmapCellRow>();
  let max = 0;
  for (const row of rows) {
    const theme = themes.get(row.theme_id) ?? {
      id: row.theme_id,
      label: row.theme_label,
      total: 0,
    };
    const council = councils.get(row.council_name) ?? {
      name: row.council_name,
      region: row.region,
      letters: row.letters,
      total: 0,
    };
    theme.total += row[field];
    council.total += row[field];
    themes.set(row.theme_id, theme);
    councils.set(row.council_name, council);
    cells.set(`${row.council_name}\u0000${row.theme_id}`, row);
    max = Math.max(max, row[field]);
  }
  const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
  const councilList = [...councils.values()];
  if (sort === 'council') councilList.sort(byName);
  else if (sort === 'region')
    councilList.sort((a, b) => (a.region ?? '~').localeCompare(b.region ?? '~') || byName(a, b));
  else if (themes.has(sort))
    councilList.sort(
      (a, b) =>
        (cells.get(`${b.name}\u0000${sort}`)?.[field] ?? 0) -
          (cells.get(`${a.name}\u0000${sort}`)?.[field] ?? 0) || byName(a, b),
    );
  else councilList.sort((a, b) => b.total - a.total || byName(a, b));
  const themeList = [...themes.values()].sort(
    (a, b) => b.total - a.total || a.label.localeCompare(b.label),
  );
  return { themes: themeList, councils: councilList, cells, max };
}

/** The heatmap grid with its measure switch, legend and table view; every cell is a button. */
export function HeatmapPanel({
  rows,
  measure,
  sort,
}: {
  rows: readonly HeatmapCellRow[];
  measure: HeatmapMeasure;
  sort: string;
}) {
  const params = useSearchParams();
  const weak = useWeakThemes();
  const matrix = useMemo(() => buildMatrix(rows, measure, sort), [rows, measure, sort]);
  // One stop of the Tab key for the grid; the arrow keys move between its cells.
  const roving = useRovingFocus<HTMLTableSectionElement>('grid');
  const field = MEASURE_FIELD[measure];
  const setParam = (changes: Record<string, string | undefined>) => navigateWith(changes);
  const openEvidence = (council: string, themeId: string) =>
    navigate(
      hrefFor(viewParams('evidence', params, { council, theme: themeId, section: measure })),
    );
  const tableRows = rows.filter((r) => r.weakness_findings > 0 || r.strength_findings > 0);
  const columns: TableColumn<HeatmapCellRow>[] = [
    {
      key: 'council_name',
      label: 'Council',
      render: (row) => <CouncilLink name={row.council_name} params={params} />,
    },
    { key: 'region', label: 'Region' },
    {
      key: 'theme_label',
      label: 'Theme',
      render: (row) => <ThemeName label={row.theme_label} themeId={row.theme_id} weak={weak} />,
    },
    { key: 'weakness_findings', label: 'Weakness findings', numeric: true },
    { key: 'strength_findings', label: 'Strength findings', numeric: true },
    {
      key: 'theme_id',
      label: 'Evidence',
      render: (row) => (
        <AppLink
          params={viewParams('evidence', params, {
            council: row.council_name,
            theme: row.theme_id,
          })}
        >
          Findings
        </AppLink>
      ),
    },
  ];
  const sortButton = (key: string, label: ReactNode, extraLabel: string) => (
    <button
      type="button"
      className="sort-button"
      aria-label={`Sort councils by ${extraLabel}`}
      aria-pressed={sort === key}
      onClick={() => setParam({ sort: key })}
    >
      {label}
    </button>
  );
  const ariaSort = (key: string) =>
    sort !== key ? undefined : key === 'council' ? ('ascending' as const) : ('descending' as const);
  const measureSwitch = (
    <div className="segmented" role="group" aria-label="Colour cells by">
      {(['weakness', 'strength'] as const).map((m) => (
        <button
          key={m}
          type="button"
          aria-pressed={measure === m}
          onClick={() => setParam({ measure: m === 'weakness' ? undefined : m })}
        >
          {m === 'weakness' ? 'Weaknesses' : 'Strengths'}
        </button>
      ))}
    </div>
  );
  return (
    <ChartWithTable
      title={`Council × theme: ${MEASURE_NOUN[measure]}`}
      description="Each cell counts a council's findings on a theme; weaknesses are areas for development or priority action. Select a cell to read its findings; select a column heading to sort councils by it."
      rows={tableRows}
      columns={columns}
      fileName={`council-theme-${measure}`}
      id="council-theme"
      controls={measureSwitch}
      note={
        <WeakThemesNote
          themes={matrix.themes.map((t) => ({ theme_id: t.id, label: t.label }))}
          weak={weak}
        />
      }
    >
      <Legend measure={measure} max={matrix.max} />
      <div
        className="heatmap-scroll"
        tabIndex={0}
        role="region"
        aria-label="Heatmap grid, scrolls sideways; the arrow keys move between its cells"
      >
        <table className="heatmap" data-measure={measure}>
          <caption className="visually-hidden">
            Number of {MEASURE_NOUN[measure]} by council (rows) and theme (columns)
          </caption>
          <thead>
            <tr>
              <th scope="col" className="heatmap-corner" aria-sort={ariaSort('council')}>
                {sortButton('council', 'Council', 'name')}
                <span aria-hidden="true"> · </span>
                {sortButton('region', 'Region', 'Region')}
                <span aria-hidden="true"> · </span>
                {sortButton('total', 'Total', `total ${MEASURE_NOUN[measure]}`)}
              </th>
              {matrix.themes.map((theme) => (
                <th
                  key={theme.id}
                  scope="col"
                  className="heatmap-theme"
                  aria-sort={ariaSort(theme.id)}
                >
                  {sortButton(
                    theme.id,
                    <ThemeName label={theme.label} themeId={theme.id} weak={weak} />,
                    weak.has(theme.id) ? `${theme.label} (low precision)` : theme.label,
                  )}
                </th>
              ))}
            </tr>
          </thead>
          <tbody ref={roving}>
            {matrix.councils.map((council, row) => (
              <tr key={council.name}>
                <th scope="row" className="heatmap-council">
                  <CouncilLink name={council.name} params={params} />
                  <span className="heatmap-council-total">{council.total}</span>
                </th>
                {matrix.themes.map((theme, col) => {
                  const cell = matrix.cells.get(`${council.name}\u0000${theme.id}`);
                  const count = cell?.[field] ?? 0;
                  const step = heatStep(measure, count, matrix.max);
                  return (
                    <td key={theme.id}>
                      <button
                        type="button"
                        className="heatmap-cell"
                        style={{ background: step.background, color: step.color }}
                        data-council={council.name}
                        data-theme={theme.id}
                        data-count={count}
                        {...rovingMark(row, col)}
                        aria-label={`${council.name}, ${theme.label}: ${cell?.weakness_findings ?? 0} weakness and ${cell?.strength_findings ?? 0} strength findings in ${council.letters} ${council.letters === 1 ? 'letter' : 'letters'}. Open evidence.`}
                        onClick={() => openEvidence(council.name, theme.id)}
                      >
                        {count}
                      </button>
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </ChartWithTable>
  );
}

function Legend({ measure, max }: { measure: HeatmapMeasure; max: number }) {
  return (
    <div
      className="heat-legend"
      aria-label={`Colour key for ${MEASURE_NOUN[measure]}`}
      role="group"
    >
      <span className="heat-legend-title">{MEASURE_NOUN[measure]}:</span>
      {heatLegend(measure, max).map((step) => (
        <span
          key={step.label}
          className="heat-legend-step"
          style={{ background: step.background, color: step.color }}
        >
          {step.label}
        </span>
      ))}
    </div>
  );
}
