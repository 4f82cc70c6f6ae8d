/**
 * Writes the saved themes in effect (saved-themes-store.ts) into the data engine's theme tables,
 * so that every view that chooses or counts themes shows them with no code of its own: a `themes`
 * row each (`user_defined`, labelled "name (yours)", group "Your themes") and a `finding_themes`
 * row (`source` `user`, the matched words as evidence) for every finding its search matches, as
 * the ingest's `--themes` writes them. The search runs in the search worker
 * (src/lib/search/search-client.ts); its tags go to the engine as Arrow, untouched by the page.
 *
 * The list is written again whenever it changes and whenever letters are added in the session
 * (their findings are searched too); the derived tables are rebuilt and the views asked again.
 * A page that opens with saved themes holds the views' queries until they are written, so that
 * no figure shows without them, and the build's precomputed answers (which lack them) stand down.
 */
import { useEffect, useSyncExternalStore } from 'react';
import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import {
  MAX_SAVED_THEMES,
  themeNameProblem,
  themeQueryProblem,
  userThemeIds,
  userThemeRows,
  type ReservedThemes,
  type SavedTheme,
} from '@/core/search/saved-themes';
import { holdQueriesUntil, query, refreshDerivedTables, withOwnConnection } from '@/lib/duckdb';
import { retirePrecomputed } from '@/lib/precomputed';
import { searchClient } from '@/lib/search/search-client';
import { onSessionLettersChanged } from '@/lib/session-ready';
import { insertUserTagsSql } from './saved-themes-sql';
import { putStoredThemesInUrl, savedThemesState, useSavedThemes } from './saved-themes-store';

/** After the name in a saved theme's label: how every view marks it as yours. */
export const YOURS_SUFFIX = ' (yours)';

/** The group saved themes are listed under in the pickers. */
export const YOUR_THEMES_GROUP = 'Your themes';

/** The page's own table of the saved themes written into the engine (id, name, search, order). */
const PAGE_THEMES = 'page_saved_themes';
const STAGE_TAGS = 'page_saved_theme_tags';
const STAGE_ROWS = 'page_saved_theme_rows';

/** A saved theme as written: its id and how many findings it matched. */
export interface AppliedTheme extends SavedTheme {
  theme_id: string;
  findings: number;
}

/** A saved theme that was not written, and why. */
export interface RefusedTheme extends SavedTheme {
  reason: string;
}

/** Where the engine stands with the saved themes. */
export type SavedThemesSync =
  | { state: 'idle' }
  | { state: 'applying' }
  | { state: 'applied'; applied: AppliedTheme[]; refused: RefusedTheme[] }
  | { state: 'failed'; message: string };

let sync: SavedThemesSync = { state: 'idle' };
const syncListeners = new Set<() => void>();

function setSync(next: SavedThemesSync): void {
  sync = next;
  document.documentElement.dataset.savedThemes = next.state;
  for (const listener of syncListeners) listener();
}

/** How writing the saved themes went, live. */
export function useSavedThemesSync(): SavedThemesSync {
  return useSyncExternalStore(
    (listener) => {
      syncListeners.add(listener);
      return () => void syncListeners.delete(listener);
    },
    () => sync,
    () => sync,
  );
}

/** The themes written now, by id (empty before any is). */
function appliedIds(): Set<string> {
  return new Set(sync.state === 'applied' ? sync.applied.map((t) => t.theme_id) : []);
}

/**
 * The data's own themes (the taxonomy's, and user-defined ones published with the data), whose
 * ids and labels a saved theme's name may not take, and the taxonomy's version.
 */
async function dataThemes(): Promise<ReservedThemes & { version: string }> {
  return withOwnConnection(async (conn) => {
    await conn.query(
      `CREATE TABLE IF NOT EXISTS ${PAGE_THEMES} (theme_id VARCHAR, name VARCHAR, query VARCHAR, theme_order INTEGER)`,
    );
    const rows = (
      await conn.query(
        `SELECT theme_id, label, taxonomy_version FROM themes
         WHERE theme_id NOT IN (SELECT theme_id FROM ${PAGE_THEMES}) ORDER BY theme_id`,
      )
    ).toArray() as { theme_id: string; label: string; taxonomy_version: string | null }[];
    return {
      ids: rows.map((r) => r.theme_id),
      labels: rows.map((r) => r.label),
      version: rows.find((r) => r.taxonomy_version)?.taxonomy_version ?? '',
    };
  });
}

