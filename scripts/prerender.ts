/**
 * `tsx scripts/prerender.ts [DIST] [--data DIR]` (run by `npm run build` after `vite build`):
 * writes the page as it first appears, with the unfiltered overview's figures and charts, into the
 * built `index.html` (default `dist/`), so that the browser draws them before any script runs.
 * The markup is React's own render of the page (src/shell/prerender.tsx, loaded through Vite) from
 * the published data's `overview.json` and `accuracy.json` (`DIST/data/`, or `--data DIR`), and the
 * page takes it over as it stands (src/main.tsx). The head gains the overview's stylesheet (which
 * the markup needs at first paint), a preload of its code and of the two files the page reads
 * before taking over; the entry script and the module preloads become inert links, which a small
 * inline loader turns into preloads, importing the entry, once the first frame is painted. Run again, it replaces what it wrote; without an `overview.json` it
 * leaves the page without a prerender (and says so). Whether the markup fits the URL is decided
 * in the page before the first paint (src/app/prerender-gate.ts).
 */
import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { PRERENDER_LOADER_SCRIPT } from '../src/app/prerender-gate';
import { ACCURACY_FILE } from '../src/core/accuracy';
import type { PrecomputedFile } from '../src/lib/precomputed';

const ROOT = path.resolve(import.meta.dirname, '..');

/** The overview's module as the build's manifest names it. */
const OVERVIEW_MODULE = 'src/features/overview/overview-view.tsx';

/** Where the prerendered page goes and what it is marked with. */
const ROOT_ELEMENT = /<div id="root"(?:\s[^>]*)?>(?:[\s\S]*?<\/div><!--\/root-->|<\/div>)/;
const HEAD_BLOCK = /\n? *<!--prerender-->[\s\S]*?<!--\/prerender-->/;
const STYLES_BLOCK = /\n? *<!--prerender:styles-->[\s\S]*?<!--\/prerender:styles-->/;
/** A stylesheet link on a line of its own, as Vite writes them. */
const STYLESHEET = /^[ \t]*<link rel="stylesheet"[^>]*>[ \t]*\n?/gm;
/** The entry script as Vite writes it, and as the prerender preloads it instead. */
const ENTRY_SCRIPT = /<script type="module" crossorigin src="([^"]+)"><\/script>/;
const ENTRY_DEFERRED = /<link data-modulepreload crossorigin href="([^"]+)" data-entry>/;
/** A module preload as Vite writes it, and as the prerender holds it back until first paint. */
const PRELOAD = /<link rel="modulepreload" crossorigin href="([^"]+)">/g;
const DEFERRED = /<link data-modulepreload crossorigin href="([^"]+)">/g;
/**
 * Runs the page's code once the first frame is painted (src/app/prerender-gate.ts): after the
 * markup, so that the frame it waits for holds all of it.
 */
const LOADER = `<script>${PRERENDER_LOADER_SCRIPT}</script>`;

interface ManifestChunk {
  file: string;
  name?: string;
  isEntry?: boolean;
  css?: string[];
  imports?: string[];
  dynamicImports?: string[];
}

/** The chunk of the page's engine code (src/lib/duckdb.ts), as Vite names it. */
const ENGINE_CHUNK = 'duckdb';

/** What {@link prerenderSite} wrote. */
export interface Prerendered {
  /** Bytes of markup inside `#root`. */
  markupBytes: number;
  /** The data version the markup was drawn from (`data-prerendered-version`). */
  dataVersion: string;
  /** Stylesheets and module preloads added to the head, as written. */
  stylesheets: string[];
  modulePreloads: string[];
}

function escapeAttribute(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('"', '&quot;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;');
}

/**
 * The stylesheets and code the overview's chunk brings, in the order Vite's loader adds them
 * (its imports' first, depth first), then the engine's library (DuckDB-WASM's bindings and
 * Arrow, which the page imports as soon as it runs), without those the page already links.
 */
