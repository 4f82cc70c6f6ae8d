import { useState } from 'react';
import { AppLink } from '@/app/app-link';
import { hrefFor, navigate, useSearchParams, viewParams } from '@/app/url-state';
import { useFilterChangePrefetch, useViewFilters, viewQuery } from '@/app/view-filters';
import { ThemeName, WeakThemesNote } from '@/app/weak-themes';
import { BarChart } from '@/lib/bar-chart';
import { ChartWithTable } from '@/lib/chart-with-table';
import { COLORS } from '@/lib/colors';
import type { TableColumn } from '@/lib/csv';
import { DataTable } from '@/lib/data-table';
import { formatCount, formatDate, formatPercent } from '@/lib/format';
import { shareWords } from '@/lib/share-words';
import { usePrecomputedLoaded } from '@/lib/precomputed';
import { usePaintMark } from '@/lib/paint-mark';
import { PanelHead } from '@/lib/panel-head';
import { noRows, QueryState } from '@/lib/query-state';
import { markedLabel, useWeakThemes } from '@/lib/theme-quality';
import type {
  CoverageByRegionRow,
  CoverageRow,
  OverviewSummaryRow,
  PriorityByYearRow,
  WeaknessThemeRow,
} from './overview-sql';
import {
  useCoverage,
  useCoverageByRegion,
  useOverviewSummary,
  usePriorityByYear,
  useWeaknessThemes,
  overviewQueryOptions,
} from './overview-queries';

const percentTick = (value: number) => formatPercent(value);

/** The overview: headline figures, weaknesses by theme, priority actions and council coverage. */
export function OverviewView() {
  // Re-renders when the build's precomputed answers arrive (a few KB requested at start-up,
  // usually before this view's code): the unfiltered overview paints from them at once.
  usePrecomputedLoaded();
  const filters = useViewFilters();
  useFilterChangePrefetch((next) => [viewQuery(overviewQueryOptions(next))]);
  const summary = useOverviewSummary(filters);
  const themes = useWeaknessThemes(filters);
  const priority = usePriorityByYear(filters);
  const byRegion = useCoverageByRegion(filters);
  const coverage = useCoverage(filters);
  return (
    <div className="view overview">
      <QueryState query={summary} label="headline figures">
        {(row) => <SummaryStats summary={row} />}
      </QueryState>
      <QueryState
        query={themes}
        label="themes raised as weaknesses"
        isEmpty={(rows) => rows.every((r) => r.letters_total === 0)}
      >
        {(rows) => <WeaknessThemesPanel rows={rows} />}
      </QueryState>
      <div className="grid-2">
        <QueryState query={priority} label="priority actions by year" isEmpty={noRows}>
          {(rows) => <PriorityByYearPanel rows={rows} />}
        </QueryState>
        <QueryState query={byRegion} label="coverage by region" isEmpty={noRows}>
          {(rows) => <CoverageByRegionPanel rows={rows} />}
        </QueryState>
      </div>
      <QueryState query={coverage} label="councils" isEmpty={noRows}>
        {(rows) => <CoverageList rows={rows} />}
      </QueryState>
    </div>
  );
}

/** The headline figures as a row of labelled numbers. */
export function SummaryStats({ summary }: { summary: OverviewSummaryRow }) {
  const years = summary.reporting_years;
  const yearText =
    years.length === 0 ? 'none' : years.length === 1 ? years[0] : `${years[0]} to ${years.at(-1)}`;
  return (
    <dl className="stats" aria-label="Headline figures">
      <div className="stat">
        <dt>Letters</dt>
        <dd data-testid="stat-letters" data-value={summary.letters}>
          {formatCount(summary.letters)}
        </dd>
        <dd className="stat-note">{formatCount(summary.findings)} findings</dd>
      </div>
      <div className="stat">
        <dt>Councils covered</dt>
        <dd data-testid="stat-councils" data-value={summary.councils_covered}>
          {formatCount(summary.councils_covered)}{' '}
          <span className="stat-of">of {formatCount(summary.councils_total)}</span>
        </dd>
        <dd className="stat-note">
          {formatPercent(
            summary.councils_total ? summary.councils_covered / summary.councils_total : null,
          )}{' '}
          of councils in scope
        </dd>
      </div>
      <div className="stat">
        <dt>Reporting years</dt>
        <dd data-testid="stat-years" data-value={years.join(',')}>
          {yearText}
        </dd>
        <dd className="stat-note">April to March</dd>
      </div>
      <div className="stat">
        <dt>Inspections with priority actions</dt>
        <dd data-testid="stat-priority" data-value={summary.priority_share ?? ''}>
          {formatPercent(summary.priority_share)}
        </dd>
        <dd className="stat-note">
          {formatCount(summary.letters_with_priority)} of {formatCount(summary.letters)}
        </dd>
      </div>
    </dl>
  );
}