/** Writes `themes` into the engine in place of those written before; returns what it came to. */
async function write(
  themes: readonly SavedTheme[],
): Promise<{ applied: AppliedTheme[]; refused: RefusedTheme[] }> {
  // The index is built (in the search worker) while the data's own themes are read.
  const preparing = themes.length > 0 ? searchClient().prepare() : null;
  preparing?.catch(() => undefined);
  const reserved = await dataThemes();
  const accepted: SavedTheme[] = [];
  const refused: RefusedTheme[] = [];
  for (const theme of themes) {
    const reason =
      accepted.length >= MAX_SAVED_THEMES
        ? `at most ${MAX_SAVED_THEMES} themes can be saved`
        : (themeNameProblem(
            theme.name,
            reserved,
            accepted.map((t) => t.name),
          ) ?? themeQueryProblem(theme.query));
    if (reason) refused.push({ ...theme, reason });
    else accepted.push(theme);
  }
  const ids = userThemeIds(accepted, new Set(reserved.ids));
  let counts: number[] = [];
  let ipc: Uint8Array | null = null;
  if (accepted.length > 0) {
    await preparing;
    const tags = await searchClient().themeTags(
      accepted.map((t, i) => ({ id: ids[i]!, query: t.query })),
    );
    counts = tags.counts;
    ipc = tags.ipc;
  }
  const rows = userThemeRows(accepted, ids, {
    labelSuffix: YOURS_SUFFIX,
    group: YOUR_THEMES_GROUP,
    taxonomyVersion: reserved.version,
  });
  await withOwnConnection(async (conn, arrow) => {
    const text = (values: string[]) => arrow.vectorFromArray(values, new arrow.Utf8());
    await conn.query(`DROP TABLE IF EXISTS ${STAGE_TAGS}`);
    await conn.query(`DROP TABLE IF EXISTS ${STAGE_ROWS}`);
    if (ipc !== null && counts.some((n) => n > 0))
      await conn.insertArrowFromIPCStream(ipc, { name: STAGE_TAGS, create: true });
    if (rows.length > 0)
      await conn.insertArrowTable(
        new arrow.Table({
          theme_id: text(rows.map((r) => r.theme_id)),
          label: text(rows.map((r) => r.label)),
          group_label: text(rows.map((r) => r.group_label)),
          description: text(rows.map((r) => r.description)),
          taxonomy_version: text(rows.map((r) => r.taxonomy_version)),
          name: text(accepted.map((t) => t.name)),
          query: text(accepted.map((t) => t.query)),
          theme_order: arrow.vectorFromArray(
            rows.map((_, i) => i + 1),
            new arrow.Int32(),
          ),
        }),
        { name: STAGE_ROWS, create: true },
      );
    try {
      await conn.query('BEGIN TRANSACTION');
      await conn.query(
        `DELETE FROM finding_themes WHERE theme_id IN (SELECT theme_id FROM ${PAGE_THEMES})`,
      );
      await conn.query(
        `DELETE FROM themes WHERE theme_id IN (SELECT theme_id FROM ${PAGE_THEMES})`,
      );
      await conn.query(`DELETE FROM ${PAGE_THEMES}`);
      if (rows.length > 0) {
        await conn.query(
          `INSERT INTO ${PAGE_THEMES} SELECT theme_id, name, query, theme_order FROM ${STAGE_ROWS}`,
        );
        await conn.query(
          `INSERT INTO themes (theme_id, label, group_label, description, taxonomy_version, user_defined)
           SELECT theme_id, label, group_label, description, taxonomy_version, true
           FROM ${STAGE_ROWS} ORDER BY theme_order`,
        );
      }
      if (ipc !== null && counts.some((n) => n > 0))
        await conn.query(insertUserTagsSql(STAGE_TAGS));
      await conn.query('COMMIT');
    } catch (error) {
      await conn.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      await conn.query(`DROP TABLE IF EXISTS ${STAGE_TAGS}`).catch(() => undefined);
      await conn.query(`DROP TABLE IF EXISTS ${STAGE_ROWS}`).catch(() => undefined);
    }
  });
  await refreshDerivedTables();
  return {
    applied: accepted.map((t, i) => ({ ...t, theme_id: ids[i]!, findings: counts[i] ?? 0 })),
    refused,
  };
}

