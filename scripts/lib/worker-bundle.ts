import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The part of esbuild's API used here (esbuild comes with tsx, which runs these scripts). */
interface Esbuild {
  version: string;
  build(options: Record<string, unknown>): Promise<{
    outputFiles?: { text: string }[];
    metafile?: { inputs: Record<string, unknown> };
  }>;
}

interface ResolveArgs {
  path: string;
}

interface PluginBuild {
  onResolve(
    options: { filter: RegExp },
    callback: (args: ResolveArgs) => { path: string; external: boolean },
  ): void;
}

const require = createRequire(import.meta.url);
const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../..');

/**
 * Where built worker modules are kept from run to run, with the manifest that says what each was
 * built from.
 */
export const CACHE_DIR = path.join(ROOT, 'node_modules/.cache/ucra-ingest');
export const MANIFEST = 'parse-worker.json';
/** Bumped with any change to the build's options below. */
const BUILD_FORMAT = 1;
/** Modules built by other runs are removed once this old (a run still using one is long done). */
const STALE_MS = 60 * 60 * 1000;

/** What a kept module was built from: the build's key and a hash of every input file. */
interface Manifest {
  key: string;
  module: string;
  /** Input file (relative to the project) → SHA-256 of its content. */
  inputs: Record<string, string>;
}

/** esbuild as tsx resolves it, or null when it cannot be loaded. */
function loadEsbuild(): Esbuild | null {
  try {
    return createRequire(require.resolve('tsx/package.json'))('esbuild') as Esbuild;
  } catch {
    return null;
  }
}

/** The installed pdf.js a module imports (kept outside the bundle) by absolute URL. */
function pdfjsUrl(specifier: string): string {
  return pathToFileURL(require.resolve(specifier)).href;
}

/**
 * The build's key: what, beside the input files, decides the module's content (the format of
 * these options, esbuild's version, where pdf.js is installed).
 */
function buildKey(esbuild: Esbuild): string {
  return JSON.stringify([
    BUILD_FORMAT,
    esbuild.version,
    pdfjsUrl('pdfjs-dist/legacy/build/pdf.mjs'),
  ]);
}

/**
 * A file's SHA-256. Read synchronously: the main thread parses letters meanwhile and lets the
 * event loop in only between letters, so that each of the few hundred reads of the promise API
 * would wait for a letter (some 60 ms in all this way, about 6 MB).
 */
function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/**
 * The kept module, when the manifest's key is this build's and every input file is as it was
 * (same content, by hash); otherwise null.
 */
function keptModule(key: string, cacheDir: string): URL | null {
  try {
    const manifest = JSON.parse(readFileSync(path.join(cacheDir, MANIFEST), 'utf8')) as Manifest;
    if (manifest.key !== key || typeof manifest.module !== 'string') return null;
    const file = path.join(cacheDir, path.basename(manifest.module));
    statSync(file);
    for (const [input, hash] of Object.entries(manifest.inputs))
      if (sha256(path.join(ROOT, input)) !== hash) return null;
    return pathToFileURL(file);
  } catch {
    return null;
  }
}

/** Writes a file whole or not at all: to a temporary name, then renamed into place. */
async function writeAtomically(file: string, content: string): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, content);
  await rename(temporary, file);
}

/**
 * Bundles the parse worker (`parse-worker.ts` and the pipeline it imports) into one plain
 * JavaScript module, so that worker threads start without compiling TypeScript; pdf.js stays
 * outside, imported from its installed file on the first PDF. The module is kept in `cacheDir`
 * (`node_modules/.cache/ucra-ingest`) and used again while none of the files it was built from
 * has changed (each is hashed: a stale module would tag differently from the main thread); where
 * that folder cannot be written, it goes to `dir` for this run only. Returns the module's URL,
 * or null when esbuild is not at hand (the caller then falls back to tsx in each worker).
 */
export async function bundleParseWorker(
  dir: string,
  cacheDir: string = CACHE_DIR,
): Promise<URL | null> {
  const esbuild = loadEsbuild();
  if (!esbuild) return null;
  const key = buildKey(esbuild);
  const kept = keptModule(key, cacheDir);
  if (kept) return kept;
  try {
    const result = await esbuild.build({
      entryPoints: [path.join(HERE, 'parse-worker.ts')],
      tsconfig: path.join(ROOT, 'tsconfig.json'),
      absWorkingDir: ROOT,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      minify: true,
      metafile: true,
      // CommonJS packages in the bundle (iconv-lite, mammoth) require Node's own modules.
      banner: {
        js: "import { createRequire as __workerRequire } from 'node:module'; const require = __workerRequire(import.meta.url);",
      },
      write: false,
      logLevel: 'silent',
      plugins: [
        {
          name: 'installed-pdfjs',
          setup(build: PluginBuild) {
            build.onResolve({ filter: /^pdfjs-dist(\/|$)/ }, (args) => ({
              path: pdfjsUrl(args.path),
              external: true,
            }));
          },
        },
      ],
    });
    const code = result.outputFiles?.[0]?.text;
    if (code === undefined) return null;
    const inputs = Object.keys(result.metafile?.inputs ?? {});
    return (await keepModule(cacheDir, key, code, inputs)) ?? (await scratchModule(dir, code));
  } catch {
    return null;
  }
}

/** Keeps a built module for later runs; null when the cache folder cannot be written. */
async function keepModule(
  cacheDir: string,
  key: string,
  code: string,
  inputFiles: readonly string[],
): Promise<URL | null> {
  try {
    const inputs: Record<string, string> = {};
    for (const input of inputFiles) inputs[input] = sha256(path.join(ROOT, input));
    await mkdir(cacheDir, { recursive: true });
    const name = `parse-worker-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.mjs`;
    const file = path.join(cacheDir, name);
    await writeAtomically(file, code);
    const manifest: Manifest = { key, module: name, inputs };
    await writeAtomically(path.join(cacheDir, MANIFEST), `${JSON.stringify(manifest)}\n`);
    await removeStaleModules(cacheDir, name);
    return pathToFileURL(file);
  } catch {
    return null;
  }
}

/** Removes modules that earlier builds kept, once no run can still be starting workers on them. */
async function removeStaleModules(cacheDir: string, current: string): Promise<void> {
  for (const name of await readdir(cacheDir)) {
    if (name === current || name === MANIFEST) continue;
    const file = path.join(cacheDir, name);
    const info = await stat(file).catch(() => null);
    if (info && Date.now() - info.mtimeMs > STALE_MS) await rm(file, { force: true });
  }
}

/** Writes a built module into this run's scratch folder. */
async function scratchModule(dir: string, code: string): Promise<URL> {
  const file = path.join(dir, 'parse-worker.mjs');
  await writeFile(file, code);
  return pathToFileURL(file);
}
