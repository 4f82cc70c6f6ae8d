import { AppLink } from '@/app/app-link';
import { useSearchParams, viewParams } from '@/app/url-state';
import { formatPercent } from '@/lib/format';
import { WEAK_MARK, WEAK_PRECISION, type WeakThemes } from '@/lib/theme-quality';

/** What the mark says, for its tooltip: the theme's precision on letters not tuned on. */
function markTitle(precision: number): string {
  return `Low precision: tagged right ${formatPercent(precision)} of the time on letters the tagger was not tuned on, so counts of it run high`;
}

/**
 * The mark after a weak theme's name (src/lib/theme-quality.ts), in words for screen readers,
 * with its precision in a tooltip; nothing for any other theme.
 */
export function WeakMark({ themeId, weak }: { themeId: string; weak: WeakThemes }) {
  const precision = weak.get(themeId);
  if (precision === undefined) return null;
  return (
    <span className="weak-mark" title={markTitle(precision)} data-weak-theme={themeId}>
      <span aria-hidden="true"> {WEAK_MARK}</span>
      <span className="visually-hidden"> (low precision)</span>
    </span>
  );
}

/** A theme's label followed by its {@link WeakMark}: for table cells, headings and tags. */
export function ThemeName({
  label,
  themeId,
  weak,
}: {
  label: string;
  themeId: string;
  weak: WeakThemes;
}) {
  return (
    <>
      {label}
      <WeakMark themeId={themeId} weak={weak} />
    </>
  );
}

/**
 * The line under a chart or list that says what {@link WEAK_MARK} means, naming the weak themes
 * among those shown with their precision; nothing when none of them is weak.
 */
export function WeakThemesNote({
  themes,
  weak,
}: {
  themes: readonly { theme_id: string; label: string }[];
  weak: WeakThemes;
}) {
  const params = useSearchParams();
  const seen = new Set<string>();
  const shown = themes.filter((t) => {
    if (!weak.has(t.theme_id) || seen.has(t.theme_id)) return false;
    seen.add(t.theme_id);
    return true;
  });
  if (shown.length === 0) return null;
  const one = shown.length === 1;
  return (
    <p className="weak-themes-note" data-testid="weak-themes-note">
      <span aria-hidden="true">{WEAK_MARK} </span>
      <strong>Low precision:</strong>{' '}
      {shown.map((t, i) => (
        <span key={t.theme_id}>
          {i > 0 && (i === shown.length - 1 ? ' and ' : ', ')}
          {t.label} ({formatPercent(weak.get(t.theme_id) ?? null)})
        </span>
      ))}{' '}
      {one ? 'was' : 'were'} tagged right less than {formatPercent(WEAK_PRECISION)} of the time on
      letters the tagger was not tuned on, so counts of {one ? 'it' : 'them'} run high.{' '}
      <AppLink params={viewParams('methodology', params)}>See Methodology</AppLink>.
    </p>
  );
}
