import { useId, useMemo } from 'react';
import { AppLink } from '@/app/app-link';
import { CouncilCombobox } from '@/app/council-combobox';
import { hrefFor, navigate, useSearchParams, viewParams } from '@/app/url-state';
import { useFilterChangePrefetch, useViewFilters, viewQuery } from '@/app/view-filters';
import { ThemeName, WeakThemesNote } from '@/app/weak-themes';
import { CouncilLink, councilParams, councilSlug, rankingParams } from '@/app/council-link';
import {
  themeRankingQueryOptions,
  useThemeRanking,
  useWeaknessQuotes,
  weaknessQuotesQueryOptions,
} from '@/app/council-ranking-queries';
import {
  FEW_LETTERS,
  INTERVAL_NOTE,
  intervalOf,
  RANK_RULE,
  type Quartile,
  type RankedCouncil,
  type WeaknessQuoteRow,
} from '@/app/council-ranking-sql';
import {
  IntervalChart,
  IntervalLegend,
  type IntervalMark,
  type MarkShape,
} from '@/app/interval-chart';
import { QUOTE_COLUMNS, QuoteList, quoteCsvRows } from '@/app/quote-list';
import { ChartWithTable } from '@/lib/chart-with-table';
import type { TableColumn } from '@/lib/csv';
import { DataTable } from '@/lib/data-table';
import type { Filters } from '@/lib/filters';
import { formatCount, formatDate, formatPercent } from '@/lib/format';
import { PanelHead } from '@/lib/panel-head';
import { QueryState } from '@/lib/query-state';
import { useWeakThemes, type WeakThemes } from '@/lib/theme-quality';
import {
  councilChoicesQueryOptions,
  councilInspectionsQueryOptions,
  councilRatesQueryOptions,
  councilRecurrenceQueryOptions,
  useCouncilChoices,
  useCouncilInspections,
  useCouncilRates,
  useCouncilRecurrence,
  type CouncilRatesData,
} from './council-queries';
import {
  COUNCIL_GROUP_KINDS,
  findCouncil,
  type CouncilChoiceRow,
  type CouncilGroupKind,
  type CouncilGroupRow,
  type CouncilInspectionRow,
  type CouncilParams,
  type CouncilRateRow,
  type CouncilRecurrenceRow,
} from './council-sql';
import './council.css';

/** The statistical neighbours' name wherever the profile shows it. */
export const NEIGHBOURS_LABEL = 'Statistical neighbours (DfE 2021 model, a proxy)';

/** How many matches the council picker lists at once; typing narrows it. */
const COUNCILS_LISTED = 60;

/** Each comparison group's colour (at least 3:1 on white) and shape, as in Compare councils. */
const GROUP_STYLE: Record<CouncilGroupKind, { color: string; shape: MarkShape }> = {
  council: { color: '#1d70b8', shape: 'circle' },
  neighbours: { color: '#85540b', shape: 'square' },
  region: { color: '#4c2c92', shape: 'diamond' },
  england: { color: '#505a5f', shape: 'bar' },
};

function plural(n: number, one: string, many: string): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** A comparison group's name: the council's, "Region: …", the neighbours' or England. */
export function groupLabel(group: Pick<CouncilGroupRow, 'group_kind' | 'group_name'>): string {
  switch (group.group_kind) {
    case 'council':
      return group.group_name ?? 'This council';
    case 'neighbours':
      return NEIGHBOURS_LABEL;
    case 'region':
      return `Region: ${group.group_name ?? 'unknown'}`;
    case 'england':
      return 'England (all letters held)';
  }
}

/** The queries of one council's profile, for the filter bar to start ahead of a change. */
function profileQueries(params: CouncilParams) {
  return [
    viewQuery(councilInspectionsQueryOptions(params)),
    viewQuery(councilRatesQueryOptions(params)),
    viewQuery(themeRankingQueryOptions({ filters: params.filters, councilKey: params.council })),
    viewQuery(councilRecurrenceQueryOptions(params)),
    viewQuery(weaknessQuotesQueryOptions(params)),
  ];
}

