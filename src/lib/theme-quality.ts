import { queryOptions, useQuery } from '@tanstack/react-query';
import { ACCURACY_FILE, parseAccuracy, type Accuracy } from '@/core/accuracy';
import { dataBaseUrl } from '@/lib/data-config';

/**
 * Themes the tagger gives too freely. `accuracy.json` (written by `npm run measure-accuracy`)
 * holds each theme's precision on hand-tagged letters kept back from tuning the tagger; a theme
 * below {@link WEAK_PRECISION} there is marked with {@link WEAK_MARK} wherever a view counts it
 * or offers it to choose, with a note saying what the mark means.
 */

/** Precision on letters not tuned on below which a theme is flagged wherever it is counted. */
export const WEAK_PRECISION = 0.7;

/** The mark after a weak theme's label. */
export const WEAK_MARK = '†';

/** The weak themes: each one's id and its precision on the letters kept back from tuning. */
export type WeakThemes = ReadonlyMap<string, number>;

/** No weak theme: before `accuracy.json` is read, or without one. */
export const NO_WEAK_THEMES: WeakThemes = new Map();

/** The themes whose kept-back precision is below {@link WEAK_PRECISION}; none without figures. */
export function weakThemesOf(accuracy: Accuracy | null | undefined): WeakThemes {
  const perTheme = accuracy?.kept_back?.per_theme ?? [];
  const weak = new Map<string, number>();
  for (const t of perTheme) {
    if (t.precision !== null && t.precision < WEAK_PRECISION) weak.set(t.theme_id, t.precision);
  }
  return weak.size > 0 ? weak : NO_WEAK_THEMES;
}

/**
 * Reads the accuracy figures written at build time beside the Parquet files, as the methodology
 * page does (src/features/methodology/methodology-queries.ts): `null` when this build has none
 * (the server answers 404); any other failure throws.
 */
export async function fetchAccuracyFile(): Promise<Accuracy | null> {
  const url = new URL(ACCURACY_FILE, dataBaseUrl()).href;
  const response = await fetch(url);
  if (response.status === 404) return null;
  if (!response.ok) {
    throw new Error(
      `Could not download ${ACCURACY_FILE}: the server answered ${response.status} ${response.statusText} (${url}).`,
    );
  }
  let json: unknown;
  try {
    json = await response.json();
  } catch {
    throw new Error(`${ACCURACY_FILE} is not valid JSON (${url}).`);
  }
  return parseAccuracy(json);
}

/**
 * Query options for the measured accuracy, under the methodology page's key (`accuracy`) and with
 * the same answer: one request a session, whoever asks first (the page asks at start).
 */
export function accuracyFileQueryOptions() {
  return queryOptions({ queryKey: ['accuracy'], queryFn: fetchAccuracyFile });
}

/**
 * The weak themes; none until `accuracy.json` has been read, and none, without a word, when it
 * is missing or cannot be read (the methodology page says so).
 */
export function useWeakThemes(): WeakThemes {
  return useQuery({ ...accuracyFileQueryOptions(), select: weakThemesOf }).data ?? NO_WEAK_THEMES;
}

/** A theme's label with {@link WEAK_MARK} after it when the theme is weak: for charts and lists. */
export function markedLabel(label: string, themeId: string, weak: WeakThemes): string {
  return weak.has(themeId) ? `${label} ${WEAK_MARK}` : label;
}

/** A theme's label as a choice in a list (an `<option>`): the mark and its meaning in words. */
export function choiceLabel(label: string, themeId: string, weak: WeakThemes): string {
  return weak.has(themeId) ? `${label} ${WEAK_MARK} (low precision)` : label;
}

/** Text with a weak theme's mark, and what follows it, taken off: the label as the data hold it. */
export function withoutWeakMark(text: string): string {
  const at = text.indexOf(` ${WEAK_MARK}`);
  return at < 0 ? text : text.slice(0, at);
}
