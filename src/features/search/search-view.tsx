import { useEffect, useId, useMemo, useState, type FormEvent } from 'react';
import { AppLink } from '@/app/app-link';
import { CouncilLink } from '@/app/council-link';
import { FindingLetterLink } from '@/app/finding-letter-link';
import { useReservedThemes, YOURS_SUFFIX } from '@/app/saved-themes/saved-themes-engine';
import { setSavedThemes, useSavedThemes } from '@/app/saved-themes/saved-themes-store';
import { useSearchIndex, useSearchOutcome } from '@/app/search/search-queries';
import { SimilarFindings } from '@/app/search/similar-findings';
import { navigateWith, useSearchParams, viewParams } from '@/app/url-state';
import { useViewFilters } from '@/app/view-filters';
import { parseQuery } from '@/core/search/query';
import { themeNameProblem, themeQueryProblem } from '@/core/search/saved-themes';
import type { TableColumn } from '@/lib/csv';
import { DataTable } from '@/lib/data-table';
import { SECTION_LABELS, type Filters, type SectionFilter } from '@/lib/filters';
import { FindingList } from '@/lib/finding-list';
import { formatCount } from '@/lib/format';
import { PanelHead } from '@/lib/panel-head';
import { QueryState } from '@/lib/query-state';
import { markedSegments } from '@/lib/search/marked-segments';
import type { SearchCountRow, SearchMatch, SearchOutcome } from '@/lib/search/search-model';
import type { SearchFindingRow } from '@/lib/search/search-rows';
import './search.css';

// The shell focuses this box on `/` from any view (src/shell/app.tsx).
const INPUT_ID = 'search-query';
const HINT_ID = 'search-hint';
const ERROR_ID = 'search-error';
const PREVIEW_ID = 'search-preview';

/** The findings listed under the counts. */
const SEARCH_LIST_LIMIT = 50;

/** How long typing pauses before the count of the words typed so far is asked for (ms). */
const PREVIEW_PAUSE = 150;

/** Search every finding's words, with counts per council, year and section, and the matches. */
export function SearchView() {
  const params = useSearchParams();
  const query = params.get('q') ?? '';
  const [draft, setDraft] = useState(query);
  // The box follows the URL (back, forward, a link): reset while rendering, not in an effect.
  const [shownQuery, setShownQuery] = useState(query);
  if (shownQuery !== query) {
    setShownQuery(query);
    setDraft(query);
  }
  const draftError = useMemo(() => {
    if (!draft.trim()) return null;
    const parsed = parseQuery(draft);
    return parsed.ok ? null : parsed.error.message;
  }, [draft]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    navigateWith({ q: draft.trim() || undefined });
  };
  const index = useSearchIndex();
  return (
    <div className="view search">
      <form role="search" className="search-form" onSubmit={submit}>
        <label htmlFor={INPUT_ID}>Search every finding</label>
        <div className="search-row">
          <input
            id={INPUT_ID}
            type="search"
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            aria-describedby={`${HINT_ID} ${ERROR_ID} ${PREVIEW_ID}`}
            aria-invalid={draftError ? true : undefined}
            autoComplete="off"
            spellCheck={false}
          />
          <button type="submit" className="button">
            Search
          </button>
        </div>
        <p id={HINT_ID} className="search-hint">
          Words find every form (assessment finds “assessments”); “quoted phrases”; OR between
          choices; -word leaves a word out; assess* finds words beginning so. Press / to come back
          to this box.
        </p>
        <p id={ERROR_ID} className="search-error" aria-live="polite">
          {draftError}
        </p>
        <DraftPreview draft={draftError ? '' : draft.trim()} query={query.trim()} />
        {index.data?.where === 'page' && (
          <p className="search-hint" data-testid="search-in-page">
            Search runs in the page itself (its background worker could not start), so typing may
            lag on a large archive.
          </p>
        )}
      </form>
      {query.trim() ? (
        <SearchResults query={query} />
      ) : (
        <p className="state state-empty">Type a word or a phrase and press Enter.</p>
      )}
    </div>
  );
}

