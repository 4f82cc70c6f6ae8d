import { useMemo } from 'react';
import { AppLink } from '@/app/app-link';
import { KIND_LABELS } from '@/app/filter-options';
import { navigateWith, useSearchParams, viewParams } from '@/app/url-state';
import { useFilterChangePrefetch, useViewFilters, viewQuery } from '@/app/view-filters';
import { ThemeName, WeakThemesNote } from '@/app/weak-themes';
import { citation, provenanceLine, type FindingSource } from '@/lib/citation';
import { downloadCsv, type TableColumn } from '@/lib/csv';
import { dataVersionLine } from '@/lib/precomputed';
import type { Filters } from '@/lib/filters';
import { formatCount, formatDate, formatPercent } from '@/lib/format';
import { evidencePhrases, highlightSegments } from '@/lib/highlight';
import { noRows, QueryState } from '@/lib/query-state';
import { useWeakThemes } from '@/lib/theme-quality';
import {
  QUOTE_MAX_CHARS,
  QUOTE_MIN_CHARS,
  QUOTES_PER_THEME,
  type TrainerQuote,
  type TrainersParams,
  type TrainerThemeRow,
} from './trainers-sql';
import {
  useThemeGroups,
  useTrainerWeaknesses,
  trainerWeaknessesQueryOptions,
} from './trainers-queries';
import './trainers.css';

/** Common weaknesses for trainers: themes ranked by how widely inspectors raised them, quoted. */
export function TrainersView() {
  const filters = useViewFilters();
  const params = useSearchParams();
  const group = params.get('group') || undefined;
  const trainersParams = useMemo<TrainersParams>(() => ({ filters, group }), [filters, group]);
  const weaknesses = useTrainerWeaknesses(trainersParams);
  useFilterChangePrefetch((next) => [
    viewQuery(trainerWeaknessesQueryOptions({ filters: next, group })),
  ]);
  return (
    <div className="view trainers">
      <GroupPicker group={group} />
      <p className="trainers-selection" data-testid="trainers-filters">
        {describeSelection(filters, group)}
      </p>
      <QueryState
        query={weaknesses}
        label="weaknesses"
        isEmpty={noRows}
        empty={
          <p>
            No weaknesses were raised in the inspections that match these filters
            {group ? ` under ${group}` : ''}. Choose another group or year, or clear the filters.
          </p>
        }
      >
        {(rows) => <TrainerWeaknessList rows={rows} />}
      </QueryState>
    </div>
  );
}