/** Council profile: one council's inspections, weaknesses against its groups, recurrence, quotes. */
export function CouncilView() {
  const filters = useViewFilters();
  const params = useSearchParams();
  const wanted = params.get('council');
  const choices = useCouncilChoices(filters);
  const council = choices.data ? findCouncil(choices.data, wanted) : undefined;
  const key = council?.council_key;
  useFilterChangePrefetch((next) => [
    viewQuery(councilChoicesQueryOptions(next)),
    ...(key ? profileQueries({ filters: next, council: key }) : []),
  ]);
  const open = (choice: CouncilChoiceRow) =>
    navigate(hrefFor(councilParams(choice.council_name, params)));
  return (
    <div className="view council">
      <QueryState query={choices} label="the list of councils">
        {(rows) => (
          <>
            <div className="pickers council-pickers">
              <CouncilCombobox
                className="council-search"
                choices={rows}
                keyOf={(c) => c.council_key}
                leftOut={(c) => c.council_key === council?.council_key}
                onChoose={open}
                label={council ? 'Open another council' : 'Choose a council'}
                hint="Type to narrow the list, use the arrow keys to move and Enter to open the council."
                limit={COUNCILS_LISTED}
                optionData={(c) => ({ 'data-council-key': c.council_key })}
              />
            </div>
            {!wanted ? (
              <ChooseCouncilPrompt choices={rows} params={params} />
            ) : !council ? (
              <div className="state state-empty" role="status">
                <p>
                  No council matches “{wanted}”. Choose one with the box above: it takes a name, and
                  links may give a council&rsquo;s ONS code or DfE number.
                </p>
              </div>
            ) : (
              <CouncilProfile council={council} filters={filters} />
            )}
          </>
        )}
      </QueryState>
    </div>
  );
}

