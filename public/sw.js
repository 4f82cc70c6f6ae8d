/*
 * The dashboard's service worker: a second visit starts from this browser's cache, and works with
 * no network at all once a first visit has loaded the page (and the views' code, which the page
 * fetches once its data engine is up). Built files under assets/ carry a hash of their content in
 * their names, so they are answered from the cache and never asked for again (but for the
 * engine's WebAssembly, below); the page itself and the data are asked of the network first, so
 * that a new build or new data is seen as soon as it is published, and come from the cache when
 * the network fails.
 */
const CACHE = 'front-door-dashboard-v1';

self.addEventListener('install', () => {
  void self.skipWaiting();
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) if (name !== CACHE) await caches.delete(name);
      await self.clients.claim();
    })(),
  );
});

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(request, { ignoreVary: true });
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok && response.status === 200) await cache.put(request, response.clone());
  return response;
}

async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok && response.status === 200) await cache.put(request, response.clone());
    return response;
  } catch (error) {
    const hit =
      (await cache.match(request, { ignoreVary: true })) ??
      (await cache.match(request, { ignoreSearch: true, ignoreVary: true }));
    if (hit) return hit;
    throw error;
  }
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET' || request.headers.has('range')) return;
  const url = new URL(request.url);
  const scope = new URL(self.registration.scope);
  if (url.origin !== scope.origin || !url.pathname.startsWith(scope.pathname)) return;
  const built = url.pathname.startsWith(`${scope.pathname}assets/`);
  // The engine's WebAssembly (34 MB) is left to the browser while it is online: its HTTP cache
  // holds the file (built files may be kept for a year) with the machine code compiled from it
  // beside it, which a copy handed over by this worker would not carry, so a second visit would
  // compile it all again (about a second here). Offline, it comes from this worker's cache.
  // A browser's offline emulation need not reach a worker's navigator.onLine, so the network is
  // tried first and this worker's copy answers when it fails.
  if (built && url.pathname.endsWith('.wasm')) {
    event.respondWith(
      fetch(request).catch(async () => {
        const hit = await (await caches.open(CACHE)).match(request, { ignoreVary: true });
        return hit ?? Response.error();
      }),
    );
    return;
  }
  event.respondWith(built ? cacheFirst(request) : networkFirst(request));
});
