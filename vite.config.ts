import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import {
  PRERENDER_GATE_SCRIPT,
  PRERENDER_GATE_STYLE,
  PRERENDER_LOADER_SCRIPT,
} from './src/app/prerender-gate';

/**
 * What the build leaves out of `public/`: the ingest's sets folders (`public/.tmp-data.sets`,
 * beside `public/data`: the published set, and any set being staged or left by a killed run)
 * and its half-made links. `public/data`'s files are links into the published set; they are
 * copied as the files they point at, so that `dist/data` holds exactly the published set.
 */
const LEFT_OUT = [/^\.tmp-.+\.sets$/, /^\.ingest-link-/];

/**
 * Copies a folder as Vite does, following links, without what is {@link LEFT_OUT} (nor the
 * build's own folder, should it be inside).
 */
export function copyPublic(from: string, to: string, build = to): void {
  mkdirSync(to, { recursive: true });
  for (const name of readdirSync(from)) {
    if (LEFT_OUT.some((re) => re.test(name))) continue;
    const source = path.join(from, name);
    const target = path.join(to, name);
    const info = existsSync(source) ? statSync(source) : null;
    if (info === null || source === build) continue;
    if (info.isDirectory()) copyPublic(source, target, build);
    else copyFileSync(source, target);
  }
}

/** Vite's copy of `public/` into the build, leaving out the ingest's staging (see above). */
function publicWithoutStaging(): Plugin {
  let publicDir = '';
  let outDir = '';
  return {
    name: 'public-without-ingest-staging',
    apply: 'build',
    configResolved(config) {
      publicDir = config.publicDir;
      outDir = path.resolve(config.root, config.build.outDir);
    },
    writeBundle(options) {
      if (publicDir && existsSync(publicDir)) copyPublic(publicDir, options.dir ?? outDir);
    },
  };
}

/** The CSP source that allows one inline script: the SHA-256 of its text. */
export function scriptHash(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/**
 * The built page's Content-Security-Policy: everything from its own origin only. WebAssembly
 * (DuckDB-WASM, the Snappy decoder) needs 'wasm-unsafe-eval', never 'unsafe-eval'; workers are
 * the site's own files or blob URLs; React and the charts set inline style attributes; downloads
 * are blob URLs and the favicon a data URL. Two inline scripts run, each allowed by its hash
 * (src/app/prerender-gate.ts): the prerender gate, which must act before the first paint, and the
 * prerendered page's loader of its code. The dev server injects inline scripts, so only the build
 * carries it.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  `script-src 'self' 'wasm-unsafe-eval' ${scriptHash(PRERENDER_GATE_SCRIPT)} ${scriptHash(PRERENDER_LOADER_SCRIPT)}`,
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self' blob: data:",
  "object-src 'none'",
  "base-uri 'self'",
].join('; ');

/**
 * Puts {@link CONTENT_SECURITY_POLICY} into the built index.html as a <meta http-equiv>, right
 * after the charset and before every script and stylesheet (a policy in a <meta> covers only
 * what follows it), and the prerender gate after it.
 */
function contentSecurityPolicy(): Plugin {
  return {
    name: 'content-security-policy',
    apply: 'build',
    transformIndexHtml(html) {
      const charset = /<meta charset="[^"]*"\s*\/?>/i;
      if (!charset.test(html))
        throw new Error('index.html: no <meta charset> to put the CSP after');
      // The prerender gate right after the policy, before any stylesheet or the body: the page's
      // first frame already knows whether the prerendered overview fits the URL.
      return html.replace(
        charset,
        (tag) =>
          `${tag}\n    <meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}" />` +
          `\n    <script>${PRERENDER_GATE_SCRIPT}</script>` +
          `\n    <style>${PRERENDER_GATE_STYLE}</style>`,
      );
    },
  };
}

/**
 * Apache Arrow's builders (`vectorFromArray`, `tableFromArrays`, used on the page to insert added
 * letters and corrections) test for nulls with a function compiled from a string, which the
 * Content-Security-Policy refuses ('unsafe-eval'); this gives them the same test as a closure.
 */
function arrowWithoutEval(): Plugin {
  const module = /[\\/]apache-arrow[\\/]builder[\\/]valid\.mjs$/;
  return {
    name: 'apache-arrow-without-eval',
    enforce: 'pre',
    load(id) {
      if (!module.test(id.split('?')[0]!)) return null;
      return `/** Whether a value is not one of \`nullValues\` (=== as a switch compares; NaN too). */
export function createIsValidFunction(nullValues) {
  if (!nullValues || nullValues.length <= 0) return function isValid() { return true; };
  const values = nullValues.filter((x) => x === x);
  const nan = values.length !== nullValues.length;
  return function isValid(x) {
    if (nan && x !== x) return false;
    for (let i = 0; i < values.length; i++) if (x === values[i]) return false;
    return true;
  };
}
`;
    },
  };
}

// A relative base lets the built site work from any static host under any sub-path.
export default defineConfig({
  base: './',
  plugins: [react(), publicWithoutStaging(), contentSecurityPolicy(), arrowWithoutEval()],
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 2000,
    // Copied by publicWithoutStaging instead.
    copyPublicDir: false,
    // Every built file, which the page hands to the service worker to keep (src/app/offline.ts).
    manifest: 'asset-manifest.json',
  },
  worker: { format: 'es' },
});