/** `value`, once it has stayed the same for `ms`. */
function useSettled<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/**
 * How many findings the words typed so far match, counted in the search worker as one types
 * (after a short pause), before Enter lists them: the page's thread does no searching.
 */
function DraftPreview({ draft, query }: { draft: string; query: string }) {
  const filters = useViewFilters();
  const settled = useSettled(draft, PREVIEW_PAUSE);
  const wanted = settled !== '' && settled !== query && settled === draft;
  const preview = useSearchOutcome(settled, filters, 0, { enabled: wanted, keepPrevious: true });
  const outcome = preview.data;
  const text =
    wanted && outcome?.ok && !preview.isPlaceholderData
      ? `${outcome.total === 1 ? '1 finding matches' : `${formatCount(outcome.total)} findings match`} “${settled}”: press Enter to list ${outcome.total === 1 ? 'it' : 'them'}.`
      : '';
  return (
    <p id={PREVIEW_ID} className="search-preview" data-testid="search-preview">
      {text}
    </p>
  );
}

const countColumns = (label: string): TableColumn<SearchCountRow>[] => [
  // A count per council: its exports add the council's codes and region.
  { key: 'value', label, council: label === 'Council' },
  { key: 'findings', label: 'Matching findings', numeric: true },
];

const sectionColumns: TableColumn<SearchCountRow>[] = [
  {
    key: 'value',
    label: 'Section',
    format: (value) => SECTION_LABELS[value as SectionFilter] ?? String(value),
  },
  { key: 'findings', label: 'Matching findings', numeric: true },
];

interface ListedFinding extends SearchFindingRow {
  spans: SearchMatch['spans'];
}

function SearchResults({ query }: { query: string }) {
  const filters = useViewFilters();
  const outcome = useSearchOutcome(query, filters, SEARCH_LIST_LIMIT);
  return (
    <QueryState query={outcome} label="the search">
      {(result) => <SearchAnswer query={query} filters={filters} outcome={result} />}
    </QueryState>
  );
}

function SearchAnswer({
  query,
  filters,
  outcome,
}: {
  query: string;
  filters: Filters;
  outcome: SearchOutcome;
}) {
  const params = useSearchParams();
  const [similarTo, setSimilarTo] = useState<string | null>(null);
  if (!outcome.ok) {
    return (
      <p className="state state-empty" role="status">
        No search was run: change the query above so that it can be read.
      </p>
    );
  }
  const listed: ListedFinding[] = outcome.matches.map((m) => ({ ...m.row, spans: m.spans }));
  return (
    <div className="search-results">
      <p className="search-total" role="status" data-testid="search-total">
        {outcome.total === 1 ? '1 finding matches' : `${formatCount(outcome.total)} findings match`}{' '}
        “{query}”
        {outcome.total > 0 && Object.keys(filters).length > 0 && ' under the current filters'}.
      </p>
      <SaveAsTheme query={query.trim()} />
      {outcome.total > 0 && (
        <>
          <div className="search-counts">
            <CountTable rows={outcome.byCouncil} label="Council" file="search-by-council" />
            <CountTable rows={outcome.byYear} label="Reporting year" file="search-by-year" />
            <section className="panel">
              <PanelHead
                fileName="search-by-section"
                rows={outcome.bySection}
                columns={sectionColumns}
              >
                <h2>Per section</h2>
              </PanelHead>
              <DataTable
                caption="Matching findings per section"
                rows={outcome.bySection}
                columns={sectionColumns}
              />
            </section>
          </div>
          <section className="panel">
            <h2>
              {outcome.total > SEARCH_LIST_LIMIT
                ? `The first ${SEARCH_LIST_LIMIT} of ${formatCount(outcome.total)} findings`
                : 'The findings'}
            </h2>
            <FindingList
              rows={listed}
              council={(row) => <CouncilLink name={row.council_name} params={params} />}
              quote={(row) =>
                markedSegments(row.text, row.spans).map((s, i) =>
                  s.marked ? <mark key={i}>{s.text}</mark> : <span key={i}>{s.text}</span>,
                )
              }
              footer={(row) => (
                <>
                  <p className="search-finding-foot">
                    <span>Reporting year {row.reporting_year}</span>{' '}
                    <FindingLetterLink finding={row} params={params} />{' '}
                    <button
                      type="button"
                      className="link-button"
                      aria-expanded={similarTo === row.finding_id}
                      onClick={() =>
                        setSimilarTo(similarTo === row.finding_id ? null : row.finding_id)
                      }
                    >
                      Findings like this
                      <span className="visually-hidden">
                        {' '}
                        one from {row.council_name}, finding {row.position}
                      </span>
                    </button>
                  </p>
                  {similarTo === row.finding_id && <SimilarFindings findingId={row.finding_id} />}
                </>
              )}
            />
          </section>
        </>
      )}
    </div>
  );
}

