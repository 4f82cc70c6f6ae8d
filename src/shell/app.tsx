import {
  Component,
  memo,
  Suspense,
  useCallback,
  useEffect,
  useMemo,
  useRef,
  type ReactNode,
} from 'react';
import { TABLE_NAMES } from '@/core/schema';
import { parquetHref } from '@/lib/data-config';
import { formatDate } from '@/lib/format';
import { ExportScopeContext, type ExportScope } from '@/lib/export-context';
import { useDataVersion } from '@/lib/precomputed';
import { provideLetterAdder } from '@/app/letter-adder';
import { isTypingTarget } from '@/app/typing-target';
import { AddLettersEntry } from '@/features/add-letters/add-letters-entry';
import { CorrectionsEntry } from '@/features/corrections/corrections-entry';
import { SavedThemesEntry } from '@/features/saved-themes/saved-themes-entry';
import { AppLink } from '@/app/app-link';
import { EngineStatusBar } from '@/app/engine-status';
import { DataDownloads } from '@/app/export-data';
import { FilterBar } from '@/app/filter-bar';
import {
  hrefFor,
  navigate,
  ShownSearchProvider,
  useSearchParams,
  viewParams,
} from '@/app/url-state';
import { UrlViewState } from '@/app/url-view-state';
import { useShownSearch } from '@/app/view-filters';
import { findView, VIEWS } from '@/shell/views';

// Letters a link needs can be added from any view (src/app/missing-letters.tsx): the add-letters
// feature, loaded on first use.
provideLetterAdder(() =>
  import('@/features/add-letters/add-files').then((module) => module.addLetterFiles),
);

/** The search view, and the id of its box (src/features/search/search-view.tsx). */
const SEARCH_VIEW = 'search';
const SEARCH_BOX_ID = 'search-query';

/**
 * `/`, unless the user is typing in a field, focuses the search box: in the search view at once,
 * from any other view by opening the search view with the shared filters. Returns a function that
 * tells (once) whether the last change of view came from it.
 */
function useSlashToSearch(viewId: string) {
  const slashed = useRef(false);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey) return;
      if (isTypingTarget(event.target)) return;
      event.preventDefault();
      if (viewId === SEARCH_VIEW) {
        document.getElementById(SEARCH_BOX_ID)?.focus();
        return;
      }
      slashed.current = true;
      navigate(hrefFor(viewParams(SEARCH_VIEW, new URLSearchParams(window.location.search))));
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [viewId]);
  return useCallback(() => {
    const was = slashed.current;
    slashed.current = false;
    return was;
  }, []);
}

/** Focuses the element with this id once it is in the page (a view's code may still be loading). */
function focusOnceDrawn(id: string, framesLeft = 300): void {
  const element = document.getElementById(id);
  if (element) element.focus();
  else if (framesLeft > 0) requestAnimationFrame(() => focusOnceDrawn(id, framesLeft - 1));
}

class ViewErrorBoundary extends Component<{ children: ReactNode }, { error: Error | null }> {
  override state = { error: null as Error | null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override render() {
    if (this.state.error) {
      return (
        <div className="state state-error" role="alert">
          <p className="state-title">This view could not be shown.</p>
          <p>{this.state.error.message}</p>
          <button type="button" className="button" onClick={() => window.location.reload()}>
            Reload the page
          </button>
        </div>
      );
    }
    return this.props.children;
  }
}

/** The page: header, navigation, shared filters, the current view and the data downloads. */
export function App() {
  const params = useSearchParams();
  const view = findView(params.get('view'));
  const headingRef = useRef<HTMLHeadingElement>(null);
  const previousView = useRef(view.id);

  const takeSlashed = useSlashToSearch(view.id);

  useEffect(() => {
    document.title = `${view.label} – Front-door inspections 2009-12`;
    // Moving focus tells screen-reader users that the view changed; not on first load. Reached
    // with `/`, the search view's box takes the focus instead, once the view has drawn it.
    const fromSlash = takeSlashed();
    if (previousView.current !== view.id) {
      if (view.id === SEARCH_VIEW && fromSlash) focusOnceDrawn(SEARCH_BOX_ID);
      else headingRef.current?.focus();
    }
    previousView.current = view.id;
  }, [view, takeSlashed]);

  const shownSearch = useShownSearch();
  const View = view.component;
  // The same element while the view stays: a URL change re-renders the header and filters, and
  // the view only through the parameters it shows (ShownSearchProvider).
  const viewElement = useMemo(() => <View />, [View]);
  // What the view's exports say they were made from (src/lib/export-context.ts).
  const exportScope = useMemo<ExportScope>(
    () => ({
      viewId: view.id,
      viewLabel: view.label,
      search: shownSearch,
      filterKeys: view.filters,
    }),
    [view, shownSearch],
  );
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <div className="container">
          <p className="site-title">Front-door inspections 2009-12</p>
          <p className="site-subtitle">
            Ofsted&rsquo;s unannounced inspections of contact, referral and assessment in
            children&rsquo;s social care
          </p>
          <AddLettersEntry />
          <CorrectionsEntry />
          <SavedThemesEntry />
        </div>
        <nav className="site-nav" aria-label="Views">
          <ul className="container">
            {VIEWS.map((v) => (
              <li key={v.id}>
                <AppLink
                  params={viewParams(v.id, params)}
                  aria-current={v.id === view.id ? 'page' : undefined}
                >
                  {v.label}
                </AppLink>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <div className="container">
        <FilterBar active={view.filters} />
        <EngineStatusBar />
        {/* aria-busy and data-slow are set from outside React (src/app/query-activity.ts), from
            before the page takes over its prerendered markup. data-shown-search is the query
            string the view shows (it lags the URL while a filter change's answers are due). */}
        <main id="main" tabIndex={-1} data-shown-search={shownSearch} suppressHydrationWarning>
          <h1 ref={headingRef} tabIndex={-1}>
            {view.label}
          </h1>
          <p className="view-summary">{view.summary}</p>
          <ViewErrorBoundary key={view.id}>
            <Suspense
              fallback={
                <div className="state state-loading" role="status">
                  Loading the view…
                </div>
              }
            >
              <ShownSearchProvider value={shownSearch}>
                <ExportScopeContext.Provider value={exportScope}>
                  <UrlViewState>{viewElement}</UrlViewState>
                </ExportScopeContext.Provider>
              </ShownSearchProvider>
            </Suspense>
          </ViewErrorBoundary>
        </main>
      </div>
      <SiteFooter />
    </>
  );
}

/** Which data the page shows: its version and build day, from the build's precomputed file. */
function DataVersionLine() {
  const version = useDataVersion();
  if (!version) return null;
  return (
    <p className="data-version" data-testid="data-version">
      Data version: {version.version}
      {version.builtOn && `; built ${formatDate(version.builtOn)}`}. Letters you add or correct in
      this browser are not part of it.
    </p>
  );
}

/** The data downloads: the same on every view, so a URL change does not re-render it. */
const SiteFooter = memo(function SiteFooter() {
  return (
    <footer className="site-footer">
      <div className="container">
        <h2>Download the data</h2>
        <p>
          The Parquet files behind every chart, readable with DuckDB, pandas, R or Spark:{' '}
          {TABLE_NAMES.map((table, i) => (
            <span key={table}>
              {i > 0 && ', '}
              <a href={parquetHref(table)} download>
                {table}.parquet
              </a>
            </span>
          ))}
          .
        </p>
        <DataDownloads />
        <p>
          Findings and themes are read from the letters by a program; check the evidence before
          quoting a figure.
        </p>
        <DataVersionLine />
      </div>
    </footer>
  );
});