function GroupPicker({ group }: { group?: string }) {
  const groups = useThemeGroups();
  const list = groups.data ?? [];
  const known = list.some((g) => g.group_label === group);
  return (
    <div className="pickers">
      <div className="filter">
        <label htmlFor="trainers-group">Theme group</label>
        <select
          id="trainers-group"
          value={group ?? ''}
          onChange={(e) => navigateWith({ group: e.target.value || undefined })}
        >
          <option value="">All groups</option>
          {group && !known && <option value={group}>{group}</option>}
          {list.map((g) => (
            <option key={g.group_label} value={g.group_label}>
              {g.group_label}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}

/** The filters in words, printed above the list so that a handout says what it covers. */
export function describeSelection(filters: Filters, group?: string): string {
  const parts = [
    filters.year && `reporting year ${filters.year}`,
    filters.region && `region ${filters.region}`,
    filters.laType && `council type ${filters.laType}`,
    filters.kind && `documents: ${KIND_LABELS[filters.kind] ?? filters.kind}`,
    group && `theme group ${group}`,
  ].filter(Boolean);
  const covers =
    parts.length === 0
      ? 'Covers every inspection held and every theme group.'
      : `Covers ${parts.join(', ')}.`;
  return filters.tags === 'sure'
    ? `${covers} Counts only the theme tags the program was sure of.`
    : covers;
}

/** One row of the CSV export: a ranked theme with its quotes side by side. */
interface TrainerCsvRow {
  rank: number;
  label: string;
  group_label: string;
  letters_with_theme: number;
  letters_total: number;
  share: number;
  weakness_findings: number;
  priority_findings: number;
  quote_1: string;
  source_1: string;
  quote_2: string;
  source_2: string;
  quote_3: string;
  source_3: string;
  citation_1: string;
  citation_2: string;
  citation_3: string;
  data_version: string;
}

const CSV_COLUMNS: TableColumn<TrainerCsvRow>[] = [
  { key: 'rank', label: 'Rank' },
  { key: 'label', label: 'Theme' },
  { key: 'group_label', label: 'Group' },
  { key: 'letters_with_theme', label: 'Inspections raising it' },
  { key: 'letters_total', label: 'Inspections' },
  { key: 'share', label: 'Share of inspections' },
  { key: 'weakness_findings', label: 'Weakness findings' },
  { key: 'priority_findings', label: 'of which priority action' },
  { key: 'quote_1', label: 'Quote 1' },
  { key: 'source_1', label: 'Quote 1 source' },
  { key: 'quote_2', label: 'Quote 2' },
  { key: 'source_2', label: 'Quote 2 source' },
  { key: 'quote_3', label: 'Quote 3' },
  { key: 'source_3', label: 'Quote 3 source' },
  { key: 'citation_1', label: 'Quote 1 citation' },
  { key: 'citation_2', label: 'Quote 2 citation' },
  { key: 'citation_3', label: 'Quote 3 citation' },
  { key: 'data_version', label: 'Data version' },
];

/** A quote's provenance, as src/lib/citation.ts reads it. */
function sourceOf(quote: TrainerQuote): FindingSource {
  return { ...quote, inspection_start: quote.inspection_start ?? null };
}

/**
 * How a quote is cited in one line: whose words (a council's report is the council's), council,
 * date, section and number, page and file.
 */
export function quoteSource(quote: TrainerQuote): string {
  return provenanceLine(sourceOf(quote));
}

/** The ranked list as CSV rows, one per theme with up to three quotes and their sources. */
export function toTrainerCsvRows(rows: readonly TrainerThemeRow[]): TrainerCsvRow[] {
  return rows.map((row) => {
    const quote = (i: number) => row.quotes[i]?.text ?? '';
    const source = (i: number) => {
      const q = row.quotes[i];
      return q ? quoteSource(q) : '';
    };
    const cite = (i: number) => {
      const q = row.quotes[i];
      return q ? citation(sourceOf(q)) : '';
    };
    return {
      rank: row.rank,
      label: row.label,
      group_label: row.group_label,
      letters_with_theme: row.letters_with_theme,
      letters_total: row.letters_total,
      share: row.share,
      weakness_findings: row.weakness_findings,
      priority_findings: row.priority_findings,
      quote_1: quote(0),
      source_1: source(0),
      quote_2: quote(1),
      source_2: source(1),
      quote_3: quote(2),
      source_3: source(2),
      citation_1: cite(0),
      citation_2: cite(1),
      citation_3: cite(2),
      data_version: dataVersionLine(),
    };
  });
}

/** The ranked weaknesses, each with its figures, a share bar, its quotes and a link to evidence. */
export function TrainerWeaknessList({ rows }: { rows: readonly TrainerThemeRow[] }) {
  const params = useSearchParams();
  const weak = useWeakThemes();
  const total = rows[0]?.letters_total ?? 0;
  return (
    <section className="panel trainers-panel" aria-labelledby="trainers-heading">
      <div className="panel-head">
        <div>
          <h2 id="trainers-heading" data-testid="trainers-count" data-value={rows.length}>
            {formatCount(rows.length)} {rows.length === 1 ? 'theme' : 'themes'} raised as weaknesses
            in {formatCount(total)} {total === 1 ? 'inspection' : 'inspections'}
          </h2>
          <p className="panel-description">
            Ranked by the share of inspections with at least one finding on the theme under areas
            for development or priority action. Up to {QUOTES_PER_THEME} quotes each: findings of
            {` ${QUOTE_MIN_CHARS} to ${QUOTE_MAX_CHARS}`} characters first, one council at a time,
            findings mainly about the theme first, then the shortest. Highlighted words are those
            that placed the finding under the theme.
          </p>
        </div>
        <div className="panel-tools">
          <button type="button" className="button" onClick={() => window.print()}>
            Print / save as PDF
          </button>
          <button
            type="button"
            className="button button-secondary"
            onClick={() => downloadCsv('common-weaknesses', toTrainerCsvRows(rows), CSV_COLUMNS)}
          >
            Download CSV
          </button>
        </div>
      </div>
      <WeakThemesNote themes={rows} weak={weak} />
      <p className="trainers-made" data-testid="trainers-made">
        Made on {formatDate(new Date().toISOString().slice(0, 10))}
        {dataVersionLine() ? ` from ${dataVersionLine().replace(/^Data: /, 'data ')}` : ''}. Each
        quote gives its source; the CSV gives a citation to paste for each.
      </p>
      <ol className="trainer-list">
        {rows.map((row) => (
          <li key={row.theme_id} className="trainer-theme" data-theme={row.theme_id}>
            <div className="trainer-theme-head">
              <h3>
                <span className="trainer-rank" data-testid="trainer-rank">
                  {row.rank}
                </span>{' '}
                <AppLink
                  params={viewParams('evidence', params, {
                    theme: row.theme_id,
                    section: 'weakness',
                  })}
                >
                  <ThemeName label={row.label} themeId={row.theme_id} weak={weak} />
                </AppLink>
              </h3>
              <p className="trainer-figures">
                <span className="trainer-group">{row.group_label}</span>
                <span data-testid="trainer-share" data-value={row.share}>
                  Raised in {formatCount(row.letters_with_theme)} of{' '}
                  {formatCount(row.letters_total)} inspections ({formatPercent(row.share)})
                </span>
                <span data-testid="trainer-findings" data-value={row.weakness_findings}>
                  {formatCount(row.weakness_findings)}{' '}
                  {row.weakness_findings === 1 ? 'finding' : 'findings'} at{' '}
                  {formatCount(row.councils)} {row.councils === 1 ? 'council' : 'councils'}
                  {row.priority_findings > 0 &&
                    `, ${formatCount(row.priority_findings)} as priority action`}
                </span>
              </p>
              <div className="trainer-bar" aria-hidden="true">
                <span style={{ width: `${Math.round(row.share * 100)}%` }} />
              </div>
            </div>
            <ul className="trainer-quotes" aria-label={`Quotes on ${row.label}`}>
              {row.quotes.map((quote) => (
                <li key={quote.finding_id} data-finding={quote.finding_id}>
                  <TrainerQuoteBlock quote={quote} />
                </li>
              ))}
            </ul>
            <p className="trainer-more">
              <AppLink
                params={viewParams('evidence', params, {
                  theme: row.theme_id,
                  section: 'weakness',
                })}
              >
                {row.weakness_findings === 1
                  ? 'This finding in Evidence'
                  : `All ${formatCount(row.weakness_findings)} weakness findings in Evidence`}
                <span className="visually-hidden"> on {row.label}</span>
              </AppLink>
            </p>
          </li>
        ))}
      </ol>
    </section>
  );
}

function TrainerQuoteBlock({ quote }: { quote: TrainerQuote }) {
  const params = useSearchParams();
  const segments = highlightSegments(quote.text, evidencePhrases([quote.evidence]));
  return (
    <figure className={`trainer-quote section-${quote.section}`}>
      <blockquote>
        {segments.map((s, i) =>
          s.marked ? <mark key={i}>{s.text}</mark> : <span key={i}>{s.text}</span>,
        )}
      </blockquote>
      <figcaption>
        <cite>{quoteSource(quote)}</cite>
        {quote.previously_identified && (
          <>
            {' · '}
            <strong>raised at the previous inspection</strong>
          </>
        )}{' '}
        <AppLink
          className="trainer-letter-link"
          params={viewParams('letter', params, {
            letter: quote.letter_id,
            finding: String(quote.position),
          })}
        >
          Read it in the letter
          <span className="visually-hidden"> from {quote.council_name}</span>
        </AppLink>
      </figcaption>
    </figure>
  );
}