/**
 * "Save this search as a theme": a name, checked against the taxonomy's themes and the themes
 * saved already; once saved, the theme counts in every view (src/app/saved-themes).
 */
function SaveAsTheme({ query }: { query: string }) {
  const saved = useSavedThemes();
  const reserved = useReservedThemes();
  const params = useSearchParams();
  const [name, setName] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const ids = { name: useId(), problem: useId() };
  const already = saved.themes.find((t) => t.query === query);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!reserved) return setProblem('The themes are still loading: try again in a moment.');
    const trimmed = name.trim();
    const why =
      themeNameProblem(
        trimmed,
        reserved,
        saved.themes.map((t) => t.name),
      ) ??
      themeQueryProblem(query) ??
      (saved.themes.length >= 50 ? 'At most 50 themes can be saved: remove one first.' : null);
    if (why) return setProblem(why);
    setSavedThemes([...saved.themes, { name: trimmed, query }]);
    setProblem(null);
    setName('');
    setDone(trimmed);
  };
  if (already && done !== already.name)
    return (
      <p className="save-theme-saved" data-testid="save-theme-saved">
        This search is saved as the theme “{already.name}”.
      </p>
    );
  return (
    <form className="save-theme" onSubmit={submit} data-testid="save-theme">
      {done ? (
        <p role="status" className="save-theme-done">
          Saved: “{done}
          {YOURS_SUFFIX}” now counts beside the taxonomy&rsquo;s themes in every view, such as the{' '}
          <AppLink params={viewParams('overview', params)}>Overview</AppLink>, the{' '}
          <AppLink params={viewParams('heatmap', params)}>council × theme</AppLink> grid and the{' '}
          <AppLink params={viewParams('evidence', params)}>Evidence</AppLink>.
        </p>
      ) : (
        <p>
          <label htmlFor={ids.name}>Save the search “{query}” as a theme named</label>{' '}
          <input
            id={ids.name}
            type="text"
            value={name}
            maxLength={200}
            onChange={(e) => setName(e.target.value)}
            aria-describedby={ids.problem}
            aria-invalid={problem ? true : undefined}
            autoComplete="off"
          />{' '}
          <button type="submit" className="button">
            Save as a theme
          </button>
        </p>
      )}
      <p id={ids.problem} className="search-error" role="alert">
        {problem}
      </p>
    </form>
  );
}

function CountTable({
  rows,
  label,
  file,
}: {
  rows: SearchCountRow[];
  label: string;
  file: string;
}) {
  const columns = countColumns(label);
  return (
    <section className="panel">
      <PanelHead fileName={file} rows={rows} columns={columns}>
        <h2>Per {label.toLowerCase()}</h2>
      </PanelHead>
      <DataTable
        caption={`Matching findings per ${label.toLowerCase()}`}
        rows={rows}
        columns={columns}
      />
    </section>
  );
}