let queue: Promise<unknown> = Promise.resolve();
/** The list last written (as JSON); null while the engine holds none of the page's themes. */
let written: string | null = null;
let queryClient: QueryClient | null = null;

/** Writes `themes` after any write under way; again only when they or the letters changed. */
function apply(themes: readonly SavedTheme[], again = false): Promise<void> {
  const run = queue.then(() => applyNow(themes, again));
  queue = run.catch(() => undefined);
  return run;
}

async function applyNow(themes: readonly SavedTheme[], again: boolean): Promise<void> {
  const key = JSON.stringify(themes);
  if (!again && key === written) return;
  // Nothing was ever written and nothing is to be: the engine is as loaded.
  if (themes.length === 0 && written === null) {
    written = key;
    setSync({ state: 'applied', applied: [], refused: [] });
    return;
  }
  setSync({ state: 'applying' });
  try {
    const outcome = await write(themes);
    written = key;
    // The build's answers describe the data without these themes.
    if (themes.length > 0) retirePrecomputed();
    setSync({ state: 'applied', ...outcome });
  } catch (error) {
    setSync({ state: 'failed', message: error instanceof Error ? error.message : String(error) });
    return;
  }
  // Not awaited: a page holding its queries for the first write must not wait on them.
  if (queryClient) {
    queryClient.removeQueries({ type: 'inactive' });
    void queryClient.invalidateQueries();
  }
}

/**
 * Before the page first renders: puts the stored themes into the URL when it has none, and when
 * any theme is in effect, retires the build's precomputed answers and starts writing the themes,
 * holding the views' queries until they are written (or for 20 s at most, should that hang).
 */
export function startSavedThemes(): void {
  const { themes } = putStoredThemesInUrl();
  if (themes.length === 0) return;
  retirePrecomputed();
  const first = apply(themes);
  holdQueriesUntil(
    Promise.race([first, new Promise<void>((resolve) => setTimeout(resolve, 20_000))]),
  );
}

/**
 * Keeps the engine's theme tables in step with the saved themes in effect: writes them whenever
 * the list (in the URL or stored) changes, and again after letters are added. Mount once.
 */
export function useSavedThemesEngine(): void {
  const client = useQueryClient();
  const { themes } = useSavedThemes();
  const key = JSON.stringify(themes);
  useEffect(() => {
    queryClient = client;
  }, [client]);
  useEffect(() => {
    void apply(JSON.parse(key) as SavedTheme[]);
  }, [key]);
  useEffect(() => onSessionLettersChanged(() => void apply(savedThemesState().themes, true)), []);
}

/**
 * The data's own themes, whose ids and labels a saved theme's name may not take: every theme in
 * the engine but the saved themes written from this page.
 */
export function useReservedThemes(): ReservedThemes | undefined {
  const sync = useSavedThemesSync();
  const themes = useQuery({
    queryKey: ['saved-themes', 'data-themes'],
    queryFn: () => query<{ theme_id: string; label: string }>('SELECT theme_id, label FROM themes'),
  });
  if (!themes.data) return undefined;
  const mine = sync.state === 'applied' ? appliedIds() : new Set<string>();
  const own = themes.data.filter((t) => !mine.has(t.theme_id));
  return { ids: own.map((t) => t.theme_id), labels: own.map((t) => t.label) };
}
