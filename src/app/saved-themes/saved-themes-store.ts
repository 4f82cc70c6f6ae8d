/**
 * The themes saved in this browser (src/core/search/saved-themes.ts): kept in localStorage and
 * carried in the URL (`mine=name:query|name:query`), so that a link shows the same figures in
 * any browser. The URL's list is the one in effect; without one, this browser's stored list is
 * (and is put into the URL). A link may bring a list other than the stored one: it is shown, and
 * becomes this browser's stored list only when the person saves, removes or imports a theme, or
 * asks to keep it.
 */
import { useMemo, useSyncExternalStore } from 'react';
import {
  decodeSavedThemes,
  encodeSavedThemes,
  parseSavedThemes,
  savedThemesFile,
  type SavedTheme,
} from '@/core/search/saved-themes';
import { hrefFor, navigate, useLiveSearch, withParams } from '@/app/url-state';
import { SAVED_THEMES_STORAGE_KEY } from './storage-key';
import { localStorageOrNull } from '@/lib/local-storage';

/** The URL parameter that carries the saved themes. */
export const MINE_PARAM = 'mine';

/** The saved themes in effect, and where they come from. */
export interface SavedThemesState {
  /** The themes counted in every view, in order. */
  themes: readonly SavedTheme[];
  /** The list came with the URL and differs from the one stored in this browser. */
  fromLink: boolean;
  /** The list stored in this browser. */
  stored: readonly SavedTheme[];
  /** What could not be read of the URL's list, in words (those themes are left out). */
  problems: readonly string[];
}

const listeners = new Set<() => void>();

const storage = localStorageOrNull;

/** The stored list as localStorage holds it, or null. */
function storedRaw(): string | null {
  try {
    return storage()?.getItem(SAVED_THEMES_STORAGE_KEY) ?? null;
  } catch {
    return null;
  }
}

/** The stored list; one that cannot be read (edited by hand, an older format) is empty. */
function parseStored(raw: string | null): SavedTheme[] {
  if (!raw) return [];
  try {
    return parseSavedThemes(JSON.parse(raw), { ids: [], labels: [] });
  } catch {
    return [];
  }
}

function sameList(a: readonly SavedTheme[], b: readonly SavedTheme[]): boolean {
  return (
    a.length === b.length && a.every((t, i) => t.name === b[i]!.name && t.query === b[i]!.query)
  );
}

let memo: { search: string; raw: string | null; state: SavedThemesState } | null = null;

/** The saved themes in effect for a query string and the stored list (memoised on both). */
function stateOf(search: string, raw: string | null): SavedThemesState {
  if (memo && memo.search === search && memo.raw === raw) return memo.state;
  const stored = parseStored(raw);
  const param = new URLSearchParams(search).get(MINE_PARAM);
  let state: SavedThemesState;
  if (param === null) state = { themes: stored, fromLink: false, stored, problems: [] };
  else {
    const { themes, problems } = decodeSavedThemes(param);
    state = { themes, fromLink: !sameList(themes, stored), stored, problems };
  }
  memo = { search, raw, state };
  return state;
}

/** The saved themes in effect now. */
export function savedThemesState(): SavedThemesState {
  return stateOf(window.location.search, storedRaw());
}

function subscribeStored(listener: () => void): () => void {
  listeners.add(listener);
  // Another tab of the same page saving themes.
  window.addEventListener('storage', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', listener);
  };
}

/** The saved themes in effect, live: re-renders when the URL or the stored list changes. */
export function useSavedThemes(): SavedThemesState {
  const search = useLiveSearch();
  const raw = useSyncExternalStore(subscribeStored, storedRaw, () => null);
  return useMemo(() => stateOf(search, raw), [search, raw]);
}

/** The URL as it is now with the saved themes' parameter set to `themes` (removed when none). */
function hrefWith(themes: readonly SavedTheme[]): string {
  return hrefFor(
    withParams(new URLSearchParams(window.location.search), {
      [MINE_PARAM]: themes.length > 0 ? encodeSavedThemes(themes) : undefined,
    }),
  );
}

/**
 * Makes `themes` the saved themes: stored in this browser and put in the URL (in place of the
 * current history entry, so that Back does not undo a save in the URL alone).
 */
export function setSavedThemes(themes: readonly SavedTheme[]): void {
  const list = themes.map((t) => ({ name: t.name.trim(), query: t.query.trim() }));
  try {
    if (list.length === 0) storage()?.removeItem(SAVED_THEMES_STORAGE_KEY);
    else storage()?.setItem(SAVED_THEMES_STORAGE_KEY, JSON.stringify(savedThemesFile(list)));
  } catch {
    // Storage full or refused: the URL still carries them for this page.
  }
  for (const listener of listeners) listener();
  navigate(hrefWith(list), { replace: true });
}

/** Shows this browser's stored themes instead of those a link brought (which are not kept). */
export function showStoredThemes(): void {
  navigate(hrefWith(parseStored(storedRaw())), { replace: true });
}

/**
 * Puts the stored themes into the URL when it carries none, so that the address shared is the
 * page as shown; returns the themes in effect. Called once before the page first renders, and
 * after any move to a URL without them.
 */
export function putStoredThemesInUrl(): SavedThemesState {
  const params = new URLSearchParams(window.location.search);
  const state = savedThemesState();
  if (!params.has(MINE_PARAM) && state.themes.length > 0)
    navigate(hrefWith(state.themes), { replace: true });
  return savedThemesState();
}
