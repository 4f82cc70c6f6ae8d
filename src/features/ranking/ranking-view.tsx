import { useId, useMemo, useState } from 'react';
import { navigateWith, useSearchParams } from '@/app/url-state';
import { useFilterChangePrefetch, useViewFilters, viewQuery } from '@/app/view-filters';
import { ThemeName, WeakThemesNote } from '@/app/weak-themes';
import { AppLink } from '@/app/app-link';
import { CouncilLink, councilSlug, rankingParams } from '@/app/council-link';
import {
  themeRankingQueryOptions,
  useThemeRanking,
  useWeaknessQuotes,
} from '@/app/council-ranking-queries';
import {
  FEW_LETTERS,
  INTERVAL_NOTE,
  QUARTILES,
  RANK_RULE,
  type RankedCouncil,
} from '@/app/council-ranking-sql';
import { IntervalChart } from '@/app/interval-chart';
import { QuoteList } from '@/app/quote-list';
import { ChartWithTable } from '@/lib/chart-with-table';
import type { TableColumn } from '@/lib/csv';
import type { Filters } from '@/lib/filters';
import { formatCount, formatPercent } from '@/lib/format';
import { QueryState } from '@/lib/query-state';
import { markedLabel, useWeakThemes, type WeakThemes } from '@/lib/theme-quality';
import { useThemeChoices } from './ranking-queries';
import type { ThemeChoiceRow } from './ranking-sql';
import './ranking.css';

const MARK_COLOR = '#b3261e';

/** A description as a sentence, with its full stop. */
function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

function plural(n: number, one: string, many: string): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** Theme ranking: every council with letters ranked on one theme raised as a weakness. */
export function RankingView() {
  const filters = useViewFilters();
  const params = useSearchParams();
  const theme = params.get('theme') || undefined;
  const choices = useThemeChoices();
  useFilterChangePrefetch((next) =>
    theme ? [viewQuery(themeRankingQueryOptions({ filters: next, theme }))] : [],
  );
  return (
    <div className="view ranking">
      <QueryState query={choices} label="the list of themes">
        {(rows) => {
          const chosen = rows.find((t) => t.theme_id === theme);
          return (
            <>
              <div className="pickers">
                <ThemePicker choices={rows} theme={theme} />
              </div>
              {!theme ? (
                <ChooseThemePrompt choices={rows} params={params} />
              ) : !chosen ? (
                <div className="state state-empty" role="status">
                  <p>No theme has the id “{theme}”. Choose one with the list above.</p>
                </div>
              ) : (
                <Ranking theme={chosen} filters={filters} />
              )}
            </>
          );
        }}
      </QueryState>
    </div>
  );
}

function groupsOf(choices: readonly ThemeChoiceRow[]): [string, ThemeChoiceRow[]][] {
  const groups = new Map<string, ThemeChoiceRow[]>();
  for (const c of choices) groups.set(c.group_label, [...(groups.get(c.group_label) ?? []), c]);
  return [...groups.entries()];
}