function ChooseCouncilPrompt({
  choices,
  params,
}: {
  choices: readonly CouncilChoiceRow[];
  params: URLSearchParams;
}) {
  const withLetters = choices.filter((c) => c.letters > 0);
  return (
    <div className="state state-empty" role="status">
      <p>
        Choose a council above to see its inspections, the weaknesses its letters raised against its
        statistical neighbours, its region and England, what was raised again at its next
        inspection, and the findings in the letters&rsquo; own words.
      </p>
      {withLetters.length > 0 && (
        <>
          <p>
            {plural(withLetters.length, 'council has', 'councils have')} letters under the current
            filters:
          </p>
          <ul className="council-prompt-list">
            {withLetters.map((c) => (
              <li key={c.council_key}>
                <CouncilLink name={c.council_name} params={params} /> ({c.letters})
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

function CouncilProfile({ council, filters }: { council: CouncilChoiceRow; filters: Filters }) {
  const params = useSearchParams();
  const weak = useWeakThemes();
  const query = useMemo<CouncilParams>(
    () => ({ filters, council: council.council_key }),
    [filters, council.council_key],
  );
  const rankingQuery = useMemo(
    () => ({ filters, councilKey: council.council_key }),
    [filters, council.council_key],
  );
  const inspections = useCouncilInspections(query);
  const rates = useCouncilRates(query);
  const ranking = useThemeRanking(rankingQuery);
  const recurrence = useCouncilRecurrence(query);
  const quotes = useWeaknessQuotes(query);
  const few = council.letters > 0 && council.letters < FEW_LETTERS;
  return (
    <>
      <section className="council-head" aria-labelledby="council-name">
        <h2 id="council-name" data-testid="council-name" data-council-key={council.council_key}>
          {council.council_name}
        </h2>
        <dl className="council-facts">
          <div>
            <dt>Region</dt>
            <dd>{council.region ?? 'not known'}</dd>
          </div>
          <div>
            <dt>Council type</dt>
            <dd>{council.la_type ?? 'not known'}</dd>
          </div>
          <div>
            <dt>ONS code</dt>
            <dd>{council.la_code ?? '–'}</dd>
          </div>
          <div>
            <dt>DfE number</dt>
            <dd>{council.dfe_la_code ?? '–'}</dd>
          </div>
          <div>
            <dt>Letters held (n)</dt>
            <dd data-testid="council-n" data-value={council.letters}>
              {formatCount(council.letters)}
            </dd>
          </div>
        </dl>
        {council.la_code === null && (
          <p className="small-n-note">
            {council.council_name} is not in the 2009-12 list of councils, so it has no region or
            statistical neighbours here: it is compared with England only.
          </p>
        )}
        {council.letters === 0 ? (
          <p className="small-n-note" role="status">
            No letter is held for {council.council_name} under the current filters: it has no rates
            of its own and is not ranked. Its comparison groups are shown below.
          </p>
        ) : few ? (
          <p className="small-n-note" data-testid="council-few">
            Only {plural(council.letters, 'letter is', 'letters are')} held for{' '}
            {council.council_name}, fewer than {FEW_LETTERS}: each of its own rates rests on{' '}
            {council.letters === 1 ? 'one inspection' : 'two inspections'} and swings widely, so its
            figures are greyed below. Read its intervals, not its shares.
          </p>
        ) : null}
      </section>
      <QueryState query={inspections} label="the council’s inspections">
        {(rows) => <InspectionsPanel council={council} rows={rows} params={params} />}
      </QueryState>
      <QueryState query={rates} label="the council’s rates against its groups">
        {(data) => (
          <QueryState query={ranking} label="the council’s ranks">
            {(ranks) => <RatesPanel council={council} data={data} ranks={ranks} weak={weak} />}
          </QueryState>
        )}
      </QueryState>
      <QueryState query={recurrence} label="what recurred between inspections">
        {(rows) => <RecurrencePanel council={council} rows={rows} params={params} weak={weak} />}
      </QueryState>
      <QueryState query={quotes} label="the council’s weaknesses">
        {(rows) => <QuotesPanel council={council} rows={rows} params={params} weak={weak} />}
      </QueryState>
    </>
  );
}

const KIND_LABEL: Record<string, string> = {
  ofsted_letter: 'Ofsted letter',
  council_report: 'Council report (the council’s words)',
};

function kindLabel(kind: string): string {
  return KIND_LABEL[kind] ?? kind;
}

/** The inspections' CSV: each letter with the council's names, codes and region. */
const INSPECTION_CSV_COLUMNS: readonly TableColumn<CouncilInspectionRow>[] = [
  { key: 'council_name', label: 'Council' },
  { key: 'la_code', label: 'ONS code' },
  { key: 'dfe_la_code', label: 'DfE number' },
  { key: 'region', label: 'Region' },
  { key: 'inspection_number', label: 'Inspection', numeric: true },
  { key: 'letter_id', label: 'Letter' },
  { key: 'document_kind', label: 'Document kind' },
  { key: 'inspection_start', label: 'Inspection start' },
  { key: 'inspection_end', label: 'Inspection end' },
  { key: 'letter_date', label: 'Letter date' },
  { key: 'reporting_year', label: 'Reporting year' },
  { key: 'strengths', label: 'Strengths', numeric: true },
  { key: 'satisfactory', label: 'Satisfactory practice', numeric: true },
  { key: 'development', label: 'Areas for development', numeric: true },
  { key: 'priority_action', label: 'Areas for priority action', numeric: true },
  { key: 'findings', label: 'All findings', numeric: true },
  { key: 'source_file', label: 'Source file' },
  { key: 'added', label: 'Added in this browser' },
];

function InspectionsPanel({
  council,
  rows,
  params,
}: {
  council: CouncilChoiceRow;
  rows: readonly CouncilInspectionRow[];
  params: URLSearchParams;
}) {
  const headingId = useId();
  const columns: TableColumn<CouncilInspectionRow>[] = [
    {
      key: 'inspection_start',
      label: 'Inspected',
      render: (row) =>
        row.inspection_end && row.inspection_end !== row.inspection_start
          ? `${formatDate(row.inspection_start)} to ${formatDate(row.inspection_end)}`
          : formatDate(row.inspection_start),
    },
    { key: 'document_kind', label: 'Document', format: (v) => kindLabel(String(v)) },
    { key: 'letter_date', label: 'Dated', format: (v) => formatDate(v as string | null) },
    { key: 'reporting_year', label: 'Reporting year' },
    { key: 'strengths', label: 'Strengths', numeric: true },
    { key: 'satisfactory', label: 'Satisfactory practice', numeric: true },
    { key: 'development', label: 'Areas for development', numeric: true },
    { key: 'priority_action', label: 'Areas for priority action', numeric: true },
    { key: 'findings', label: 'All findings', numeric: true },
    {
      key: 'letter_id',
      label: 'Letter',
      render: (row) => (
        <AppLink
          params={viewParams('letter', params, { letter: row.letter_id })}
          data-letter={row.letter_id}
        >
          Read the letter
          <span className="visually-hidden"> of {formatDate(row.inspection_start)}</span>
        </AppLink>
      ),
    },
  ];
  return (
    <section className="panel" aria-labelledby={headingId} data-testid="council-inspections">
      <PanelHead
        fileName={`council-${councilSlug(council.council_name)}-inspections`}
        rows={rows}
        columns={INSPECTION_CSV_COLUMNS}
      >
        <div>
          <h2 id={headingId}>Inspections</h2>
          <p className="panel-description">
            Each letter held for {council.council_name} under the filters (n ={' '}
            {plural(rows.length, 'letter', 'letters')}), with its findings by section. Weaknesses
            are areas for development and areas for priority action.
          </p>
        </div>
      </PanelHead>
      {rows.length === 0 ? (
        <p className="state state-empty" role="status">
          No letter is held for {council.council_name} under the current filters.
        </p>
      ) : (
        <DataTable
          caption={`${council.council_name}: inspections and findings by section`}
          rows={rows}
          columns={columns}
        />
      )}
    </section>
  );
}

/** One theme of the council's profile: the council's, neighbours', region's and England's rates. */
export interface CouncilThemeRow {
  theme_id: string;
  theme_label: string;
  council_name: string;
  la_code: string | null;
  dfe_la_code: number | null;
  region: string | null;
  council_letters: number;
  council_with: number;
  council_share: number | null;
  council_low: number | null;
  council_high: number | null;
  /** Among every council with letters; null when the council has none. */
  rank: number | null;
  councils_ranked: number | null;
  /** Councils with the same share, this one included. */
  tied: number | null;
  quartile: Quartile | null;
  neighbours_letters: number | null;
  neighbours_with: number | null;
  neighbours_share: number | null;
  neighbours_low: number | null;
  neighbours_high: number | null;
  region_letters: number | null;
  region_with: number | null;
  region_share: number | null;
  region_low: number | null;
  region_high: number | null;
  england_letters: number;
  england_with: number;
  england_share: number | null;
  england_low: number | null;
  england_high: number | null;
}

type GroupFields = {
  [K in CouncilGroupKind as `${K}_${'letters' | 'with' | 'share' | 'low' | 'high'}`]: number | null;
};

/**
 * One row per theme from the groups' long rates and the council's ranks, with each share's 95%
 * Wilson interval; a group the council lacks (no region or neighbours) is left null.
 */
export function toThemeRows(
  council: Pick<CouncilChoiceRow, 'council_name' | 'la_code' | 'dfe_la_code' | 'region'>,
  rates: readonly CouncilRateRow[],
  ranks: readonly RankedCouncil[],
): CouncilThemeRow[] {
  const byTheme = new Map<string, CouncilThemeRow>();
  const rankOf = new Map(ranks.map((r) => [r.theme_id, r]));
  for (const rate of rates) {
    let row = byTheme.get(rate.theme_id);
    if (!row) {
      const rank = rankOf.get(rate.theme_id);
      row = {
        theme_id: rate.theme_id,
        theme_label: rate.theme_label,
        council_name: council.council_name,
        la_code: council.la_code,
        dfe_la_code: council.dfe_la_code,
        region: council.region,
        council_letters: 0,
        council_with: 0,
        council_share: null,
        council_low: null,
        council_high: null,
        rank: rank?.rank ?? null,
        councils_ranked: rank?.councils_ranked ?? null,
        tied: rank ? rank.at_or_above - rank.rank + 1 : null,
        quartile: rank?.quartile ?? null,
        neighbours_letters: null,
        neighbours_with: null,
        neighbours_share: null,
        neighbours_low: null,
        neighbours_high: null,
        region_letters: null,
        region_with: null,
        region_share: null,
        region_low: null,
        region_high: null,
        england_letters: 0,
        england_with: 0,
        england_share: null,
        england_low: null,
        england_high: null,
      };
      byTheme.set(rate.theme_id, row);
    }
    const interval = rate.letters > 0 ? intervalOf(rate.letters_with_theme, rate.letters) : null;
    const fields = row as unknown as GroupFields;
    fields[`${rate.group_kind}_letters`] = rate.letters;
    fields[`${rate.group_kind}_with`] = rate.letters_with_theme;
    fields[`${rate.group_kind}_share`] = rate.share;
    fields[`${rate.group_kind}_low`] = interval?.low ?? null;
    fields[`${rate.group_kind}_high`] = interval?.high ?? null;
  }
  return [...byTheme.values()].sort(
    (a, b) =>
      (b.council_share ?? -1) - (a.council_share ?? -1) ||
      (b.england_share ?? -1) - (a.england_share ?? -1) ||
      a.theme_label.localeCompare(b.theme_label),
  );
}

/** "rank 3 of 11 (tied with 2 others), quartile A", or why there is none. */
export function rankText(
  row: Pick<CouncilThemeRow, 'rank' | 'councils_ranked' | 'tied' | 'quartile'>,
) {
  if (row.rank === null || row.councils_ranked === null) return 'not ranked: no letters';
  const tie =
    row.tied !== null && row.tied > 1
      ? ` (tied with ${plural(row.tied - 1, 'other', 'others')})`
      : '';
  return `rank ${row.rank} of ${row.councils_ranked}${tie}, quartile ${row.quartile}`;
}

function RatesPanel({
  council,
  data,
  ranks,
  weak,
}: {
  council: CouncilChoiceRow;
  data: CouncilRatesData;
  ranks: readonly RankedCouncil[];
  weak: WeakThemes;
}) {
  const params = useSearchParams();
  const rows = useMemo(() => toThemeRows(council, data.rates, ranks), [council, data, ranks]);
  const groups = data.groups;
  const group = (kind: CouncilGroupKind) => groups.find((g) => g.group_kind === kind);
  const shownKinds = COUNCIL_GROUP_KINDS.filter((kind) => group(kind) !== undefined);
  // A group without letters has nothing to draw: the list above says so.
  const drawnKinds = shownKinds.filter((kind) => (group(kind)?.letters ?? 0) > 0);
  const chartRows = rows.filter((r) => r.england_with > 0 || r.council_with > 0);
  const name = council.council_name;
  const ranked = ranks[0]?.councils_ranked ?? 0;
  const groupColumns = (kind: CouncilGroupKind): TableColumn<CouncilThemeRow>[] => {
    const label = kind === 'council' ? name : groupLabel(group(kind)!);
    const percent = (v: unknown) => (v === null ? '–' : formatPercent(v as number));
    return [
      { key: `${kind}_with`, label: `${label}: letters raising it`, numeric: true },
      { key: `${kind}_letters`, label: `${label}: letters (n)`, numeric: true },
      { key: `${kind}_share`, label: `${label}: share`, numeric: true, format: percent },
      { key: `${kind}_low`, label: `${label}: 95% interval from`, numeric: true, format: percent },
      { key: `${kind}_high`, label: `${label}: 95% interval to`, numeric: true, format: percent },
    ];
  };
  const columns: TableColumn<CouncilThemeRow>[] = [
    {
      key: 'theme_label',
      label: 'Theme',
      render: (row) => (
        <AppLink params={rankingParams(row.theme_id, params)}>
          <ThemeName label={row.theme_label} themeId={row.theme_id} weak={weak} />
        </AppLink>
      ),
    },
    { key: 'theme_id', label: 'Theme id' },
    { key: 'council_name', label: 'Council' },
    { key: 'la_code', label: 'ONS code' },
    { key: 'dfe_la_code', label: 'DfE number' },
    { key: 'region', label: 'Region' },
    ...groupColumns('council'),
    { key: 'rank', label: 'Rank (1 = raised most often)', numeric: true },
    { key: 'councils_ranked', label: 'Councils ranked', numeric: true },
    { key: 'tied', label: 'Councils sharing the rank', numeric: true },
    { key: 'quartile', label: 'Quartile (A = raised most often)' },
    ...shownKinds.filter((k) => k !== 'council').flatMap(groupColumns),
  ];
  const mark = (row: CouncilThemeRow, kind: CouncilGroupKind): IntervalMark => {
    const fields = row as unknown as GroupFields;
    const n = fields[`${kind}_letters`] ?? 0;
    return {
      key: kind,
      name: kind === 'council' ? name : groupLabel(group(kind)!),
      k: fields[`${kind}_with`] ?? 0,
      n,
      share: n > 0 ? fields[`${kind}_share`] : null,
      low: fields[`${kind}_low`],
      high: fields[`${kind}_high`],
      few: n > 0 && n < FEW_LETTERS,
      ...GROUP_STYLE[kind],
    };
  };
  return (
    <ChartWithTable
      title={`Weaknesses raised: ${name} against its neighbours, region and England`}
      description={
        <>
          Share of each group&rsquo;s letters with at least one finding on the theme as a weakness
          (an area for development or for priority action), with its 95% interval, and {name}
          &rsquo;s rank among the {plural(ranked, 'council', 'councils')} with letters under the
          filters: rank 1 and quartile A are where the theme was raised most often. Hollow marks and
          dashed intervals: fewer than {FEW_LETTERS} letters.
        </>
      }
      rows={rows}
      columns={columns}
      fileName={`council-${councilSlug(name)}-weaknesses`}
      id="council-weaknesses"
      note={
        <>
          <WeakThemesNote
            themes={rows.map((r) => ({ theme_id: r.theme_id, label: r.theme_label }))}
            weak={weak}
          />
          <details className="ranking-rule">
            <summary>How ranks, quartiles and intervals are worked out</summary>
            <p>{RANK_RULE}</p>
            <p>{INTERVAL_NOTE}</p>
            <p>
              Councils with fewer than {FEW_LETTERS} letters are ranked with the rest but greyed:
              one or two inspections cannot tell a council&rsquo;s usual practice from one
              inspector&rsquo;s visit.
            </p>
          </details>
        </>
      }
    >
      <GroupSizes groups={groups} name={name} />
      <IntervalLegend
        items={drawnKinds.map((kind) => ({
          key: kind,
          ...GROUP_STYLE[kind],
          label: kind === 'council' ? name : groupLabel(group(kind)!),
        }))}
      />
      {chartRows.length === 0 ? (
        <p className="state state-empty" role="status">
          No letter in any group raised a weakness under the current filters.
        </p>
      ) : (
        <IntervalChart
          label={`${name}: share of letters raising each theme as a weakness, with 95% intervals, against its statistical neighbours, its region and England; the table view lists the figures.`}
          rows={chartRows.map((row) => ({
            key: row.theme_id,
            name: row.theme_label,
            few: row.council_letters > 0 && row.council_letters < FEW_LETTERS,
            data: {
              'data-theme': row.theme_id,
              'data-rank': row.rank ?? '',
              'data-ranked': row.councils_ranked ?? '',
              'data-quartile': row.quartile ?? '',
              'data-n': row.council_letters,
              'data-k': row.council_with,
              'data-low': row.council_low ?? '',
              'data-high': row.council_high ?? '',
            },
            label: (
              <AppLink params={rankingParams(row.theme_id, params)}>
                <ThemeName label={row.theme_label} themeId={row.theme_id} weak={weak} />
              </AppLink>
            ),
            detail:
              row.council_letters === 0 ? (
                'no letters held'
              ) : (
                <>
                  {row.council_with} of {plural(row.council_letters, 'letter', 'letters')} ·{' '}
                  {formatPercent(row.council_share)} · {rankText(row)}
                  {row.council_letters < FEW_LETTERS && (
                    <span className="few-note">fewer than {FEW_LETTERS} letters</span>
                  )}
                </>
              ),
            marks: drawnKinds.map((kind) => mark(row, kind)),
          }))}
        />
      )}
    </ChartWithTable>
  );
}

/** How many letters each comparison group holds, the n behind its rates, with the councils. */
function GroupSizes({ groups, name }: { groups: readonly CouncilGroupRow[]; name: string }) {
  const params = useSearchParams();
  return (
    <ul className="council-groups" aria-label="Letters behind each comparison group">
      {groups.map((g) => {
        const few = g.letters > 0 && g.letters < FEW_LETTERS;
        return (
          <li
            key={g.group_kind}
            data-testid={`council-group-${g.group_kind}`}
            data-value={g.letters}
          >
            <span className="council-group-name">
              {g.group_kind === 'council' ? name : groupLabel(g)}
            </span>
            <span className="council-group-n">
              n = {plural(g.letters, 'letter', 'letters')}
              {g.group_kind !== 'council' &&
                `, from ${plural(g.councils_with_letters, 'council', 'councils')} of ${formatCount(g.councils_in_group)}`}
            </span>
            {g.letters === 0 ? (
              <span className="few-note">no letters held</span>
            ) : few ? (
              <span className="few-note">fewer than {FEW_LETTERS} letters: greyed</span>
            ) : null}
            {g.group_kind === 'neighbours' && g.councils_known < g.councils_in_group && (
              <span className="council-group-note">
                {formatCount(g.councils_in_group - g.councils_known)} of the neighbours did not
                exist in 2009-12
              </span>
            )}
            {g.group_kind === 'neighbours' && g.members_with_letters.length > 0 && (
              <span className="council-group-note">
                With letters:{' '}
                {g.members_with_letters.map((m, i) => (
                  <span key={m.council_name}>
                    {i > 0 && ', '}
                    <CouncilLink name={m.council_name} params={params} /> ({m.letters})
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

/** A pair of consecutive inspections as its CSV row, with the council's names and codes. */
interface RecurrenceCsvRow extends CouncilRecurrenceRow {
  council_name: string;
  la_code: string | null;
  dfe_la_code: number | null;
  region: string | null;
  recurred_count: number;
}

const RECURRENCE_COLUMNS: readonly TableColumn<RecurrenceCsvRow>[] = [
  { key: 'council_name', label: 'Council' },
  { key: 'la_code', label: 'ONS code' },
  { key: 'dfe_la_code', label: 'DfE number' },
  { key: 'region', label: 'Region' },
  { key: 'earlier_letter_id', label: 'Earlier letter' },
  { key: 'earlier_start', label: 'Earlier inspection' },
  { key: 'later_letter_id', label: 'Later letter' },
  { key: 'later_start', label: 'Later inspection' },
  { key: 'themes_before', label: 'Weakness themes at the earlier inspection', numeric: true },
  { key: 'recurred_count', label: 'Raised again', numeric: true },
  { key: 'recurred_labels', label: 'Themes raised again' },
  { key: 'not_again_labels', label: 'Themes not raised again' },
  { key: 'new_labels', label: 'Themes new at the later inspection' },
];

function RecurrencePanel({
  council,
  rows,
  params,
  weak,
}: {
  council: CouncilChoiceRow;
  rows: readonly CouncilRecurrenceRow[];
  params: URLSearchParams;
  weak: WeakThemes;
}) {
  const headingId = useId();
  const csvRows = rows.map((r): RecurrenceCsvRow => ({
    ...r,
    council_name: council.council_name,
    la_code: council.la_code,
    dfe_la_code: council.dfe_la_code,
    region: council.region,
    recurred_count: r.recurred.length,
  }));
  const letterLink = (letterId: string, kind: string, date: string) => (
    <AppLink params={viewParams('letter', params, { letter: letterId })}>
      {kindLabel(kind)} of {formatDate(date)}
    </AppLink>
  );
  return (
    <section className="panel" aria-labelledby={headingId} data-testid="council-recurrence">
      <PanelHead
        fileName={`council-${councilSlug(council.council_name)}-recurrence`}
        rows={csvRows}
        columns={RECURRENCE_COLUMNS}
      >
        <div>
          <h2 id={headingId}>Raised again at the next inspection</h2>
          <p className="panel-description">
            Themes raised as weaknesses at one of {council.council_name}&rsquo;s inspections and
            again at its next (n = {plural(rows.length, 'pair', 'pairs')} of consecutive
            inspections). The year filter keeps the pairs whose later inspection falls in it.
          </p>
        </div>
      </PanelHead>
      {rows.length === 0 ? (
        <p className="state state-empty" role="status">
          Fewer than two inspections of {council.council_name} are held under the current filters:
          there is nothing to compare.
        </p>
      ) : (
        <ul className="council-recurrence">
          {rows.map((r) => (
            <li key={r.later_letter_id} data-testid="council-recurrence-pair">
              <h3>
                {formatDate(r.earlier_start)} to {formatDate(r.later_start)}
              </h3>
              <p>
                <strong>
                  Raised again: {r.recurred.length} of {plural(r.themes_before, 'theme', 'themes')}
                </strong>{' '}
                raised at the earlier inspection
                {r.recurred.length > 0 && ': '}
                {r.recurred.map((t, i) => (
                  <span key={t.theme_id}>
                    {i > 0 && ', '}
                    <AppLink params={rankingParams(t.theme_id, params)}>
                      <ThemeName label={t.label} themeId={t.theme_id} weak={weak} />
                    </AppLink>
                  </span>
                ))}
                .
              </p>
              {r.not_again_labels.length > 0 && (
                <p>Not raised again: {r.not_again_labels.join(', ')}.</p>
              )}
              {r.new_labels.length > 0 && (
                <p>New at the later inspection: {r.new_labels.join(', ')}.</p>
              )}
              <p>
                {letterLink(r.earlier_letter_id, r.earlier_kind, r.earlier_start)};{' '}
                {letterLink(r.later_letter_id, r.later_kind, r.later_start)}
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function QuotesPanel({
  council,
  rows,
  params,
  weak,
}: {
  council: CouncilChoiceRow;
  rows: readonly WeaknessQuoteRow[];
  params: URLSearchParams;
  weak: WeakThemes;
}) {
  const headingId = useId();
  const letters = [...new Set(rows.map((r) => r.letter_id))];
  const csvRows = useMemo(() => quoteCsvRows(rows), [rows]);
  return (
    <section className="panel" aria-labelledby={headingId} data-testid="council-quotes">
      <PanelHead
        fileName={`council-${councilSlug(council.council_name)}-quotes`}
        rows={csvRows}
        columns={QUOTE_COLUMNS}
      >
        <div>
          <h2 id={headingId}>Weaknesses in the letters&rsquo; words</h2>
          <p className="panel-description">
            Every finding raised as a weakness in {council.council_name}&rsquo;s letters under the
            filters ({plural(rows.length, 'finding', 'findings')} in{' '}
            {plural(letters.length, 'letter', 'letters')}), with where it comes from and a link to
            it in its letter.
          </p>
        </div>
      </PanelHead>
      {rows.length === 0 ? (
        <p className="state state-empty" role="status">
          No weakness is recorded in {council.council_name}&rsquo;s letters under the current
          filters.
        </p>
      ) : (
        letters.map((letterId) => {
          const mine = rows.filter((r) => r.letter_id === letterId);
          const first = mine[0]!;
          return (
            <div key={letterId}>
              <h3 className="council-quote-letter">
                {kindLabel(first.document_kind)}, inspection of {formatDate(first.inspection_start)}
              </h3>
              <QuoteList
                quotes={mine}
                params={params}
                weak={weak}
                label={`Weaknesses in the letter of ${formatDate(first.letter_date ?? first.inspection_start)}`}
              />
            </div>
          );
        })
      )}
    </section>
  );
}
