import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClientProvider } from '@tanstack/react-query';
import { App } from '@/app/app';
import { loadEveryView } from '@/app/views';
import { createQueryClient } from '@/app/query-client';
import { trackQueryActivity } from '@/app/query-activity';
import { startDuckDb } from '@/lib/duckdb';
import { loadPrecomputed } from '@/lib/precomputed';
import { accuracyFileQueryOptions } from '@/lib/theme-quality';
import '@/app/app.css';

// The precomputed answers first (a few KB the overview paints from), then the engine; views
// await the same promise, and failures show in the status bar. Once the engine is up, it warms
// up in the background (src/app/warm-up.ts, a chunk of its own loaded then), and every view's
// code is loaded, so that the page works offline from then on.
void loadPrecomputed();
startDuckDb().then(
  () => {
    import('@/app/warm-up')
      .then(({ startWarmUp }) => startWarmUp())
      .catch((error: unknown) => console.error('Could not start the warm-up:', error));
    void loadEveryView();
  },
  () => undefined,
);

const queryClient = createQueryClient();
trackQueryActivity(queryClient);
// The measured accuracy (accuracy.json, a few KB), which says which themes to mark as tagged with
// low precision (src/lib/theme-quality.ts): asked for at once, so that the first chart is marked
// when it paints and every view later works offline; the methodology page reads the same answer.
void queryClient.prefetchQuery(accuracyFileQueryOptions());

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
);

// The service worker (public/sw.js) answers a second visit from this browser's cache, with or
// without a network; only the built site has one (the dev server's files change as they are
// edited). MODE, not PROD: the test suite builds the site with NODE_ENV=test.
if (import.meta.env.MODE === 'production' && 'serviceWorker' in navigator) {
  window.addEventListener('load', () => {
    navigator.serviceWorker
      .register('./sw.js')
      // Once the engine is up: what the page fetched before the worker took over goes in its
      // cache. An engine that failed to start says so in the page; nothing more to do here.
      .then(() => startDuckDb())
      .then(() => import('@/app/offline'))
      .then(({ keepForOffline }) => keepForOffline())
      .catch(() => undefined);
  });
}
