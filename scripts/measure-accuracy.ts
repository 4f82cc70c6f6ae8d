/**
 * `tsx scripts/measure-accuracy.ts [--out DIR]`: measures the pipeline against the hand-labelled
 * gold (tests/fixtures/gold) and writes DIR/accuracy.json for the methodology page.
 */
import { readFile, readdir, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { measureAccuracy, type GoldFindingLabel } from './lib/accuracy';
import { parseLetter } from '@/core/pipeline/parse-letter';
import { defaultTaxonomy } from '@/core/pipeline/taxonomy';

const ROOT = path.resolve(import.meta.dirname, '..');

async function main(): Promise<void> {
  const outIndex = process.argv.indexOf('--out');
  const out = outIndex >= 0 ? (process.argv[outIndex + 1] ?? 'public/data') : 'public/data';
  const gold = (await readFile(path.join(ROOT, 'tests/fixtures/gold/findings.jsonl'), 'utf8'))
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as GoldFindingLabel);
  const files = new Set(gold.map((g) => g.source_file));
  const dir = path.join(ROOT, 'data/letters');
  const names = (await readdir(dir)).filter((n) => files.has(n)).sort();
  const letters = await Promise.all(
    names.map(async (n) => parseLetter(await readFile(path.join(dir, n), 'utf8'), n)),
  );
  const report = measureAccuracy(letters, gold, defaultTaxonomy);
  await mkdir(out, { recursive: true });
  await writeFile(path.join(out, 'accuracy.json'), `${JSON.stringify(report, null, 2)}\n`);
  process.stderr.write(
    `accuracy: ${report.matched_findings}/${report.gold_findings} gold findings matched; themes P ${report.theme_precision} R ${report.theme_recall} F1 ${report.theme_f1}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `accuracy: failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
