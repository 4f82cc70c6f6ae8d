/**
 * Whether the overview prerendered into the built index.html (scripts/prerender.ts) is what this
 * page would show. It is the unfiltered overview of the published data: any other URL (another
 * view, a filter, a view's own setting) or corrections kept in this browser (which change the
 * figures) would first show it wrongly. Decided twice with the same rule: before the first paint
 * by {@link PRERENDER_GATE_SCRIPT}, an inline script whose hash the Content-Security-Policy
 * allows (vite.config.ts), so that CSS hides the markup ({@link PRERENDER_GATE_STYLE}); and by
 * the page's code (src/main.tsx), which then takes the markup over or replaces it.
 *
 * Relative imports of plain constants only: vite.config.ts reads this module.
 */
import { CORRECTIONS_STORAGE_KEY } from './corrections/storage-key';
import { SAVED_THEMES_STORAGE_KEY } from './saved-themes/storage-key';

/** The only query strings the prerendered page stands for. */
export const PRERENDERED_SEARCHES: readonly string[] = ['', '?view=overview'];

/**
 * The attribute the gate sets on `<html>` (`data-prerender="off"`) when the prerendered markup
 * must not show; the markup itself carries `data-prerendered` on `#root`.
 */
export const PRERENDER_OFF = 'data-prerender';

/**
 * Whether the prerendered overview fits this query string, the stored corrections (raw) and the
 * stored saved themes (raw; src/app/saved-themes, which count in the overview as themes).
 */
export function prerenderFits(
  search: string,
  storedCorrections: string | null,
  storedThemes: string | null = null,
): boolean {
  if (!PRERENDERED_SEARCHES.includes(search)) return false;
  if (storedThemes) return false;
  return storedCorrections === null || storedCorrections === '' || storedCorrections === '[]';
}

/** An item as localStorage holds it, or null (none, or storage refused: some private modes). */
function stored(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

/** {@link prerenderFits} for this page: its URL and what this browser keeps. */
export function prerenderFitsHere(): boolean {
  return prerenderFits(
    window.location.search,
    stored(CORRECTIONS_STORAGE_KEY),
    stored(SAVED_THEMES_STORAGE_KEY),
  );
}

/**
 * {@link prerenderFits} as a classic inline script for the page's `<head>`: marks `<html>` before
 * the body is parsed, so that no frame shows the prerendered overview where it does not fit.
 */
export const PRERENDER_GATE_SCRIPT =
  `(function(d,s,c,t){try{c=localStorage.getItem(${JSON.stringify(CORRECTIONS_STORAGE_KEY)});` +
  `t=localStorage.getItem(${JSON.stringify(SAVED_THEMES_STORAGE_KEY)})}catch(e){}` +
  `if(${JSON.stringify(PRERENDERED_SEARCHES)}.indexOf(s)<0||(c&&c!=='[]')||t)` +
  `d.setAttribute(${JSON.stringify(PRERENDER_OFF)},'off')})(document.documentElement,location.search)`;

/**
 * The prerendered page's loader of its own code. scripts/prerender.ts puts it after the markup
 * and turns the entry's `<script type="module">` and every module preload into inert
 * `<link data-modulepreload>` (the entry's marked `data-entry`): where the prerendered overview
 * shows, the loader makes them module preloads and imports the entry once the first frame has
 * been painted, so that the chart is drawn before any of the page's scripts is fetched or run (on
 * a slow link, the code would otherwise hold back the stylesheets the chart needs); anywhere else
 * (the gate said no, or a hidden tab, which paints nothing) at once.
 */
export const PRERENDER_LOADER_SCRIPT =
  `(function(d){var l=d.querySelector('link[data-entry]');if(!l)return;` +
  `function go(){d.querySelectorAll('link[data-modulepreload]').forEach(function(p){p.rel='modulepreload'});import(l.href)}` +
  `if(d.documentElement.getAttribute(${JSON.stringify(PRERENDER_OFF)})==='off'||d.visibilityState==='hidden')go();` +
  `else requestAnimationFrame(function(){setTimeout(go,0)})})(document)`;

/** Hides the prerendered markup where the gate said it does not fit; the page renders instead. */
export const PRERENDER_GATE_STYLE = `html[${PRERENDER_OFF}='off'] #root[data-prerendered]{display:none}`;
