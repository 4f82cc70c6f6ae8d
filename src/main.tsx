import { createRoot, hydrateRoot } from 'react-dom/client';
import { AppRoot } from '@/shell/root';
import { findView, loadEveryView } from '@/shell/views';
import { createQueryClient } from '@/app/query-client';
import { trackQueryActivity } from '@/app/query-activity';
import { startNeighbourPrefetch } from '@/app/neighbour-prefetch';
import { PRERENDER_OFF, prerenderFitsHere } from '@/app/prerender-gate';
import { startSavedThemes } from '@/app/saved-themes/saved-themes-engine';
import { startDuckDb } from '@/lib/duckdb';
import { loadPrecomputed } from '@/lib/precomputed';
import { accuracyFileQueryOptions } from '@/lib/theme-quality';
import '@/app/app.css';

// The precomputed answers first (a few KB the overview paints from), then the engine; views
// await the same promise, and failures show in the status bar. Once the engine is up, it warms
// up in the background (src/shell/warm-up.ts, a chunk of its own loaded then), and every view's
// code is loaded, so that the page works offline from then on.
const precomputed = loadPrecomputed();
// Saved themes in the URL or this browser (src/app/saved-themes): written into the engine before
// any view answers, the precomputed answers (which lack them) set aside.
startSavedThemes();
const queryClient = createQueryClient();
// A page whose init script sets `__dashboardNoBackgroundWork` does none once the engine is up (no
// warm-up, no answers prepared ahead): browser tests that do not look at that work set it
// (tests/support/browser-harness.ts), as it costs a page several seconds of CPU.
const noBackgroundWork =
  (globalThis as { __dashboardNoBackgroundWork?: unknown }).__dashboardNoBackgroundWork === true;
startDuckDb().then(
  () => {
    void loadEveryView();
    if (noBackgroundWork) return;
    // The open view's answers for the filter states one click away, prepared while the engine is
    // quiet, from the end of its warm-up.
    const neighbours = startNeighbourPrefetch(queryClient);
    import('@/shell/warm-up')
      .then(({ startWarmUp }) => startWarmUp())
      .catch((error: unknown) => console.error('Could not start the warm-up:', error))
      .finally(() => neighbours.warm());
  },
  () => undefined,
);

trackQueryActivity(queryClient);
// The measured accuracy (accuracy.json, a few KB), which says which themes to mark as tagged with
// low precision (src/lib/theme-quality.ts): asked for at once, so that the first chart is marked
// when it paints and every view later works offline; the methodology page reads the same answer.
const accuracy = queryClient.prefetchQuery(accuracyFileQueryOptions());

const container = document.getElementById('root')!;
const app = <AppRoot client={queryClient} />;

/**
 * The built index.html holds the unfiltered overview, prerendered from the same overview.json and
 * accuracy.json (scripts/prerender.ts), so that it is drawn before any script runs. The page takes
 * that markup over as it stands (hydration: the same elements, nothing redrawn) once it holds what
 * the markup was drawn from: those two files, of the same data version, and the overview's code.
 * Otherwise (another URL, corrections or saved themes in this browser, other data: see
 * src/app/prerender-gate.ts) the markup is replaced.
 */
async function takeOverPrerendered(): Promise<void> {
  const [file] = await Promise.all([precomputed, accuracy, findView('overview').load()]);
  if ((file?.data_version ?? '') !== (container.dataset.prerenderedVersion ?? '')) {
    // Drawn from other data: React's first commit replaces it with the page as it should be.
    renderAfresh();
    return;
  }
  hydrateRoot(container, app, {
    // A difference from the build's markup is a bug (React then renders that part afresh).
    onRecoverableError: (error) => console.error('Taking over the prerendered page:', error),
  });
}

/**
 * Renders the page from nothing; markup still on screen stays until React's first commit, which
 * replaces it (React empties a container it renders into), so that no frame is empty.
 */
function renderAfresh(): void {
  // Markup the gate hid never shows: it goes before the attributes that hid it.
  if (document.documentElement.getAttribute(PRERENDER_OFF) === 'off') container.replaceChildren();
  delete container.dataset.prerendered;
  document.documentElement.removeAttribute(PRERENDER_OFF);
  createRoot(container).render(app);
}

if (container.dataset.prerendered !== undefined && prerenderFitsHere()) {
  takeOverPrerendered().catch((error: unknown) => {
    console.error('Could not take over the prerendered page:', error);
    renderAfresh();
  });
} else {
  renderAfresh();
}

// The service worker (public/sw.js) answers a second visit from this browser's cache, with or
// without a network; only the built site has one (the dev server's files change as they are
// edited). MODE, not PROD: the test suite builds the site with NODE_ENV=test.
if (import.meta.env.MODE === 'production' && 'serviceWorker' in navigator) {
  // Registered once the engine is up, not before: a worker that took the page over while the
  // engine starts would stand between the engine and its 34 MB WebAssembly file, copying it into
  // its cache as it streams (the first visit's `ready` was 1.40-1.49x the bare engine's, not
  // 1.2x). What the page fetched before then is fetched again, into the cache, in the background.
  // An engine that failed to start says so in the page; nothing more to do here.
  whenLoaded(() => {
    startDuckDb()
      .then(() => navigator.serviceWorker.register('./sw.js'))
      .then(() => import('@/app/offline'))
      .then(({ keepForOffline }) => keepForOffline())
      .catch(() => undefined);
  });
}

/** Calls `then` once the page's load event has fired, at once if it has. */
function whenLoaded(then: () => void): void {
  if (document.readyState === 'complete') then();
  else window.addEventListener('load', then, { once: true });
}