function overviewAssets(manifest: Record<string, ManifestChunk>, html: string) {
  const css: string[] = [];
  const js: string[] = [];
  const seen = new Set<string>();
  const walk = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    const chunk = manifest[key];
    if (!chunk) throw new Error(`prerender: ${key} is not in the build's manifest`);
    for (const imported of chunk.imports ?? []) walk(imported);
    js.push(chunk.file);
    css.push(...(chunk.css ?? []));
  };
  walk(OVERVIEW_MODULE);
  const entry = Object.values(manifest).find((chunk) => chunk.isEntry);
  const engine = (entry?.imports ?? [])
    .map((key) => manifest[key])
    .find((chunk) => chunk?.name === ENGINE_CHUNK);
  for (const key of engine?.dynamicImports ?? []) walk(key);
  const linked = (file: string) => html.includes(`"./${file}"`);
  return {
    css: [...new Set(css)].filter((f) => !linked(f)),
    js: [...new Set(js)].filter((f) => !linked(f)),
  };
}

/**
 * Whether the page reads its data from `./data/` beside it (src/lib/data-config.ts): not when the
 * data were given from elsewhere, nor when the build or the page names another place.
 */
function dataBesidePage(html: string, dataDir: string | undefined): boolean {
  return (
    dataDir === undefined &&
    !process.env.VITE_DATA_BASE_URL?.trim() &&
    !html.includes('name="data-base-url"')
  );
}

/** Renders the page's markup in Node through Vite, with the project's configuration. */
async function renderMarkup(file: PrecomputedFile, accuracy: unknown): Promise<string> {
  const { createServer } = await import('vite');
  const server = await createServer({
    root: ROOT,
    configFile: path.join(ROOT, 'vite.config.ts'),
    server: { middlewareMode: true, hmr: false, watch: null, ws: false },
    appType: 'custom',
    logLevel: 'error',
    optimizeDeps: { noDiscovery: true, include: [] },
  });
  try {
    const entry = (await server.ssrLoadModule('/src/shell/prerender.tsx')) as {
      renderPrerendered: (file: PrecomputedFile, accuracy: unknown) => Promise<string>;
    };
    return await entry.renderPrerendered(file, accuracy);
  } finally {
    await server.close();
  }
}

/**
 * Prerenders `dist`'s index.html from the data in `dataDir` (default `dist/data`); returns what it
 * wrote, or null when there is no `overview.json` to draw from (the page is then left, or put
 * back, without a prerender).
 */
