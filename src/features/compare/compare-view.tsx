import { useMemo } from 'react';
import { AppLink } from '@/app/app-link';
import { CouncilLink } from '@/app/council-link';
import { hrefFor, navigate, navigateWith, useSearchParams, viewParams } from '@/app/url-state';
import { useFilterChangePrefetch, useViewFilters, viewQuery } from '@/app/view-filters';
import { ThemeName, WeakThemesNote } from '@/app/weak-themes';
import { ChartWithTable } from '@/lib/chart-with-table';
import type { TableColumn } from '@/lib/csv';
import { formatCount, formatPercent } from '@/lib/format';
import { shareWords } from '@/lib/share-words';
import { HorizontalCountChart } from '@/lib/horizontal-count-chart';
import { QueryState } from '@/lib/query-state';
import { markedLabel, useWeakThemes } from '@/lib/theme-quality';
import {
  COMPARE_GROUP_KINDS,
  parseCouncilList,
  type CompareGroupKind,
  type CompareGroupRow,
  type CompareMeasure,
  type CompareParams,
  type CompareShareRow,
  type CouncilChoiceRow,
} from './compare-sql';
import {
  useCompare,
  useCouncilChoices,
  type CompareData,
  councilChoicesQueryOptions,
  compareQueryOptions,
} from './compare-queries';
import { CouncilPicker } from './council-picker';
import './compare.css';

/** The label of the statistical-neighbours group wherever it is shown. */
export const NEIGHBOURS_LABEL = 'Statistical neighbours (DfE 2021 model, a proxy)';

/** Below this many letters a group's shares are flagged as resting on few inspections. */
export const FEW_LETTERS = 3;

// Distinct hues with at least 3:1 contrast on white, one per comparison group.
const GROUP_COLORS: Record<CompareGroupKind, string> = {
  council: '#1d70b8',
  region: '#4c2c92',
  neighbours: '#85540b',
  england: '#505a5f',
};

const MEASURE_NOUN: Record<CompareMeasure, string> = {
  weakness: 'weaknesses',
  strength: 'strengths',
};

/** The display name of a comparison group. */
export function groupLabel(group: Pick<CompareGroupRow, 'group_kind' | 'group_name'>): string {
  switch (group.group_kind) {
    case 'council':
      return group.group_name ?? 'This council';
    case 'region':
      return `Region: ${group.group_name ?? 'unknown'}`;
    case 'neighbours':
      return NEIGHBOURS_LABEL;
    case 'england':
      return 'England (all letters held)';
  }
}

function plural(n: number, one: string, many: string): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** Compare councils: up to five councils, each against its region, neighbours and England. */
export function CompareView() {
  const filters = useViewFilters();
  const params = useSearchParams();
  const councilsParam = params.get('councils');
  const councils = useMemo(() => parseCouncilList(councilsParam), [councilsParam]);
  const measure: CompareMeasure = params.get('measure') === 'strength' ? 'strength' : 'weakness';
  const compareParams = useMemo<CompareParams>(() => ({ filters, councils }), [filters, councils]);
  const choices = useCouncilChoices(filters);
  const compare = useCompare(compareParams);
  useFilterChangePrefetch((next) => [
    viewQuery(councilChoicesQueryOptions(next)),
    viewQuery(compareQueryOptions({ filters: next, councils })),
  ]);
  const setCouncils = (next: number[]) => navigateWith({ councils: next.join(',') || undefined });
  return (
    <div className="view compare">
      <QueryState query={choices} label="the list of councils">
        {(rows) => (
          <div className="pickers compare-pickers">
            <CouncilPicker choices={rows} selected={councils} onChange={setCouncils} />
            <MeasureSwitch measure={measure} />
          </div>
        )}
      </QueryState>
      {councils.length === 0 ? (
        <ChooseCouncilsPrompt choices={choices.data ?? []} onChoose={setCouncils} />
      ) : (
        <QueryState
          query={compare}
          label="the comparison"
          isEmpty={(data) => data.groups.length === 0}
          empty={
            <p>
              None of the council numbers in this link ({councils.join(', ')}) is a council in the
              2009-12 list. Choose councils with the box above.
            </p>
          }
        >
          {(data) => <CompareResults data={data} councils={councils} measure={measure} />}
        </QueryState>
      )}
    </div>
  );
}

