/**
 * The ingest's worker threads (scripts/lib/parse-pool.ts): how many a run gets, the worker module
 * kept from run to run (scripts/lib/worker-bundle.ts) and pdf.js leaving the thread's built-ins
 * as they were (scripts/lib/read-pdf.ts). That pooled runs write the single thread's bytes is
 * tested in tests/pipeline/ingest-cli.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { buildCouncilMatcher } from '@/core/pipeline/match-council';
import { parseFile, type FileResult } from '../../scripts/lib/parse-file';
import { workOf, workerCount } from '../../scripts/lib/parse-pool';
import type { InputFile } from '../../scripts/lib/read-inputs';
import { bundleParseWorker, MANIFEST } from '../../scripts/lib/worker-bundle';
import { ROOT } from '../helpers/gold';

const scratch = mkdtempSync(path.join(tmpdir(), 'parse-pool-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const file = (name: string): InputFile => ({ path: name, name });

describe('worker threads for a run', () => {
  it('weighs a file by its format: PDFs and Word files as several text letters', () => {
    expect(workOf(file('a.txt'))).toBe(1);
    expect(workOf(file('a.md'))).toBe(1);
    expect(workOf(file('a.PDF'))).toBe(8);
    expect(workOf(file('letters.zip/2010/b.docx'))).toBe(8);
    expect(workOf(file('c.html'))).toBe(2);
    expect(workOf(file('d.rtf'))).toBeGreaterThan(1);
    expect(workOf(file('e.doc'))).toBe(1);
  });

  it('gives none to small runs or one core, one per spare core to big ones, at most four', () => {
    const texts = (n: number) => Array.from({ length: n }, (_, i) => file(`${i}.txt`));
    const work = (files: InputFile[]) => files.reduce((sum, f) => sum + workOf(f), 0);
    expect(workerCount(work(texts(100)), 2)).toBe(0);
    expect(workerCount(work(texts(450)), 2)).toBe(1);
    expect(workerCount(work(texts(10_000)), 1)).toBe(0);
    expect(workerCount(work(texts(10_000)), 2)).toBe(1);
    expect(workerCount(work(texts(10_000)), 16)).toBe(4);
    expect(workerCount(work(texts(1_000)), 16)).toBe(2);
    // A hundred PDFs are worth a worker where a hundred text letters are not.
    const pdfs = Array.from({ length: 100 }, (_, i) => file(`${i}.pdf`));
    expect(workerCount(work(pdfs), 2)).toBe(1);
  });
});

/** Runs one parse in a worker thread on `url`'s module, as the pool does. */
function parseInWorker(url: URL, input: InputFile): Promise<FileResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(url);
    worker.once('message', (m: { result?: FileResult; error?: string }) => {
      void worker.terminate();
      if (m.result) resolve(m.result);
      else reject(new Error(m.error ?? 'no result'));
    });
    worker.once('error', reject);
    worker.postMessage({ index: 0, file: input });
  });
}

describe('the worker module, kept from run to run', () => {
  const cache = path.join(scratch, 'cache');
  const manifestFile = path.join(cache, MANIFEST);
  const readManifest = () =>
    JSON.parse(readFileSync(manifestFile, 'utf8')) as {
      module: string;
      inputs: Record<string, string>;
    };

  it('is built once, then used again while its inputs are unchanged', async () => {
    const url = await bundleParseWorker(path.join(scratch, 'run-1'), cache);
    expect(url).not.toBeNull();
    const module = fileURLToPath(url as URL);
    expect(path.dirname(module)).toBe(cache);
    const manifest = readManifest();
    expect(path.basename(module)).toBe(manifest.module);
    // It names what it was built from: the tagger, its cues, the readers.
    for (const input of [
      'src/core/pipeline/tag-themes.ts',
      'src/core/pipeline/taxonomy.ts',
      'data/taxonomy/themes-v1.json',
      'src/core/read/registry.ts',
    ])
      expect(manifest.inputs[input]).toBe(
        createHash('sha256')
          .update(readFileSync(path.join(ROOT, input)))
          .digest('hex'),
      );
    const written = statSync(module).mtimeMs;
    const again = await bundleParseWorker(path.join(scratch, 'run-2'), cache);
    expect(again?.href).toBe(url?.href);
    expect(statSync(module).mtimeMs).toBe(written);
  });

  it('is built again when a file it was built from has changed', async () => {
    const manifest = readManifest();
    const tagger = 'src/core/pipeline/tag-themes.ts';
    // As if the tagger had been edited since: the hash on record no longer matches the file.
    writeFileSync(
      manifestFile,
      JSON.stringify({ ...manifest, inputs: { ...manifest.inputs, [tagger]: '0'.repeat(64) } }),
    );
    const url = await bundleParseWorker(path.join(scratch, 'run-3'), cache);
    expect(url).not.toBeNull();
    expect(readManifest().inputs[tagger]).toBe(manifest.inputs[tagger]);
    expect(readdirSync(cache).filter((name) => name.endsWith('.mjs'))).toEqual([manifest.module]);
  });

  it('parses a letter in a worker thread as the main thread does', async () => {
    const url = await bundleParseWorker(path.join(scratch, 'run-4'), cache);
    const letters = path.join(ROOT, 'data/letters');
    const matcher = buildCouncilMatcher();
    for (const name of readdirSync(letters).slice(0, 2)) {
      const input = { path: path.join(letters, name), name };
      expect(await parseInWorker(url as URL, input)).toEqual(await parseFile(input, matcher));
    }
  });
});

describe('reading a PDF', () => {
  it('leaves the thread with its own Array.prototype.push, JSON.parse and JSON.stringify', () => {
    // In a process of its own: pdf.js's legacy build polyfills these for the whole thread, as it
    // loads and as its worker code loads on the first document.
    const pdfDir = path.join(ROOT, 'tests/fixtures/formats/lo-pdf');
    const pdf = path.join(pdfDir, readdirSync(pdfDir).find((n) => n.endsWith('.pdf')) as string);
    const script = `
      import { readFileSync } from 'node:fs';
      const push = Array.prototype.push, parse = JSON.parse, stringify = JSON.stringify;
      const { pdfToText } = await import(${JSON.stringify(path.join(ROOT, 'scripts/lib/read-pdf.ts'))});
      const text = await pdfToText(new Uint8Array(readFileSync(${JSON.stringify(pdf)})));
      process.stdout.write(stringify({
        text: text.length,
        push: Array.prototype.push === push,
        parse: JSON.parse === parse,
        stringify: JSON.stringify === stringify,
      }));`;
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      { cwd: ROOT, encoding: 'utf8' },
    );
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({
      text: expect.any(Number),
      push: true,
      parse: true,
      stringify: true,
    });
    expect((JSON.parse(run.stdout) as { text: number }).text).toBeGreaterThan(1000);
  });
});