function ThemePicker({
  choices,
  theme,
}: {
  choices: readonly ThemeChoiceRow[];
  theme: string | undefined;
}) {
  const weak = useWeakThemes();
  return (
    <div className="filter theme-picker">
      <label htmlFor="ranking-theme">Theme</label>
      <select
        id="ranking-theme"
        value={theme ?? ''}
        onChange={(e) => navigateWith({ theme: e.target.value || undefined })}
      >
        <option value="">Choose a theme…</option>
        {groupsOf(choices).map(([group, themes]) => (
          <optgroup key={group} label={group}>
            {themes.map((t) => (
              <option key={t.theme_id} value={t.theme_id}>
                {markedLabel(t.label, t.theme_id, weak)}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
    </div>
  );
}

function ChooseThemePrompt({
  choices,
  params,
}: {
  choices: readonly ThemeChoiceRow[];
  params: URLSearchParams;
}) {
  const weak = useWeakThemes();
  return (
    <div className="state state-empty" role="status">
      <p>
        Choose a theme above, or one below, to rank every council with letters by the share of its
        letters that raised the theme as a weakness.
      </p>
      {groupsOf(choices).map(([group, themes]) => (
        <div key={group}>
          <h2 className="ranking-prompt-group">{group}</h2>
          <ul className="ranking-prompt-list">
            {themes.map((t) => (
              <li key={t.theme_id}>
                <AppLink params={rankingParams(t.theme_id, params)}>
                  <ThemeName label={t.label} themeId={t.theme_id} weak={weak} />
                </AppLink>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </div>
  );
}

function Ranking({ theme, filters }: { theme: ThemeChoiceRow; filters: Filters }) {
  const query = useMemo(() => ({ filters, theme: theme.theme_id }), [filters, theme.theme_id]);
  const ranking = useThemeRanking(query);
  const weak = useWeakThemes();
  return (
    <QueryState
      query={ranking}
      label="the ranking"
      isEmpty={(rows) => rows.length === 0}
      empty={<p>No council has a letter under the current filters: nothing to rank.</p>}
    >
      {(rows) => <RankingResults theme={theme} rows={rows} filters={filters} weak={weak} />}
    </QueryState>
  );
}

/** The ranking's columns, for the table view and the CSV alike. */
function rankingColumns(params: URLSearchParams): TableColumn<RankedCouncil>[] {
  const percent = (v: unknown) => formatPercent(v as number);
  return [
    {
      key: 'rank',
      label: 'Rank (1 = raised most often)',
      numeric: true,
    },
    {
      key: 'council_name',
      label: 'Council',
      render: (row) => <CouncilLink name={row.council_name} params={params} />,
    },
    { key: 'la_code', label: 'ONS code' },
    { key: 'dfe_la_code', label: 'DfE number' },
    { key: 'region', label: 'Region' },
    { key: 'letters_with_theme', label: 'Letters raising it', numeric: true },
    { key: 'letters', label: 'Letters (n)', numeric: true },
    { key: 'share', label: 'Share', numeric: true, format: percent },
    { key: 'low', label: '95% interval from', numeric: true, format: percent },
    { key: 'high', label: '95% interval to', numeric: true, format: percent },
    { key: 'quartile', label: 'Quartile (A = raised most often)' },
    {
      key: 'few',
      label: `Fewer than ${FEW_LETTERS} letters`,
      format: (v) => (v ? 'yes' : 'no'),
    },
    { key: 'councils_ranked', label: 'Councils ranked', numeric: true },
  ];
}

function RankingResults({
  theme,
  rows,
  filters,
  weak,
}: {
  theme: ThemeChoiceRow;
  rows: readonly RankedCouncil[];
  filters: Filters;
  weak: WeakThemes;
}) {
  const params = useSearchParams();
  const letters = rows.reduce((n, r) => n + r.letters, 0);
  const raising = rows.reduce((n, r) => n + r.letters_with_theme, 0);
  const councilsRaising = rows.filter((r) => r.letters_with_theme > 0).length;
  const few = rows.filter((r) => r.few).length;
  const pool = [
    filters.region ? `in ${filters.region}` : null,
    filters.laType ? `of type ${filters.laType}` : null,
  ]
    .filter(Boolean)
    .join(' ');
  const columns = rankingColumns(params);
  const title = `Councils ranked by how often their letters raised ${theme.label} as a weakness`;
  return (
    <>
      <p className="ranking-summary" data-testid="ranking-summary" data-councils={rows.length}>
        <strong>
          <ThemeName label={theme.label} themeId={theme.theme_id} weak={weak} />
        </strong>{' '}
        ({theme.group_label}): {sentence(theme.description)} Raised as a weakness in{' '}
        {plural(raising, 'letter', 'letters')} of {formatCount(letters)} (
        {formatPercent(letters ? raising / letters : null)}), at{' '}
        {plural(councilsRaising, 'council', 'councils')} of the{' '}
        {plural(rows.length, 'council', 'councils')} with letters{pool ? ` ${pool}` : ''} under the
        filters, all of them ranked.
      </p>
      {few > 0 && (
        <p className="small-n-note" data-testid="ranking-few">
          {plural(few, 'council has', 'councils have')} fewer than {FEW_LETTERS} letters: their
          shares rest on one or two inspections and swing widely, so they are greyed (hollow mark,
          dashed interval) and flagged in the table. They are ranked with the rest.
        </p>
      )}
      <ChartWithTable
        title={title}
        description={
          <>
            Each council&rsquo;s share of letters with at least one finding on the theme as a
            weakness (an area for development or for priority action), with its 95% interval. Rank 1
            and quartile A are where it was raised most often; tied councils share a rank (1, 2, 2,
            4).
          </>
        }
        rows={rows}
        columns={columns}
        fileName={`ranking-${theme.theme_id}`}
        id="ranking"
        note={
          <>
            <WeakThemesNote
              themes={[{ theme_id: theme.theme_id, label: theme.label }]}
              weak={weak}
            />
            <details className="ranking-rule">
              <summary>How ranks, quartiles and intervals are worked out</summary>
              <p>{RANK_RULE}</p>
              <p>{INTERVAL_NOTE}</p>
              <p>
                Bands here:{' '}
                {QUARTILES.map((q) => `${q} ${rows.filter((r) => r.quartile === q).length}`).join(
                  ', ',
                )}{' '}
                councils.
              </p>
            </details>
          </>
        }
      >
        <IntervalChart
          label={`${title}, with 95% intervals; the table view lists the figures.`}
          rows={rows.map((row) => ({
            key: row.council_key,
            name: `${row.council_name}, rank ${row.rank}${row.at_or_above > row.rank ? ' (tied)' : ''} of ${row.councils_ranked}, quartile ${row.quartile}`,
            few: row.few,
            data: {
              'data-council': councilSlug(row.council_name),
              'data-rank': row.rank,
              'data-quartile': row.quartile,
              'data-n': row.letters,
              'data-k': row.letters_with_theme,
              'data-low': row.low,
              'data-high': row.high,
            },
            label: (
              <>
                <span className="ranking-rank">
                  {row.rank}
                  {row.at_or_above > row.rank && (
                    <>
                      <span aria-hidden="true">=</span>
                      <span className="visually-hidden"> (tied)</span>
                    </>
                  )}
                </span>
                <CouncilLink name={row.council_name} params={params} />
                <span className="quartile-badge">Quartile {row.quartile}</span>
              </>
            ),
            detail: (
              <>
                {row.letters_with_theme} of {plural(row.letters, 'letter', 'letters')} ·{' '}
                {formatPercent(row.share)} ({formatPercent(row.low)} to {formatPercent(row.high)}) ·{' '}
                {row.region ?? 'region not known'}
                {row.few && <span className="few-note">fewer than {FEW_LETTERS} letters</span>}
              </>
            ),
            marks: [
              {
                key: 'share',
                name: row.council_name,
                k: row.letters_with_theme,
                n: row.letters,
                share: row.share,
                low: row.low,
                high: row.high,
                color: MARK_COLOR,
                shape: 'circle',
                few: row.few,
              },
            ],
          }))}
        />
      </ChartWithTable>
      <RankingQuotes theme={theme} rows={rows} filters={filters} weak={weak} />
    </>
  );
}

/** The quotes behind each council's share, each council's opened (and fetched) on demand. */
function RankingQuotes({
  theme,
  rows,
  filters,
  weak,
}: {
  theme: ThemeChoiceRow;
  rows: readonly RankedCouncil[];
  filters: Filters;
  weak: WeakThemes;
}) {
  const headingId = useId();
  const raising = rows.filter((r) => r.letters_with_theme > 0);
  return (
    <section className="panel" aria-labelledby={headingId} data-testid="ranking-quotes">
      <h2 id={headingId}>The findings behind each council</h2>
      <p className="panel-description">
        The findings on {theme.label} raised as weaknesses in each council&rsquo;s letters, with
        where each comes from; open a council to read them.
      </p>
      {raising.length === 0 ? (
        <p className="state state-empty" role="status">
          No council&rsquo;s letters raised {theme.label} as a weakness under the current filters.
        </p>
      ) : (
        <ul className="ranking-quotes">
          {raising.map((row) => (
            <li key={row.council_key}>
              <CouncilQuotes row={row} theme={theme} filters={filters} weak={weak} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function CouncilQuotes({
  row,
  theme,
  filters,
  weak,
}: {
  row: RankedCouncil;
  theme: ThemeChoiceRow;
  filters: Filters;
  weak: WeakThemes;
}) {
  const params = useSearchParams();
  const [open, setOpen] = useState(false);
  const quotes = useWeaknessQuotes(
    { filters, council: row.council_key, theme: theme.theme_id },
    open,
  );
  return (
    <details
      data-council={councilSlug(row.council_name)}
      onToggle={(e) => setOpen(e.currentTarget.open)}
    >
      <summary>
        {row.council_name}: {row.letters_with_theme} of {plural(row.letters, 'letter', 'letters')}
        {row.few ? ` (fewer than ${FEW_LETTERS} letters)` : ''}
      </summary>
      {open && (
        <QueryState query={quotes} label={`the findings of ${row.council_name}`}>
          {(found) => (
            <QuoteList
              quotes={found}
              params={params}
              weak={weak}
              label={`${row.council_name}: findings on ${theme.label}`}
            />
          )}
        </QueryState>
      )}
    </details>
  );
}
