import { writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The part of esbuild's API used here (esbuild comes with tsx, which runs these scripts). */
interface Esbuild {
  build(options: Record<string, unknown>): Promise<{ outputFiles?: { text: string }[] }>;
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

/** esbuild as tsx resolves it, or null when it cannot be loaded. */
function loadEsbuild(): Esbuild | null {
  try {
    return createRequire(require.resolve('tsx/package.json'))('esbuild') as Esbuild;
  } catch {
    return null;
  }
}

/**
 * Bundles the parse worker (`parse-worker.ts` and the pipeline it imports) into one plain
 * JavaScript module in `dir`, so that worker threads start without compiling TypeScript; pdf.js
 * stays outside, imported from its installed file on the first PDF. Returns the module's URL,
 * or null when esbuild is not at hand (the caller then falls back to tsx in each worker).
 */
export async function bundleParseWorker(dir: string): Promise<URL | null> {
  const esbuild = loadEsbuild();
  if (!esbuild) return null;
  const here = path.dirname(fileURLToPath(import.meta.url));
  try {
    const result = await esbuild.build({
      entryPoints: [path.join(here, 'parse-worker.ts')],
      tsconfig: path.join(here, '../../tsconfig.json'),
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      minify: true,
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
              path: pathToFileURL(require.resolve(args.path)).href,
              external: true,
            }));
          },
        },
      ],
    });
    const code = result.outputFiles?.[0]?.text;
    if (code === undefined) return null;
    const file = path.join(dir, 'parse-worker.mjs');
    await writeFile(file, code);
    return pathToFileURL(file);
  } catch {
    return null;
  }
}