export async function prerenderSite(
  dist: string,
  options: { dataDir?: string; log?: (line: string) => void } = {},
): Promise<Prerendered | null> {
  const log = options.log ?? (() => undefined);
  // Imported here, not above: it loads React, which the command line first sets to production.
  const { PRECOMPUTED_FILE } = await import('../src/lib/precomputed');
  const dataDir = options.dataDir ?? path.join(dist, 'data');
  const indexFile = path.join(dist, 'index.html');
  let html = await readFile(indexFile, 'utf8');
  if (!ROOT_ELEMENT.test(html)) throw new Error(`prerender: no <div id="root"> in ${indexFile}`);
  // The page as Vite wrote it: what an earlier run wrote is taken out first.
  html = html
    .replace(HEAD_BLOCK, '')
    .replace(STYLES_BLOCK, '')
    .replace(LOADER, '')
    .replace(
      ENTRY_DEFERRED,
      (_, src: string) => `<script type="module" crossorigin src="${src}"></script>`,
    )
    .replace(DEFERRED, (_, src: string) => `<link rel="modulepreload" crossorigin href="${src}">`);
  // Compressed copies of the old page would be served in place of the new one.
  for (const suffix of ['.br', '.gz']) await rm(`${indexFile}${suffix}`, { force: true });

  const precomputedFile = path.join(dataDir, PRECOMPUTED_FILE);
  if (!existsSync(precomputedFile)) {
    log(`prerender: no ${PRECOMPUTED_FILE} in ${dataDir}: ${indexFile} has no prerendered page`);
    await writeFile(indexFile, html.replace(ROOT_ELEMENT, '<div id="root"></div>'));
    return null;
  }
  const file = JSON.parse(await readFile(precomputedFile, 'utf8')) as PrecomputedFile;
  const accuracyFile = path.join(dataDir, ACCURACY_FILE);
  const accuracy: unknown = existsSync(accuracyFile)
    ? JSON.parse(await readFile(accuracyFile, 'utf8'))
    : null;
  const markup = await renderMarkup(file, accuracy);

  const manifest = JSON.parse(
    await readFile(path.join(dist, 'asset-manifest.json'), 'utf8'),
  ) as Record<string, ManifestChunk>;
  const assets = overviewAssets(manifest, html);
  // The markup's styles must be there at first paint (the page's loader then finds them linked):
  // all of them first, before any code, so that they are asked for first (a host without HTTP/2
  // answers six requests at a time).
  const styles = [...html.matchAll(STYLESHEET)].map((m) => m[0].trim());
  const ownStyles = [
    '<!--prerender:styles-->',
    ...assets.css.map((f) => `<link rel="stylesheet" crossorigin href="./${f}">`),
    '<!--/prerender:styles-->',
  ];
  const head = [
    '<!--prerender-->',
    ...assets.js.map((f) => `<link rel="modulepreload" crossorigin href="./${f}">`),
    // What the page waits for before taking the markup over, asked for with the page itself.
    ...(dataBesidePage(html, options.dataDir)
      ? [PRECOMPUTED_FILE, ...(accuracy === null ? [] : [ACCURACY_FILE])].map(
          (f) => `<link rel="preload" as="fetch" crossorigin href="./data/${f}">`,
        )
      : []),
    '<!--/prerender-->',
  ].join('\n    ');
  if (!html.includes('</head>')) throw new Error(`prerender: no </head> in ${indexFile}`);
  if (!ENTRY_SCRIPT.test(html)) throw new Error(`prerender: no entry script in ${indexFile}`);
  // The code is fetched and run by the loader once the chart has been painted: until then every
  // module preload, the entry's too, is an inert link.
  html = html
    .replace(STYLESHEET, '')
    .replace(ENTRY_SCRIPT, (_, src: string) =>
      [
        ...styles,
        ...ownStyles,
        `<link data-modulepreload crossorigin href="${src}" data-entry>`,
      ].join('\n    '),
    )
    .replace('</head>', `  ${head}\n  </head>`)
    .replace(PRELOAD, (_, src: string) => `<link data-modulepreload crossorigin href="${src}">`);
  const dataVersion = file.data_version ?? '';
  const root =
    `<div id="root" data-prerendered="overview" data-prerendered-version="${escapeAttribute(dataVersion)}">` +
    `${markup}</div><!--/root-->${LOADER}`;
  html = html.replace(ROOT_ELEMENT, () => root);
  await writeFile(indexFile, html);
  log(
    `prerender: ${indexFile}: the overview of data ${dataVersion || '(no version)'}, ${markup.length} bytes of markup`,
  );
  return {
    markupBytes: Buffer.byteLength(markup),
    dataVersion,
    stylesheets: assets.css,
    modulePreloads: assets.js,
  };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const dataAt = args.indexOf('--data');
  const dataDir = dataAt >= 0 ? args[dataAt + 1] : undefined;
  if (dataAt >= 0 && !dataDir) throw new Error('prerender: --data needs a folder');
  const rest = dataAt < 0 ? args : args.filter((_, i) => i !== dataAt && i !== dataAt + 1);
  const dist = path.resolve(rest[0] ?? 'dist');
  await prerenderSite(dist, {
    ...(dataDir ? { dataDir: path.resolve(dataDir) } : {}),
    log: (line) => process.stderr.write(`${line}\n`),
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  // React's production server renderer: the same markup as the development one, sooner.
  process.env.NODE_ENV ??= 'production';
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : error}\n`);
    process.exit(1);
  });
}
