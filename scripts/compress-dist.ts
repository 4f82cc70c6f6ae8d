/**
 * `tsx scripts/compress-dist.ts [DIR]` (run by `npm run build`): writes a Brotli (`.br`) and a
 * gzip (`.gz`) copy beside every file of the built site (default `dist/`) that compression makes
 * at least 10% smaller, for static hosts that serve precompressed files (nginx `gzip_static` and
 * `brotli_static`, Netlify, Cloudflare Pages, `serve`); the originals stay for the rest. Prints
 * and writes the sizes to DIR/compressed.json. Deterministic: the same files give the same bytes.
 */
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

const brotli = promisify(brotliCompress);
const gz = promisify(gzip);

/** Files smaller than this gain too little to be worth a second request path. */
const MIN_BYTES = 1024;
/** A compressed copy is kept only when it is at most this share of the original. */
const MAX_RATIO = 0.9;
/**
 * Brotli's quality by size: its best (11) is slow past a few hundred kilobytes and takes a minute
 * on the 35 MB engines; 9 and then 5 cost a few percent in size and take seconds in all.
 */
function brotliQuality(bytes: number): number {
  if (bytes < 256 * 1024) return 11;
  return bytes < 4 * 1024 * 1024 ? 9 : 5;
}
const BIG_FILE = 4 * 1024 * 1024;
/** Already compressed formats: images, fonts, archives. */
const SKIP = /\.(br|gz|png|jpe?g|gif|webp|avif|woff2?|zip)$/i;

async function* files(dir: string): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* files(full);
    else if (entry.isFile() && !SKIP.test(entry.name)) yield full;
  }
}

interface Sizes {
  file: string;
  bytes: number;
  br: number | null;
  gz: number | null;
}

async function compressOne(file: string): Promise<Sizes> {
  const bytes = await readFile(file);
  const sizes: Sizes = { file, bytes: bytes.length, br: null, gz: null };
  if (bytes.length < MIN_BYTES) return sizes;
  const [br, gzipped] = await Promise.all([
    brotli(bytes, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: brotliQuality(bytes.length),
        [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      },
    }),
    gz(bytes, { level: bytes.length > BIG_FILE ? 6 : 9 }),
  ]);
  if (br.length <= bytes.length * MAX_RATIO) {
    await writeFile(`${file}.br`, br);
    sizes.br = br.length;
  }
  if (gzipped.length <= bytes.length * MAX_RATIO) {
    // gzip's header carries no name or time here (zlib's gzip writes mtime 0): same bytes each run.
    await writeFile(`${file}.gz`, gzipped);
    sizes.gz = gzipped.length;
  }
  return sizes;
}

async function main(): Promise<void> {
  const dir = path.resolve(process.argv[2] ?? 'dist');
  if (!(await stat(dir).catch(() => null))?.isDirectory()) {
    process.stderr.write(`compress-dist: no such folder: ${dir}\n`);
    process.exit(2);
  }
  const started = performance.now();
  const list: string[] = [];
  for await (const file of files(dir)) list.push(file);
  // A few at a time: zlib's work runs on libuv's thread pool.
  const results: Sizes[] = [];
  for (let i = 0; i < list.length; i += 4)
    results.push(...(await Promise.all(list.slice(i, i + 4).map(compressOne))));
  const total = (key: 'bytes' | 'br' | 'gz') =>
    results.reduce((n, r) => n + (r[key] ?? (key === 'bytes' ? 0 : r.bytes)), 0);
  const summary = {
    files: results.length,
    bytes: total('bytes'),
    brotli_bytes: total('br'),
    gzip_bytes: total('gz'),
    seconds: Math.round(performance.now() - started) / 1000,
    largest: results
      .sort((a, b) => b.bytes - a.bytes)
      .slice(0, 8)
      .map((r) => ({ ...r, file: path.relative(dir, r.file) })),
  };
  await writeFile(path.join(dir, 'compressed.json'), `${JSON.stringify(summary, null, 2)}\n`);
  const mb = (n: number) => `${(n / 2 ** 20).toFixed(1)} MB`;
  process.stderr.write(
    `compress-dist: ${summary.files} files, ${mb(summary.bytes)} → brotli ${mb(summary.brotli_bytes)}, gzip ${mb(summary.gzip_bytes)} (${summary.seconds} s)\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `compress-dist: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
