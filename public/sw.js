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

/**
 * This worker's copy of a request's file, if it holds one. Stored answers are matched whatever
 * their Vary header says (Chromium 150 matched none of them otherwise); `ignoreSearch` also takes
 * the page under another query string.
 */
function cachedCopy(cache, request, { ignoreSearch = false } = {}) {
  return cache.match(request, { ignoreVary: true, ignoreSearch });
}

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const hit = await cachedCopy(cache, request);
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
      (await cachedCopy(cache, request)) ??
      (await cachedCopy(cache, request, { ignoreSearch: true }));
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
  // The engine's WebAssembly (34 MB) is asked of the network first, which the browser's HTTP cache
  // answers while it holds the file (built files may be kept for a year), and is not written to
  // this worker's cache on every visit; when the network fails, this worker's copy answers. (A
  // browser's offline emulation need not reach a worker's navigator.onLine, so the worker cannot
  // leave the file to the browser while "online": Chromium 150 then found it nowhere. A copy passed
  // on by the worker may lack the machine code the HTTP cache keeps beside the file, so a second
  // visit may compile the engine again; not measured.)
  if (built && url.pathname.endsWith('.wasm')) {
    event.respondWith(
      fetch(request).catch(
        async () => (await cachedCopy(await caches.open(CACHE), request)) ?? Response.error(),
      ),
    );
    return;
  }
  event.respondWith(built ? cacheFirst(request) : networkFirst(request));
});
