/**
 * `npm run train-tagger`: trains the tagger's word model on the tuning side of
 * tests/fixtures/accuracy-split.json (never on the findings kept back) and writes
 * data/taxonomy/word-model-v1.json. `--check` writes nothing and exits 1 if the file is not what
 * training gives now (a test runs it, so the file cannot drift from its findings).
 */
import { readFile, writeFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { ROOT, readSplit, sideOf } from './lib/accuracy-split';
import { trainWordModel, WORD_MODEL_SETTINGS } from './lib/train-word-model';
import { loadTaxonomy } from '@/core/pipeline/taxonomy';

const FILE = path.join(ROOT, 'data/taxonomy/word-model-v1.json');

async function main(): Promise<void> {
  const taxonomy = loadTaxonomy(
    JSON.parse(await readFile(path.join(ROOT, 'data/taxonomy/themes-v1.json'), 'utf8')),
  );
  const split = await readSplit();
  const tune = await sideOf(split.tune);
  const model = trainWordModel(
    tune.findings,
    taxonomy.themes.map((t) => t.id),
    WORD_MODEL_SETTINGS,
    {
      version: '1',
      taxonomyVersion: taxonomy.version,
      sources: tune.sources,
      about:
        'Made by `npm run train-tagger` (scripts/train-word-model.ts) from the tuning side of tests/fixtures/accuracy-split.json; do not edit by hand.',
    },
  );
  const text = `${JSON.stringify(model)}\n`;
  if (process.argv.includes('--check')) {
    const now = await readFile(FILE, 'utf8').catch(() => '');
    if (now !== text) {
      process.stderr.write(
        `train-tagger: ${path.relative(ROOT, FILE)} is not what training on the tuning side gives now: run npm run train-tagger\n`,
      );
      process.exit(1);
    }
    process.stderr.write(`train-tagger: ${path.relative(ROOT, FILE)} is up to date\n`);
    return;
  }
  await writeFile(`${FILE}.tmp`, text);
  await rename(`${FILE}.tmp`, FILE);
  process.stderr.write(
    `train-tagger: ${tune.findings.length} findings, ${Object.keys(model.weights).length} features, ${(text.length / 1024).toFixed(0)} KB → ${path.relative(ROOT, FILE)}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `train-tagger: failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