function MeasureSwitch({ measure }: { measure: CompareMeasure }) {
  return (
    <div className="filter">
      <span className="compare-filter-label" id="compare-measure-label">
        Compare
      </span>
      <div className="segmented" role="group" aria-labelledby="compare-measure-label">
        {(['weakness', 'strength'] as const).map((m) => (
          <button
            key={m}
            type="button"
            aria-pressed={measure === m}
            onClick={() => navigateWith({ measure: m === 'weakness' ? undefined : m })}
          >
            {m === 'weakness' ? 'Weaknesses' : 'Strengths'}
          </button>
        ))}
      </div>
    </div>
  );
}

function ChooseCouncilsPrompt({
  choices,
  onChoose,
}: {
  choices: readonly CouncilChoiceRow[];
  onChoose: (next: number[]) => void;
}) {
  const withLetters = choices.filter((c) => c.letters > 0).slice(0, 10);
  return (
    <div className="state state-empty" role="status">
      <p>
        Choose up to five councils above. Each is shown against its region, its statistical
        neighbours and England.
      </p>
      {withLetters.length > 0 && (
        <>
          <p>Councils with letters held:</p>
          <ul className="compare-chips">
            {withLetters.map((c) => (
              <li key={c.dfe_la_code}>
                <button
                  type="button"
                  className="button button-secondary"
                  onClick={() => onChoose([c.dfe_la_code])}
                >
                  Compare {c.council_name}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

function CompareResults({
  data,
  councils,
  measure,
}: {
  data: CompareData;
  councils: readonly number[];
  measure: CompareMeasure;
}) {
  const known = new Set(data.groups.map((g) => g.council_dfe));
  const unknown = councils.filter((c) => !known.has(c));
  const orders = [...new Set(data.groups.map((g) => g.council_order))];
  return (
    <>
      {unknown.length > 0 && (
        <p className="state state-empty" role="status">
          No council in the 2009-12 list has the DfE number {unknown.join(', ')}; left out.
        </p>
      )}
      {orders.length > 1 && <SideBySidePanel data={data} measure={measure} />}
      {orders.map((order) => (
        <CouncilComparePanel
          key={order}
          groups={data.groups.filter((g) => g.council_order === order)}
          shares={data.shares.filter((s) => s.council_order === order && s.measure === measure)}
          measure={measure}
        />
      ))}
    </>
  );
}

// One hue per chosen council (3:1 on white at least), England in grey after them.
const COUNCIL_COLORS = ['#1d70b8', '#4c2c92', '#85540b', '#00703c', '#912b88'];

/** One theme across the chosen councils: `c<order>_with` / `c<order>_share`, and England's. */
export interface SideBySideRow {
  theme_id: string;
  theme_label: string;
  [column: string]: string | number | null;
}

/** The chosen councils next to each other, theme by theme, with England for reference. */
function SideBySidePanel({ data, measure }: { data: CompareData; measure: CompareMeasure }) {
  const params = useSearchParams();
  const weak = useWeakThemes();
  const councilsShown = data.groups.filter((g) => g.group_kind === 'council');
  const england = data.groups.find((g) => g.group_kind === 'england');
  const rows = useMemo(() => {
    const byTheme = new Map<string, SideBySideRow>();
    for (const s of data.shares) {
      if (s.measure !== measure) continue;
      const isEngland = s.group_kind === 'england' && s.council_order === 1;
      if (s.group_kind !== 'council' && !isEngland) continue;
      const key = isEngland ? 'england' : `c${s.council_order}`;
      const row = byTheme.get(s.theme_id) ?? { theme_id: s.theme_id, theme_label: s.theme_label };
      row[`${key}_with`] = s.letters_with_theme;
      row[`${key}_share`] = s.share;
      byTheme.set(s.theme_id, row);
    }
    const any = (r: SideBySideRow) =>
      councilsShown.some((c) => Number(r[`c${c.council_order}_with`] ?? 0) > 0);
    return [...byTheme.values()].sort(
      (a, b) =>
        Number(any(b)) - Number(any(a)) ||
        Number(b.england_share ?? -1) - Number(a.england_share ?? -1) ||
        a.theme_label.localeCompare(b.theme_label),
    );
  }, [data.shares, measure, councilsShown]);
  const series = [
    ...councilsShown.map((c, i) => ({
      key: `c${c.council_order}`,
      name: c.council_name,
      n: c.letters,
      color: COUNCIL_COLORS[i % COUNCIL_COLORS.length]!,
      council: c.council_name as string | undefined,
    })),
    {
      key: 'england',
      name: 'England (all letters held)',
      n: england?.letters ?? 0,
      color: GROUP_COLORS.england,
      council: undefined,
    },
  ];
  const drawn = series.filter((s) => s.n > 0);
  const chartRows = rows.filter((r) => drawn.some((s) => Number(r[`${s.key}_with`] ?? 0) > 0));
  const columns: TableColumn<SideBySideRow>[] = [
    {
      key: 'theme_label',
      label: 'Theme',
      render: (row) => <ThemeName label={row.theme_label} themeId={row.theme_id} weak={weak} />,
    },
    ...series.flatMap((s): TableColumn<SideBySideRow>[] => [
      {
        key: `${s.key}_with`,
        label: `${s.name}: inspections raising it (of ${s.n})`,
        numeric: true,
      },
      {
        key: `${s.key}_share`,
        label: `${s.name}: share`,
        numeric: true,
        format: (v) => (s.n === 0 ? 'no letters' : formatPercent(v as number | null)),
      },
    ]),
  ];
  const evidenceFor = (council: string | undefined, themeId: string) =>
    viewParams('evidence', params, {
      theme: themeId,
      section: measure,
      council,
      region: undefined,
      la_type: undefined,
    });
  return (
    <ChartWithTable
      title={`The chosen councils side by side: ${MEASURE_NOUN[measure]}`}
      description={
        <>
          Share of each council&rsquo;s own inspections with at least one finding on the theme as{' '}
          {measure === 'weakness' ? 'a weakness' : 'a strength'}, England for reference:{' '}
          {series.map((s, i) => (
            <span key={s.key}>
              {i > 0 && '; '}
              {s.name} n = {s.n}
            </span>
          ))}
          . Each council against its own region and neighbours follows below.
        </>
      }
      rows={rows}
      columns={columns}
      fileName={`compare-side-by-side-${measure}`}
      id="compare-side-by-side"
      note={
        <WeakThemesNote
          themes={rows.map((r) => ({ theme_id: r.theme_id, label: r.theme_label }))}
          weak={weak}
        />
      }
    >
      {chartRows.length === 0 ? (
        <p className="state state-empty" role="status">
          No {MEASURE_NOUN[measure]} are recorded for these councils under the current filters.
        </p>
      ) : (
        <HorizontalCountChart
          rows={chartRows}
          categoryKey="theme_label"
          category={(row) => markedLabel(row.theme_label, row.theme_id, weak)}
          scale="share"
          barSize={10}
          label={`Share of each chosen council’s inspections raising each theme as ${measure === 'weakness' ? 'a weakness' : 'a strength'}, with England for reference; the table view lists the figures.`}
          series={drawn.map((s) => ({
            key: `${s.key}_share`,
            name: `${s.name} (n = ${s.n})`,
            color: s.color,
            describe: (row: SideBySideRow) =>
              shareWords(Number(row[`${s.key}_with`] ?? 0), s.n, 'inspection', 'inspections'),
            onSelect: (row: SideBySideRow) =>
              navigate(hrefFor(evidenceFor(s.council, row.theme_id))),
          }))}
        />
      )}
    </ChartWithTable>
  );
}

/** One theme of one chosen council: each comparison group's count and share side by side. */
export interface CompareThemeRow {
  theme_id: string;
  theme_label: string;
  council_with: number;
  council_share: number | null;
  region_with: number;
  region_share: number | null;
  neighbours_with: number;
  neighbours_share: number | null;
  england_with: number;
  england_share: number | null;
}

/** Turns one council's long share rows (group × theme) into one row per theme. */
export function toThemeRows(shares: readonly CompareShareRow[]): CompareThemeRow[] {
  const byTheme = new Map<string, CompareThemeRow>();
  for (const s of shares) {
    const row = byTheme.get(s.theme_id) ?? {
      theme_id: s.theme_id,
      theme_label: s.theme_label,
      council_with: 0,
      council_share: null,
      region_with: 0,
      region_share: null,
      neighbours_with: 0,
      neighbours_share: null,
      england_with: 0,
      england_share: null,
    };
    row[`${s.group_kind}_with`] = s.letters_with_theme;
    row[`${s.group_kind}_share`] = s.share;
    byTheme.set(s.theme_id, row);
  }
  return [...byTheme.values()].sort(
    (a, b) =>
      (b.council_share ?? -1) - (a.council_share ?? -1) ||
      (b.england_share ?? -1) - (a.england_share ?? -1) ||
      a.theme_label.localeCompare(b.theme_label),
  );
}

function CouncilComparePanel({
  groups,
  shares,
  measure,
}: {
  groups: readonly CompareGroupRow[];
  shares: readonly CompareShareRow[];
  measure: CompareMeasure;
}) {
  const params = useSearchParams();
  const weak = useWeakThemes();
  const council = groups[0]!;
  const rows = useMemo(() => toThemeRows(shares), [shares]);
  const group = (kind: CompareGroupKind) => groups.find((g) => g.group_kind === kind);
  const drawn = COMPARE_GROUP_KINDS.filter((kind) => (group(kind)?.letters ?? 0) > 0);
  const chartRows = rows.filter((r) => drawn.some((kind) => (r[`${kind}_with`] ?? 0) > 0));

  const evidenceParams = (kind: CompareGroupKind, themeId: string) => {
    const base = { theme: themeId, section: measure, region: undefined, la_type: undefined };
    if (kind === 'council')
      return viewParams('evidence', params, { ...base, council: council.council_name });
    if (kind === 'region')
      return viewParams('evidence', params, {
        ...base,
        region: group('region')?.group_name ?? undefined,
      });
    if (kind === 'england') return viewParams('evidence', params, base);
    return null;
  };

  const shareColumn = (kind: CompareGroupKind): TableColumn<CompareThemeRow>[] => {
    const g = group(kind);
    const name =
      kind === 'council'
        ? council.council_name
        : groupLabel({ group_kind: kind, group_name: g?.group_name ?? null });
    const n = g?.letters ?? 0;
    return [
      {
        key: `${kind}_with`,
        label: `${name}: inspections raising it (of ${n})`,
        numeric: true,
      },
      {
        key: `${kind}_share`,
        label: `${name}: share`,
        numeric: true,
        format: (v) => (n === 0 ? 'no letters' : formatPercent(v as number | null)),
      },
    ];
  };
  const columns: TableColumn<CompareThemeRow>[] = [
    {
      key: 'theme_label',
      label: 'Theme',
      render: (row) => <ThemeName label={row.theme_label} themeId={row.theme_id} weak={weak} />,
    },
    ...COMPARE_GROUP_KINDS.flatMap(shareColumn),
    {
      key: 'theme_id',
      label: 'Evidence',
      render: (row) => {
        const links = (['council', 'region', 'england'] as const).filter(
          (kind) => row[`${kind}_with`] > 0,
        );
        if (links.length === 0) return '–';
        return (
          <span className="compare-evidence-links">
            {links.map((kind) => (
              <AppLink key={kind} params={evidenceParams(kind, row.theme_id)!}>
                {kind === 'council'
                  ? council.council_name
                  : kind === 'region'
                    ? 'Region'
                    : 'England'}
                <span className="visually-hidden">: findings on {row.theme_label}</span>
              </AppLink>
            ))}
          </span>
        );
      },
    },
  ];

  return (
    <ChartWithTable
      title={`${council.council_name}: ${MEASURE_NOUN[measure]} against its comparison groups`}
      description={
        <>
          Share of each group&rsquo;s inspections with at least one finding on the theme as{' '}
          {measure === 'weakness'
            ? 'a weakness (area for development or priority action)'
            : 'a strength'}
          . The region and England include {council.council_name} itself; the neighbours come from
          the DfE&rsquo;s April 2021 model, a proxy for 2009-12. Select a bar to read its findings.
        </>
      }
      rows={rows}
      columns={columns}
      fileName={`compare-${council.council_name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${measure}`}
      id={`compare-${council.council_name}`}
      note={
        <WeakThemesNote
          themes={rows.map((r) => ({ theme_id: r.theme_id, label: r.theme_label }))}
          weak={weak}
        />
      }
    >
      <GroupSizes groups={groups} />
      {chartRows.length === 0 ? (
        <p className="state state-empty" role="status">
          No {MEASURE_NOUN[measure]} are recorded for {council.council_name} or its comparison
          groups under the current filters.
        </p>
      ) : (
        <HorizontalCountChart
          rows={chartRows}
          categoryKey="theme_label"
          category={(row) => markedLabel(row.theme_label, row.theme_id, weak)}
          scale="share"
          barSize={10}
          legend={false}
          label={`${council.council_name}: share of inspections raising each theme as ${measure === 'weakness' ? 'a weakness' : 'a strength'}, against its region, its statistical neighbours and England; the table view lists the figures.`}
          series={drawn.map((kind) => {
            const g = group(kind)!;
            return {
              key: `${kind}_share` as const,
              name: `${kind === 'council' ? council.council_name : groupLabel(g)} (n = ${g.letters})`,
              color: GROUP_COLORS[kind],
              describe: (row: CompareThemeRow) =>
                shareWords(row[`${kind}_with`] ?? 0, g.letters, 'inspection', 'inspections'),
              // The evidence view has no filter for a council's neighbours: their bars open nothing.
              onSelect:
                kind === 'neighbours'
                  ? undefined
                  : (row: CompareThemeRow) =>
                      navigate(hrefFor(evidenceParams(kind, row.theme_id)!)),
            };
          })}
        />
      )}
    </ChartWithTable>
  );
}

/** How many letters each comparison group holds (the n behind its shares), with warnings. */
function GroupSizes({ groups }: { groups: readonly CompareGroupRow[] }) {
  const params = useSearchParams();
  return (
    <ul className="compare-groups" aria-label="Letters behind each comparison group">
      {groups.map((g) => {
        const few = g.letters > 0 && g.letters < FEW_LETTERS;
        const members =
          g.group_kind === 'council'
            ? ''
            : `, from ${plural(g.councils_with_letters, 'council', 'councils')} of ${formatCount(g.councils_in_group)}`;
        return (
          <li
            key={g.group_kind}
            className={`compare-group compare-group-${g.group_kind}`}
            data-testid={`compare-n-${g.council_dfe}-${g.group_kind}`}
            data-value={g.letters}
          >
            <span
              className="compare-swatch"
              style={{ background: GROUP_COLORS[g.group_kind] }}
              aria-hidden="true"
            />
            <span className="compare-group-name">
              {g.group_kind === 'council' ? (
                <CouncilLink name={g.council_name} params={params} />
              ) : (
                groupLabel(g)
              )}
            </span>
            <span className="compare-group-n">
              n = {plural(g.letters, 'inspection', 'inspections')}
              {members}
            </span>
            {g.letters === 0 ? (
              <span className="compare-warning">No letters held: nothing to compare</span>
            ) : few ? (
              <span className="compare-caution">Few letters: shares swing widely</span>
            ) : null}
            {g.group_kind === 'neighbours' && g.councils_known < g.councils_in_group && (
              <span className="compare-note">
                {formatCount(g.councils_in_group - g.councils_known)} of the neighbours did not
                exist in 2009-12
              </span>
            )}
            {g.group_kind === 'neighbours' && g.council_names_with_letters.length > 0 && (
              <span className="compare-note">
                With letters:{' '}
                {g.council_names_with_letters.map((name, i) => (
                  <span key={name}>
                    {i > 0 && ', '}
                    <AppLink
                      params={viewParams('evidence', params, {
                        council: name,
                        region: undefined,
                        la_type: undefined,
                      })}
                    >
                      {name}
                    </AppLink>
                  </span>
                ))}
              </span>
            )}
          </li>
        );
      })}
    </ul>
  );
}
