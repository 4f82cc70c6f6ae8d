import { useEffect, useMemo, useRef, useState, type FormEvent, type RefObject } from 'react';
import { FindingLetterLink } from '@/app/finding-letter-link';
import { navigateWith, useSearchParams } from '@/app/url-state';
import { useViewFilters } from '@/app/view-filters';
import { parseQuery } from '@/core/search/query';
import type { TableColumn } from '@/lib/csv';
import { DataTable } from '@/lib/data-table';
import { SECTION_LABELS, type SectionFilter } from '@/lib/filters';
import { FindingList } from '@/lib/finding-list';
import { formatCount } from '@/lib/format';
import { PanelHead } from '@/lib/panel-head';
import { QueryState } from '@/lib/query-state';
import {
  markedSegments,
  runSearch,
  SEARCH_LIST_LIMIT,
  type FindingsIndex,
  type SearchCountRow,
  type SearchMatch,
} from './search-model';
import type { SearchFindingRow } from './search-sql';
import { useSearchIndex } from './search-queries';
import './search.css';

const INPUT_ID = 'search-query';
const HINT_ID = 'search-hint';
const ERROR_ID = 'search-error';

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
  const input = useRef<HTMLInputElement>(null);
  useSlashFocus(input);
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
            ref={input}
            id={INPUT_ID}
            type="search"
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            aria-describedby={`${HINT_ID} ${ERROR_ID}`}
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
      </form>
      {query.trim() ? (
        <QueryState query={index} label="the search index">
          {(found) => <SearchResults found={found} query={query} />}
        </QueryState>
      ) : (
        <p className="state state-empty">Type a word or a phrase and press Enter.</p>
      )}
    </div>
  );
}

/** Focuses the search box on `/`, unless the user is typing in a field. */
function useSlashFocus(input: RefObject<HTMLInputElement | null>) {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey) return;
      const target = event.target as HTMLElement | null;
      if (
        target &&
        (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))
      )
        return;
      event.preventDefault();
      input.current?.focus();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [input]);
}

const countColumns = (label: string): TableColumn<SearchCountRow>[] => [
  { key: 'value', label },
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

function SearchResults({ found, query }: { found: FindingsIndex; query: string }) {
  const filters = useViewFilters();
  const params = useSearchParams();
  const outcome = useMemo(() => runSearch(found, query, filters), [found, query, filters]);
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
        “{query}”{outcome.total > 0 && ' under the current filters'}.
      </p>
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
              quote={(row) =>
                markedSegments(row.text, row.spans).map((s, i) =>
                  s.marked ? <mark key={i}>{s.text}</mark> : <span key={i}>{s.text}</span>,
                )
              }
              footer={(row) => (
                <p className="search-finding-foot">
                  <span>Reporting year {row.reporting_year}</span>{' '}
                  <FindingLetterLink finding={row} params={params} />
                </p>
              )}
            />
          </section>
        </>
      )}
    </div>
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
