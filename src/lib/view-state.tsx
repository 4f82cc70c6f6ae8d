import { createContext, useContext, useState, type ReactNode } from 'react';

/**
 * A panel's display state held in the page's query string, so that a reload, a shared link and
 * the browser's back and forward buttons keep it: whether it shows its chart or its table, and
 * how its table is sorted. Only what differs from the default is written (chart, unsorted):
 *
 * - `table=weakness-themes,coverage-by-region`: the panels (by id) showing their table;
 * - `tsort=weakness-themes.share.desc`: a panel's table sorted by a column, each panel once.
 *
 * The page's URL plumbing lives in src/app/url-state.ts; it gives the panels the parameters the
 * open view shows and a way to change them through {@link ViewStateProvider}. Without one (a
 * component rendered on its own) a panel keeps its state in itself.
 */

/** The parameter listing the panels that show their table. */
export const TABLE_PARAM = 'table';
/** The parameter holding each sorted table's column and direction. */
export const SORT_PARAM = 'tsort';

/** A panel's Chart or Table choice. */
export type PanelMode = 'chart' | 'table';

/** A table's sort: a column key and a direction. */
export interface TableSort {
  key: string;
  dir: 'asc' | 'desc';
}

/** Parameters to set (a value) or remove (`undefined`). */
export type ParamChanges = Record<string, string | undefined>;

/** What a provider gives the panels: the parameters shown and a way to change them. */
export interface ViewStateValue {
  params: URLSearchParams;
  /** Moves to the URL with these changes, as a new entry of the browser's history. */
  change: (changes: ParamChanges) => void;
}

const ViewState = createContext<ViewStateValue | null>(null);

/** Gives the panels inside it their state from (and into) the URL. */
export function ViewStateProvider({
  value,
  children,
}: {
  value: ViewStateValue;
  children: ReactNode;
}) {
  return <ViewState.Provider value={value}>{children}</ViewState.Provider>;
}

function list(value: string | null): string[] {
  return (value ?? '').split(',').filter(Boolean);
}

/** A panel id as it stands in the URL: lower case letters, digits and hyphens. */
export function panelKey(id: string): string {
  return id
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** The Chart or Table choice of a panel, as the parameters give it. */
export function panelMode(params: URLSearchParams, id: string): PanelMode {
  return list(params.get(TABLE_PARAM)).includes(panelKey(id)) ? 'table' : 'chart';
}

/** The parameter changes that set a panel's Chart or Table choice. */
export function panelModeChanges(
  params: URLSearchParams,
  id: string,
  mode: PanelMode,
): ParamChanges {
  const key = panelKey(id);
  const others = list(params.get(TABLE_PARAM)).filter((p) => p !== key);
  const next = mode === 'table' ? [...others, key] : others;
  return { [TABLE_PARAM]: next.join(',') || undefined };
}

/** A panel's table sort, as the parameters give it; null when unsorted. */
export function tableSort(params: URLSearchParams, id: string): TableSort | null {
  const key = panelKey(id);
  for (const entry of list(params.get(SORT_PARAM))) {
    const [panel, column, dir] = entry.split('.');
    if (panel === key && column) return { key: column, dir: dir === 'desc' ? 'desc' : 'asc' };
  }
  return null;
}

/** The parameter changes that sort a panel's table (or leave it unsorted: `null`). */
export function tableSortChanges(
  params: URLSearchParams,
  id: string,
  sort: TableSort | null,
): ParamChanges {
  const key = panelKey(id);
  const others = list(params.get(SORT_PARAM)).filter((entry) => entry.split('.')[0] !== key);
  const next = sort ? [...others, `${key}.${sort.key}.${sort.dir}`] : others;
  return { [SORT_PARAM]: next.join(',') || undefined };
}

/** A panel's Chart or Table choice and table sort, and how to change them. */
export interface PanelState {
  mode: PanelMode;
  setMode: (mode: PanelMode) => void;
  sort: TableSort | null;
  setSort: (sort: TableSort | null) => void;
}

/** The state of the panel `id`: in the URL under a provider, else in the component. */
export function usePanelState(id: string): PanelState {
  const shared = useContext(ViewState);
  const [own, setOwn] = useState<{ mode: PanelMode; sort: TableSort | null }>({
    mode: 'chart',
    sort: null,
  });
  if (!shared) {
    return {
      mode: own.mode,
      setMode: (mode) => setOwn((s) => ({ ...s, mode })),
      sort: own.sort,
      setSort: (sort) => setOwn((s) => ({ ...s, sort })),
    };
  }
  const { params, change } = shared;
  const mode = panelMode(params, id);
  return {
    mode,
    // Pressing the choice already shown adds no entry to the browser's history.
    setMode: (next) => {
      if (next !== mode) change(panelModeChanges(params, id, next));
    },
    sort: tableSort(params, id),
    setSort: (sort) => change(tableSortChanges(params, id, sort)),
  };
}
