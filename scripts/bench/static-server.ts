import { createReadStream, existsSync, statSync, type Stats } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
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

/** How {@link serveStatic} answers. */
export interface ServeOptions {
  /** Every response says `cache-control: no-store`: nothing is cached between loads. */
  noStore?: boolean;
  /**
   * As a static host set up for the site: files under an `assets/` folder (whose names carry a
   * hash of their content) may be kept for a year; every other file is asked for again each time
   * (`no-cache`) and answered `304 Not Modified` while its ETag holds. A precompressed copy beside
   * a file (`.br`, then `.gz`; `npm run build` writes them) is sent when the browser accepts it.
   */
  host?: boolean;
}

const ENCODINGS = [
  { name: 'br', suffix: '.br' },
  { name: 'gzip', suffix: '.gz' },
] as const;

/**
 * Serves `root` on 127.0.0.1 under `subPath` (e.g. `/some/sub/path/`) as a plain static host,
 * for the browser tests and the benchmark: files as they are, no compression (on loopback it
 * would cost more than it saves), symbolic links followed; see {@link ServeOptions} for the
 * benchmark's `noStore` and its second-visit and throttled runs' `host`.
 */
export async function serveStatic(
  root: string,
  subPath = '/',
  { noStore = false, host = false }: ServeOptions = {},
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
      const type = TYPES[extname(file)] ?? 'application/octet-stream';
      if (host) {
        serveAsHost(request, response, file, type, stat, `/${relative}`);
        return;
      }
      response.writeHead(200, {
        'content-type': type,
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

/** One file answered as {@link ServeOptions.host} says. */
function serveAsHost(
  request: IncomingMessage,
  response: ServerResponse,
  file: string,
  type: string,
  stat: Stats,
  path: string,
): void {
  const accepted = String(request.headers['accept-encoding'] ?? '');
  // Range requests (DuckDB's reads of part of a file) get the file as it is.
  const encoding = request.headers.range
    ? undefined
    : ENCODINGS.find((e) => accepted.includes(e.name) && existsSync(`${file}${e.suffix}`));
  const sent = encoding ? `${file}${encoding.suffix}` : file;
  const sentStat = encoding ? statSync(sent) : stat;
  const etag = `"${sentStat.size.toString(16)}-${Math.round(sentStat.mtimeMs).toString(16)}${encoding ? `-${encoding.name}` : ''}"`;
  const headers: Record<string, string | number> = {
    'content-type': type,
    etag,
    vary: 'accept-encoding',
    'cache-control': /(^|\/)assets\//.test(path)
      ? 'public, max-age=31536000, immutable'
      : 'no-cache',
    ...(encoding ? { 'content-encoding': encoding.name } : {}),
  };
  if (request.headers['if-none-match'] === etag) {
    response.writeHead(304, headers).end();
    return;
  }
  response.writeHead(200, { ...headers, 'content-length': sentStat.size });
  if (request.method === 'HEAD') response.end();
  else createReadStream(sent).pipe(response);
}
