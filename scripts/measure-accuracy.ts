/**
 * `npm run measure-accuracy [-- --out DIR]`: measures the pipeline against the hand-labelled
 * gold and writes DIR/accuracy.json for the methodology page: the seed letters' parsing, and the
 * theme tagger on the letters it was tuned on and, apart, on the letters kept back from tuning
 * (tests/fixtures/accuracy-split.json), per theme with the commonest errors.
 */
import { readFile, readdir, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import {
  measureAccuracy,
  scoreThemeSet,
  type GoldFindingLabel,
  type ThemeSetScore,
} from './lib/accuracy';
import type { FreshBatch, WordModelHoldout } from '@/core/accuracy';
import { parseLetter } from '@/core/pipeline/parse-letter';
import { isUncertain, tagThemes } from '@/core/pipeline/tag-themes';
import { defaultTaxonomy } from '@/core/pipeline/taxonomy';
import { ROOT, readSplit, sideOf, type Split } from './lib/accuracy-split';

/**
 * The findings written fresh and scored before the tagger was changed for them, with the
 * tagger's figure on them now (tuned on since).
 */
async function freshBatches(split: Split): Promise<FreshBatch[]> {
  const out: FreshBatch[] = [];
  for (const batch of split.fresh_batches ?? []) {
    const rows = (await readFile(path.join(ROOT, batch.file), 'utf8'))
      .split('\n')
      .filter((l) => l.trim())
      .slice(batch.lines[0] - 1, batch.lines[1])
      .map((l) => JSON.parse(l) as { text: string; themes: string[] });
    const now = score({ sources: [batch.file], findings: rows });
    out.push({
      source: batch.file,
      lines: batch.lines,
      findings: rows.length,
      written: batch.written,
      f1_before: batch.f1_before,
      f1_now: now.theme_f1,
    });
  }
  return out;
}

function score(side: Awaited<ReturnType<typeof sideOf>>): ThemeSetScore {
  return scoreThemeSet(
    side.sources,
    side.findings.map((f) => {
      const tags = tagThemes(f.text, defaultTaxonomy);
      return {
        gold: f.themes,
        predicted: tags.map((t) => t.themeId),
        uncertain: tags
          .filter((t) => isUncertain(t.confidence, defaultTaxonomy))
          .map((t) => t.themeId),
      };
    }),
    10,
    defaultTaxonomy.scoring.confidence?.uncertainBelow,
  );
}

/** Prints one side's figures as a table, for people. */
function print(label: string, s: ThemeSetScore): void {
  const pct = (n: number | null) => (n === null ? '   –' : n.toFixed(2).padStart(4));
  console.log(
    `\n${label}: ${s.findings} findings; themes P ${s.theme_precision} R ${s.theme_recall} F1 ${s.theme_f1}`,
  );
  console.log(`  ${'theme'.padEnd(30)} support    P     R    tp   fp   fn`);
  for (const t of s.per_theme)
    console.log(
      `  ${t.theme_id.padEnd(30)} ${String(t.support).padStart(7)} ${pct(t.precision)}  ${pct(t.recall)} ${String(t.tp).padStart(5)} ${String(t.fp).padStart(4)} ${String(t.fn).padStart(4)}`,
    );
  console.log(`  given wrongly: ${s.wrong.map((w) => `${w.theme_id} ${w.count}`).join(', ')}`);
  console.log(`  missed: ${s.missed.map((w) => `${w.theme_id} ${w.count}`).join(', ')}`);
  console.log(
    `  missed → given instead: ${s.confused.map((c) => `${c.missed} → ${c.given} ${c.count}`).join(', ')}`,
  );
  const c = s.confidence;
  if (c)
    console.log(
      `  confidence ≥ ${c.threshold}: ${c.sure.tags} tags, precision ${c.sure.precision}; below: ${c.uncertain.tags} tags, precision ${c.uncertain.precision}; uncertain left out: P ${c.sure_only.theme_precision} R ${c.sure_only.theme_recall} F1 ${c.sure_only.theme_f1}`,
    );
}

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
  const split = await readSplit();
  const tune = score(await sideOf(split.tune));
  const keptBack = score(await sideOf(split.kept_back));
  const heldOut = split.held_out ? score(await sideOf(split.held_out)) : null;
  const fresh = await freshBatches(split);
  const holdout = await readFile(path.join(ROOT, 'data/taxonomy/word-model-holdout.json'), 'utf8')
    .then((text) => JSON.parse(text) as WordModelHoldout)
    .catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return null; // not measured: the page leaves it out
      throw error;
    });
  const report = {
    ...measureAccuracy(letters, gold, defaultTaxonomy),
    tune,
    kept_back: split.kept_back_notes ? { ...keptBack, notes: split.kept_back_notes } : keptBack,
    ...(heldOut ? { held_out: heldOut } : {}),
    ...(fresh.length > 0 ? { fresh } : {}),
    ...(holdout
      ? {
          word_model: { batches: holdout.batches, before: holdout.before, after: holdout.after },
        }
      : {}),
  };
  await mkdir(out, { recursive: true });
  await writeFile(path.join(out, 'accuracy.json'), `${JSON.stringify(report, null, 2)}\n`);
  if (process.argv.includes('--report')) {
    print('Tuned on', tune);
    print('Kept back (never tuned on)', keptBack);
    if (heldOut) print("Held out (a separate author's findings, never tuned on)", heldOut);
  }
  process.stderr.write(
    `accuracy: ${report.matched_findings}/${report.gold_findings} gold findings matched; themes on letters tuned on: P ${tune.theme_precision} R ${tune.theme_recall} F1 ${tune.theme_f1}; on letters kept back: P ${keptBack.theme_precision} R ${keptBack.theme_recall} F1 ${keptBack.theme_f1}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `accuracy: failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
