/**
 * The page as the build prerenders it into index.html (scripts/prerender.ts, run in Node through
 * Vite): the whole page, with the unfiltered overview drawn from the published data's precomputed
 * answers (overview.json) and measured accuracy (accuracy.json), exactly as the browser renders it
 * once it has fetched the same two files, so that the page can take the markup over (src/main.tsx).
 * Not part of the page's bundle.
 */
import { prerender } from 'react-dom/static';
import { createQueryClient } from '@/app/query-client';
import { AppRoot } from '@/shell/root';
import { findView } from '@/shell/views';
import { parseAccuracy } from '@/core/accuracy';
import { type PrecomputedFile, setPrecomputedForPrerender } from '@/lib/precomputed';
import { accuracyFileQueryOptions } from '@/lib/theme-quality';

/**
 * The page's markup (what goes inside `#root`) for the default URL, from the precomputed file and
 * the accuracy file's JSON (null when the build has none, as the page then finds none).
 */
export async function renderPrerendered(file: PrecomputedFile, accuracy: unknown): Promise<string> {
  setPrecomputedForPrerender(file);
  // Loaded first, the overview renders in the same pass (src/shell/views.ts): no Suspense fallback.
  await findView('overview').load();
  const client = createQueryClient();
  client.setQueryData(
    accuracyFileQueryOptions().queryKey,
    accuracy === null ? null : parseAccuracy(accuracy),
  );
  const errors: unknown[] = [];
  const { prelude } = await prerender(<AppRoot client={client} />, {
    // One piece: React would otherwise move a large boundary out of line, behind a script.
    progressiveChunkSize: Number.POSITIVE_INFINITY,
    // A component that cannot render here could not take the markup over either (e.g. a store
    // read with useSyncExternalStore and no getServerSnapshot): the build fails on it.
    onError: (error) => void errors.push(error),
  });
  const html = await new Response(prelude).text();
  if (errors.length > 0) {
    const [first] = errors;
    throw new Error(
      `prerender: the page did not render in full: ${first instanceof Error ? first.message : String(first)}`,
      { cause: first },
    );
  }
  if (html.includes('<script') || html.includes('<template'))
    throw new Error('prerender: the page suspended (a script or template in the markup)');
  return html;
}
