/**
 * Saved themes: a search saved under a name, counted beside the taxonomy's themes. The page keeps
 * them in the browser and in its URL, exports and imports them as a small JSON file, and the
 * ingest applies the same file (`--themes FILE`). Either way a saved theme becomes rows of the
 * contract's tables: a `themes` row marked `user_defined`, and a `finding_themes` row (`source`
 * `user`) for every finding its query matches, with the matched words as its evidence.
 *
 * Pure: no I/O, the same in Node, a page and a worker; light (no dictionary), so that the page
 * reads a link's themes before anything else loads. Tagging findings with them is
 * `user-theme-tags.ts`.
 */
import type { ThemeRow } from '../schema';
import { parseQuery } from './query';
import { fold } from './text';

/** The version of the saved-themes file this code reads and writes. */
export const SAVED_THEMES_VERSION = 1;

/** The most themes a file (or a page) may hold. */
export const MAX_SAVED_THEMES = 50;

/** The longest name, in characters. */
export const MAX_THEME_NAME = 80;

/** The longest query, in characters. */
export const MAX_THEME_QUERY = 500;

/** Every user-defined theme's id begins so; no taxonomy theme's does. */
export const USER_THEME_PREFIX = 'user_';

/** The `source` of a tag a saved theme gives. */
export const USER_TAG_SOURCE = 'user';

/** One saved theme: a name and the search it counts. */
export interface SavedTheme {
  name: string;
  query: string;
}

/** The saved-themes file: `{"version": 1, "themes": [{"name": …, "query": …}]}`. */
export interface SavedThemesFile {
  version: typeof SAVED_THEMES_VERSION;
  themes: SavedTheme[];
}

/** The taxonomy's themes, whose ids and labels a saved theme's name may not take. */
export interface ReservedThemes {
  ids: readonly string[];
  labels: readonly string[];
}

/** A saved-themes file that cannot be used, with the reason in plain words: nothing of it is used. */
export class SavedThemesError extends Error {
  override name = 'SavedThemesError';
}

/** Whether a theme id is a user-defined theme's. */
export function isUserThemeId(themeId: string): boolean {
  return themeId.startsWith(USER_THEME_PREFIX);
}

