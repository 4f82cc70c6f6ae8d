import { createReadStream, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.parquet': 'application/vnd.apache.parquet',
  '.svg': 'image/svg+xml',
};

/** A static server on loopback and the URL of the site on it (ending in `/`). */
export interface StaticSite {
  url: string;
  server: Server;
  close: () => Promise<void>;
}

/**
 * Serves `root` on 127.0.0.1 under `subPath` (e.g. `/some/sub/path/`) as a plain static host,
 * for the browser tests and the benchmark: files as they are, no compression (on loopback it
 * would cost more than it saves), symbolic links followed. With `noStore` (the benchmark),
 * every response says `cache-control: no-store`, so that nothing is cached between loads.
 */
export async function serveStatic(
  root: string,
  subPath = '/',
  { noStore = false }: { noStore?: boolean } = {},
): Promise<StaticSite> {
  const base = normalize(root) + sep;
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (!url.pathname.startsWith(subPath)) {
      response.writeHead(404).end('not found');
      return;
    }
    let relative = decodeURIComponent(url.pathname.slice(subPath.length));
    if (relative === '' || relative.endsWith('/')) relative += 'index.html';
    const file = normalize(join(root, relative));
    if (!file.startsWith(base)) {
      response.writeHead(403).end('forbidden');
      return;
    }
    try {
      const stat = statSync(file);
      if (!stat.isFile()) throw new Error('not a file');
      response.writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'content-length': stat.size,
        ...(noStore ? { 'cache-control': 'no-store' } : {}),
      });
      if (request.method === 'HEAD') response.end();
      else createReadStream(file).pipe(response);
    } catch {
      response.writeHead(404).end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${subPath}`,
    server,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