/** Themes by the share of inspections that raised them as a weakness; a bar opens its evidence. */
export function WeaknessThemesPanel({ rows }: { rows: readonly WeaknessThemeRow[] }) {
  // The page's first chart: the benchmark times navigation to this mark.
  usePaintMark('first-chart');
  const params = useSearchParams();
  const weak = useWeakThemes();
  const evidenceParams = (row: WeaknessThemeRow) =>
    viewParams('evidence', params, { theme: row.theme_id, section: 'weakness' });
  const columns: TableColumn<WeaknessThemeRow>[] = [
    {
      key: 'label',
      label: 'Theme',
      render: (row) => <ThemeName label={row.label} themeId={row.theme_id} weak={weak} />,
    },
    { key: 'group_label', label: 'Group' },
    { key: 'letters_with_theme', label: 'Inspections raising it', numeric: true },
    { key: 'letters_with_priority_theme', label: 'of which as priority action', numeric: true },
    { key: 'letters_total', label: 'Inspections', numeric: true },
    {
      key: 'share',
      label: 'Share',
      numeric: true,
      format: (v) => formatPercent(v as number),
    },
    {
      key: 'theme_id',
      label: 'Evidence',
      render: (row) =>
        row.letters_with_theme > 0 ? (
          <AppLink params={evidenceParams(row)}>Findings for {row.label}</AppLink>
        ) : (
          '–'
        ),
    },
  ];
  return (
    <ChartWithTable
      title="Themes most often raised as weaknesses"
      description="Share of inspections with at least one finding on the theme under areas for development or priority action. Select a bar, or use the table, to read the findings."
      rows={rows}
      columns={columns}
      fileName="weakness-themes"
      note={<WeakThemesNote themes={rows} weak={weak} />}
    >
      <BarChart
        rows={rows}
        layout="horizontal"
        label="Themes by the share of inspections raising them as a weakness; the table view lists the figures."
        category={(row) => markedLabel(row.label, row.theme_id, weak)}
        series={[{ key: 'share', label: 'Share of inspections', color: COLORS.weakness }]}
        max={1}
        formatTick={percentTick}
        formatValue={(row) => formatPercent(row.share)}
        describe={(row) =>
          `${markedLabel(row.label, row.theme_id, weak)}: ${shareWords(row.letters_with_theme, row.letters_total, 'inspection', 'inspections')}`
        }
        onSelect={(row) => navigate(hrefFor(evidenceParams(row)))}
        labelWidth={250}
      />
    </ChartWithTable>
  );
}

/** The share of inspections with priority actions in each reporting year. */
export function PriorityByYearPanel({ rows }: { rows: readonly PriorityByYearRow[] }) {
  const columns: TableColumn<PriorityByYearRow>[] = [
    { key: 'reporting_year', label: 'Reporting year' },
    { key: 'letters', label: 'Inspections', numeric: true },
    { key: 'letters_with_priority', label: 'With priority actions', numeric: true },
    { key: 'share', label: 'Share', numeric: true, format: (v) => formatPercent(v as number) },
  ];
  return (
    <ChartWithTable
      title="Inspections with priority actions"
      description="Share of inspections in each reporting year that named at least one area for priority action."
      rows={rows}
      columns={columns}
      fileName="priority-actions-by-year"
    >
      <BarChart
        rows={rows}
        layout="vertical"
        label="Share of inspections with priority actions by reporting year; the table view lists the figures."
        category={(row) => row.reporting_year}
        series={[{ key: 'share', label: 'Share with priority actions', color: COLORS.priority }]}
        max={1}
        formatTick={percentTick}
        formatValue={(row) => formatPercent(row.share)}
        describe={(row) =>
          `${row.reporting_year}: ${shareWords(row.letters_with_priority, row.letters, 'inspection', 'inspections')}`
        }
        height={200}
      />
    </ChartWithTable>
  );
}

/** Councils with and without a letter in each region. */
export function CoverageByRegionPanel({ rows }: { rows: readonly CoverageByRegionRow[] }) {
  const columns: TableColumn<CoverageByRegionRow>[] = [
    { key: 'region', label: 'Region' },
    { key: 'councils', label: 'Councils', numeric: true },
    { key: 'covered', label: 'With a letter', numeric: true },
    { key: 'not_covered', label: 'Without', numeric: true },
  ];
  return (
    <ChartWithTable
      title="Coverage by region"
      description="Councils with at least one letter among those held, out of all councils in the region."
      rows={rows}
      columns={columns}
      fileName="coverage-by-region"
    >
      <BarChart
        rows={rows}
        layout="horizontal"
        label="Councils with and without a letter in each region; the table view lists the figures."
        category={(row) => row.region}
        series={[
          { key: 'covered', label: 'With a letter', color: COLORS.brand },
          { key: 'not_covered', label: 'Without', color: '#767676' },
        ]}
        describe={(row) =>
          `${row.region}: ${row.covered} of ${row.councils} councils with a letter`
        }
        labelWidth={170}
      />
    </ChartWithTable>
  );
}

/** Every council in scope, whether a letter is held for it, and its latest inspection. */
export function CoverageList({ rows }: { rows: readonly CoverageRow[] }) {
  const [open, setOpen] = useState(false);
  const params = useSearchParams();
  const covered = rows.filter((r) => r.letters > 0).length;
  const columns: TableColumn<CoverageRow>[] = [
    {
      key: 'council_name',
      label: 'Council',
      render: (row) =>
        row.letters > 0 ? (
          <AppLink params={viewParams('evidence', params, { council: row.council_name })}>
            {row.council_name}
          </AppLink>
        ) : (
          row.council_name
        ),
    },
    { key: 'region', label: 'Region' },
    { key: 'la_type', label: 'Type' },
    { key: 'letters', label: 'Letters', numeric: true },
    {
      key: 'latest_inspection',
      label: 'Latest inspection',
      format: (v) => formatDate(v as string | null),
    },
  ];
  return (
    <section className="panel" aria-labelledby="coverage-heading">
      <PanelHead fileName="council-coverage" rows={rows} columns={columns}>
        <div>
          <h2 id="coverage-heading">Coverage of the {rows.length} councils</h2>
          <p className="panel-description">
            {covered} of {rows.length} councils in scope have a letter in this data set; the rest
            were inspected too, but their letters are not held here.
          </p>
        </div>
      </PanelHead>
      {/* The 152-row table is built only once opened: every filter change would re-render it. */}
      <details onToggle={(event) => setOpen(event.currentTarget.open)}>
        <summary>Show all {rows.length} councils</summary>
        {open && (
          <DataTable caption="Councils and the letters held" rows={rows} columns={columns} />
        )}
      </details>
    </section>
  );
}