/** A name as names are compared: trimmed, lower case. */
function nameKey(name: string): string {
  return name.trim().toLowerCase();
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** A name or query quoted for a message: straight quotes, cut short, control characters shown. */
function quoted(text: string): string {
  // eslint-disable-next-line no-control-regex
  const shown = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ');
  return `"${shown.length > 60 ? `${shown.slice(0, 57)}…` : shown}"`;
}

/**
 * Why `name` cannot name a saved theme, or null when it can: it must have some text, at most
 * {@link MAX_THEME_NAME} characters and no control characters, and must not be (case aside) a
 * taxonomy theme's id or label nor another saved theme's name (`others`).
 */
export function themeNameProblem(
  name: string,
  reserved: ReservedThemes,
  others: readonly string[] = [],
): string | null {
  const trimmed = name.trim();
  if (trimmed === '') return 'A saved theme needs a name.';
  if (trimmed.length > MAX_THEME_NAME)
    return `The name ${quoted(trimmed)} is longer than ${MAX_THEME_NAME} characters.`;
  if (CONTROL.test(trimmed))
    return `The name ${quoted(trimmed)} holds a line break or a control character.`;
  const key = nameKey(trimmed);
  const label = reserved.labels.find((l) => nameKey(l) === key);
  if (label !== undefined)
    return `The name ${quoted(trimmed)} is taken by the taxonomy's theme ${quoted(label)}: choose another.`;
  const id = reserved.ids.find((i) => nameKey(i) === key);
  if (id !== undefined)
    return `The name ${quoted(trimmed)} is the id of the taxonomy's theme ${quoted(id)}: choose another.`;
  if (others.some((o) => nameKey(o) === key))
    return `There is already a saved theme named ${quoted(trimmed)}.`;
  return null;
}

/** Why `query` cannot be saved, or null when it can (it must be a query the search box reads). */
export function themeQueryProblem(query: string): string | null {
  const trimmed = query.trim();
  if (trimmed === '') return 'A saved theme needs a search to count.';
  if (trimmed.length > MAX_THEME_QUERY)
    return `The search is longer than ${MAX_THEME_QUERY} characters.`;
  const parsed = parseQuery(trimmed);
  return parsed.ok ? null : `The search ${quoted(trimmed)} cannot be read: ${parsed.error.message}`;
}

/**
 * Checks a list of saved themes (names and queries trimmed): the first problem, naming the theme
 * by its place and name, or null when every theme can be used.
 */
export function savedThemesProblem(
  themes: readonly SavedTheme[],
  reserved: ReservedThemes,
): string | null {
  if (themes.length > MAX_SAVED_THEMES)
    return `It holds ${themes.length} themes; at most ${MAX_SAVED_THEMES} can be saved.`;
  for (let i = 0; i < themes.length; i++) {
    const theme = themes[i]!;
    const where = `Theme ${i + 1}`;
    const name = themeNameProblem(
      theme.name,
      reserved,
      themes.slice(0, i).map((t) => t.name),
    );
    if (name) return `${where}: ${name}`;
    const query = themeQueryProblem(theme.query);
    if (query) return `${where} (${quoted(theme.name.trim())}): ${query}`;
  }
  return null;
}

/**
 * Reads a saved-themes file's parsed JSON: the themes, names and queries trimmed, or a
 * {@link SavedThemesError} with the reason (`source` names the file in it). Fields other than
 * `version`, `themes`, and each theme's `name` and `query` are refused, so that a file of another
 * kind (a corrections file, say) is never taken for one.
 */
export function parseSavedThemes(
  value: unknown,
  reserved: ReservedThemes,
  source = 'The file',
): SavedTheme[] {
  const fail = (reason: string): never => {
    throw new SavedThemesError(`${source} is not a saved-themes file that can be used: ${reason}`);
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    fail('it is not a JSON object like {"version": 1, "themes": [{"name": …, "query": …}]}.');
  const file = value as Record<string, unknown>;
  const extra = Object.keys(file).filter((k) => k !== 'version' && k !== 'themes');
  if (extra.length > 0) fail(`it has fields a saved-themes file has not (${extra.join(', ')}).`);
  if (file.version !== SAVED_THEMES_VERSION)
    fail(
      file.version === undefined
        ? `it says no "version" (this page reads version ${SAVED_THEMES_VERSION}).`
        : `its "version" is ${JSON.stringify(file.version)}; this page reads version ${SAVED_THEMES_VERSION}.`,
    );
  if (!Array.isArray(file.themes)) fail('its "themes" is not a list.');
  const themes = (file.themes as unknown[]).map((entry, i): SavedTheme => {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
      fail(`theme ${i + 1} is not an object with a "name" and a "query".`);
    const theme = entry as Record<string, unknown>;
    const unknownKeys = Object.keys(theme).filter((k) => k !== 'name' && k !== 'query');
    if (unknownKeys.length > 0)
      fail(`theme ${i + 1} has fields a saved theme has not (${unknownKeys.join(', ')}).`);
    if (typeof theme.name !== 'string') fail(`theme ${i + 1} has no "name" text.`);
    if (typeof theme.query !== 'string') fail(`theme ${i + 1} has no "query" text.`);
    return { name: (theme.name as string).trim(), query: (theme.query as string).trim() };
  });
  const problem = savedThemesProblem(themes, reserved);
  if (problem) fail(problem);
  return themes;
}

/** Reads a saved-themes file's text: as {@link parseSavedThemes}, JSON that cannot be read too. */
export function parseSavedThemesText(
  text: string,
  reserved: ReservedThemes,
  source = 'The file',
): SavedTheme[] {
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new SavedThemesError(
      `${source} is not a saved-themes file that can be used: it is not JSON (${error instanceof Error ? error.message : String(error)}).`,
    );
  }
  return parseSavedThemes(value, reserved, source);
}

/** The file that exports `themes`. */
export function savedThemesFile(themes: readonly SavedTheme[]): SavedThemesFile {
  return {
    version: SAVED_THEMES_VERSION,
    themes: themes.map((t) => ({ name: t.name, query: t.query })),
  };
}

/** `:`, `|` and `%` escaped, so that a name or a query holds them in a URL's list. */
function escapePart(text: string): string {
  return text.replace(/[%:|]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * Saved themes as one URL parameter's value: `name:query|name:query`, with `%`, `:` and `|`
 * inside a name or query escaped as `%25`, `%3A` and `%7C` (the URL encodes the rest).
 */
export function encodeSavedThemes(themes: readonly SavedTheme[]): string {
  return themes.map((t) => `${escapePart(t.name)}:${escapePart(t.query)}`).join('|');
}

/**
 * Reads {@link encodeSavedThemes}'s value: the themes that can be read, and a problem in words
 * for each that cannot (a piece without a query, a bad escape, a name used twice, a query that
 * cannot be read). Names that clash with the taxonomy are checked where the taxonomy is known.
 */
export function decodeSavedThemes(value: string): { themes: SavedTheme[]; problems: string[] } {
  const themes: SavedTheme[] = [];
  const problems: string[] = [];
  if (value.trim() === '') return { themes, problems };
  const pieces = value.split('|');
  pieces.forEach((piece, i) => {
    const where = `Saved theme ${i + 1} in the link`;
    const colon = piece.indexOf(':');
    if (colon < 0) return problems.push(`${where} has no search after its name.`);
    let name: string;
    let query: string;
    try {
      name = decodeURIComponent(piece.slice(0, colon)).trim();
      query = decodeURIComponent(piece.slice(colon + 1)).trim();
    } catch {
      return problems.push(`${where} cannot be read (a "%" not followed by two hex digits).`);
    }
    if (themes.length >= MAX_SAVED_THEMES)
      return problems.push(`${where} is one more than the ${MAX_SAVED_THEMES} a page can hold.`);
    const problem =
      themeNameProblem(
        name,
        { ids: [], labels: [] },
        themes.map((t) => t.name),
      ) ?? themeQueryProblem(query);
    if (problem) return problems.push(`${where}: ${problem}`);
    themes.push({ name, query });
  });
  return { themes, problems };
}

/** A name as an id's tail: folded, runs of other characters as `_`, at most 40 characters. */
function slugOf(name: string): string {
  const slug = fold(name)
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 40)
    .replace(/_+$/, '');
  return slug || 'theme';
}

/**
 * Each saved theme's id, in order: {@link USER_THEME_PREFIX} and its name folded to letters,
 * digits and `_` ("Domestic violence" → `user_domestic_violence`), with `_2`, `_3`… when the id is
 * in `taken` or given already. The same list and the same `taken` always give the same ids.
 */
export function userThemeIds(
  themes: readonly SavedTheme[],
  taken: ReadonlySet<string> = new Set(),
): string[] {
  const used = new Set(taken);
  return themes.map((theme) => {
    const base = `${USER_THEME_PREFIX}${slugOf(theme.name)}`;
    let id = base;
    for (let n = 2; used.has(id); n++) id = `${base}_${n}`;
    used.add(id);
    return id;
  });
}

/** How a saved theme's `themes` row reads. */
export interface UserThemeRowOptions {
  /** Put after the name in `label` (the page: " (yours)"); none by default. */
  labelSuffix?: string;
  /** The row's `group_label`. */
  group?: string;
  /** The row's `taxonomy_version`. */
  taxonomyVersion: string;
}

/** The group user-defined themes are listed under, in the files the ingest writes. */
export const USER_THEME_GROUP = 'User-defined themes';

/** The `themes` rows of saved themes (ids from {@link userThemeIds}). */
export function userThemeRows(
  themes: readonly SavedTheme[],
  ids: readonly string[],
  options: UserThemeRowOptions,
): ThemeRow[] {
  return themes.map((theme, i) => ({
    theme_id: ids[i]!,
    label: `${theme.name}${options.labelSuffix ?? ''}`,
    group_label: options.group ?? USER_THEME_GROUP,
    description: `Findings that match the search ${theme.query}`,
    taxonomy_version: options.taxonomyVersion,
    user_defined: true,
  }));
}
