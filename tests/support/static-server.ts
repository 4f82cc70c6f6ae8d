import { createServer, type Server } from 'node:http';
import { createReadStream, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import type { AddressInfo } from 'node:net';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.parquet': 'application/vnd.apache.parquet',
  '.svg': 'image/svg+xml',
};

/** A running static server and the URL of the site on it. */
export interface StaticSite {
  url: string;
  server: Server;
  close: () => Promise<void>;
}

/** Serves `root` on 127.0.0.1 under `subPath` (e.g. `/some/sub/path/`), as a static host would. */
export async function serveStatic(root: string, subPath: string): Promise<StaticSite> {
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (!url.pathname.startsWith(subPath)) {
      response.writeHead(404).end('not found');
      return;
    }
    let relative = decodeURIComponent(url.pathname.slice(subPath.length));
    if (relative === '' || relative.endsWith('/')) relative += 'index.html';
    const file = normalize(join(root, relative));
    if (!file.startsWith(normalize(root) + sep)) {
      response.writeHead(403).end('forbidden');
      return;
    }
    try {
      const stat = statSync(file);
      if (!stat.isFile()) throw new Error('not a file');
      response.writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'content-length': stat.size,
      });
      createReadStream(file).pipe(response);
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
