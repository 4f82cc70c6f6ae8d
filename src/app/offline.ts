/**
 * Keeps what the page needs to start with no network in the service worker's cache
 * (public/sw.js): the page, every built file listed in `asset-manifest.json` (the views' code,
 * styles and workers) except the engine variants this browser does not use, the engine files it
 * does, and the data. The first visit fetched most of them before the worker took over, so they
 * are fetched once more here, into the cache, in the background.
 */
import { TABLE_NAMES } from '@/core/schema';
import { dataBaseUrl, parquetUrl } from '@/lib/data-config';
import { engineFiles } from '@/lib/duckdb';
import { PRECOMPUTED_FILE } from '@/lib/precomputed';
import { ACCURACY_FILE } from '@/core/accuracy';

/** The service worker's cache: the name public/sw.js uses. */
const CACHE = 'front-door-dashboard-v1';

interface ManifestEntry {
  file: string;
  css?: string[];
  assets?: string[];
}

/** Every file of the build as the manifest lists it, as URLs beside the page. */
async function builtFiles(base: URL): Promise<string[]> {
  const response = await fetch(new URL('asset-manifest.json', base)).catch(() => null);
  if (!response?.ok) return [];
  const manifest = (await response.json()) as Record<string, ManifestEntry>;
  const files = new Set<string>();
  for (const entry of Object.values(manifest))
    for (const file of [entry.file, ...(entry.css ?? []), ...(entry.assets ?? [])])
      files.add(new URL(file, base).href);
  return [...files];
}

/** Whether `url` is one of the build's own files under `assets/`, named by a hash of its content. */
function isBuiltFile(url: string, base: URL): boolean {
  return url.startsWith(new URL('assets/', base).href);
}

/** Fetches into the cache what a start with no network needs; quietly does nothing without one. */
export async function keepForOffline(): Promise<number> {
  if (!('caches' in window) || !('serviceWorker' in navigator)) return 0;
  await navigator.serviceWorker.ready;
  const base = new URL('./', document.baseURI);
  const engine = new Set(engineFiles());
  const wanted = [
    window.location.href,
    ...(await builtFiles(base)).filter((url) => !url.endsWith('.wasm') || engine.has(url)),
    ...engine,
    ...TABLE_NAMES.map(parquetUrl),
    new URL(PRECOMPUTED_FILE, dataBaseUrl()).href,
    new URL(ACCURACY_FILE, dataBaseUrl()).href,
  ].filter((url) => new URL(url).origin === window.location.origin);
  const cache = await caches.open(CACHE);
  let kept = 0;
  for (const url of new Set(wanted)) {
    if (await cache.match(url)) continue;
    try {
      // A built file (its name carries a hash of its content) is taken as the browser's HTTP cache
      // holds it: asking the server again would renew that copy and drop the machine code the
      // browser keeps beside it (the engine's WebAssembly, about a second to compile again). The
      // page and the data are asked for again.
      const response = await fetch(url, {
        cache: isBuiltFile(url, base) ? 'force-cache' : 'no-cache',
      });
      if (response.ok && response.status === 200) {
        await cache.put(url, response);
        kept += 1;
      }
    } catch {
      // Offline or refused: the next visit tries again.
    }
  }
  document.documentElement.dataset.offlineReady = 'true';
  return kept;
}
