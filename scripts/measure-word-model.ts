/**
 * `npm run measure-word-model [-- --grid]`: how much the word model adds on findings nobody had
 * tuned for. For each fresh batch (tests/fixtures/fresh-before-tags.jsonl: the tags the tagger gave
 * before it was changed for that batch), the model is trained on the tuning side without that
 * batch's findings and put beside those earlier tags; both are scored against the labels. Writes
 * data/taxonomy/word-model-holdout.json, which the methodology page shows. `--grid` also prints
 * the figure for other `scoring.wordModel` settings (how the settings were chosen), `--grid-replace`
 * those for the settings of a guess's replacement, `--by-batch` each batch's figure.
 */
import { readFile, writeFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { ROOT, readSplit, sideOf } from './lib/accuracy-split';
import { scoreThemeSet } from './lib/accuracy';
import { trainWordModel, WORD_MODEL_SETTINGS } from './lib/train-word-model';
import { withWordModel, type ThemeTag } from '@/core/pipeline/tag-themes';
import { loadTaxonomy, type Scoring, type Taxonomy } from '@/core/pipeline/taxonomy';

interface BeforeRow {
  file: string;
  lines: [number, number];
  tagger: string;
  text: string;
  gold: string[];
  /** The cues' tags; `evidence`, the words that gave each, lets the model ask its sentence. */
  before: { theme_id: string; confidence: number; evidence: string }[];
}

const OUT = path.join(ROOT, 'data/taxonomy/word-model-holdout.json');

async function main(): Promise<void> {
  const themesJson: unknown = JSON.parse(
    await readFile(path.join(ROOT, 'data/taxonomy/themes-v1.json'), 'utf8'),
  );
  const cuesOnly = loadTaxonomy(themesJson);
  const rows = (await readFile(path.join(ROOT, 'tests/fixtures/fresh-before-tags.jsonl'), 'utf8'))
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as BeforeRow);
  const tune = await sideOf((await readSplit()).tune);
  const batches = [...new Set(rows.map((r) => `${r.file}:${r.lines.join('-')}`))];
  const grid: NonNullable<Scoring['wordModel']>[] = [];
  const rule = cuesOnly.scoring.wordModel;
  if (!rule) throw new Error('the taxonomy has no scoring.wordModel');
  if (process.argv.includes('--grid'))
    for (const addAt of [0.5, 0.6, 0.7])
      for (const dropBelow of [0, 0.05, 0.1])
        for (const dropWhenConfidenceBelow of [0.6, 0.75, 1.01])
          grid.push({ ...rule, addAt, dropBelow, dropWhenConfidenceBelow });
  if (process.argv.includes('--grid-replace'))
    for (const replaceWeakBelow of [0.3, 0.4, 0.5, 0.6])
      for (const replaceAt of [0.1, 0.15, 0.2, 0.3, 0.4, 0.5])
        grid.push({ ...rule, replaceWeakBelow, replaceAt });

  const after: { gold: string[]; predicted: string[]; uncertain: string[] }[] = [];
  const before: { gold: string[]; predicted: string[]; uncertain: string[] }[] = [];
  const byGrid = grid.map(
    () => [] as { gold: string[]; predicted: string[]; uncertain: string[] }[],
  );
  for (const batch of batches) {
    const mine = rows.filter((r) => `${r.file}:${r.lines.join('-')}` === batch);
    const texts = new Set(mine.map((r) => r.text));
    const training = tune.findings.filter((f) => !texts.has(f.text));
    const model = trainWordModel(
      training,
      cuesOnly.themes.map((t) => t.id),
      WORD_MODEL_SETTINGS,
      { version: 'holdout', taxonomyVersion: cuesOnly.version, sources: [batch] },
    );
    const taxonomy = loadTaxonomy(themesJson, model);
    const uncertainBelow = taxonomy.scoring.confidence?.uncertainBelow ?? 0;
    for (const r of mine) {
      const tags: ThemeTag[] = r.before.map((t, i) => ({
        themeId: t.theme_id,
        rank: i + 1,
        evidence: t.evidence,
        confidence: t.confidence,
      }));
      const scored = (list: ThemeTag[]) => ({
        gold: r.gold,
        predicted: list.map((t) => t.themeId),
        uncertain: list.filter((t) => t.confidence < uncertainBelow).map((t) => t.themeId),
      });
      before.push(scored(tags));
      after.push(scored(withWordModel(r.text, tags, taxonomy)));
      grid.forEach((rule, g) => {
        const variant: Taxonomy = {
          ...taxonomy,
          scoring: { ...taxonomy.scoring, wordModel: rule },
        };
        byGrid[g]?.push(scored(withWordModel(r.text, tags, variant)));
      });
    }
    if (process.argv.includes('--by-batch')) {
      const f1 = (list: typeof after) =>
        scoreThemeSet([batch], list.slice(-mine.length), 0).theme_f1;
      process.stderr.write(`\n${batch}: ${f1(before)} -> ${f1(after)}`);
    } else process.stderr.write('.');
  }
  process.stderr.write('\n');
  const uncertainBelow = cuesOnly.scoring.confidence?.uncertainBelow;
  const sources = ['tests/fixtures/fresh-before-tags.jsonl'];
  const report = {
    about:
      'The tagger on fresh batches as it stood before it was changed for each (cues only), and the same tags with the word model trained without that batch put beside them. Made by npm run measure-word-model.',
    batches: batches.length,
    settings: WORD_MODEL_SETTINGS,
    rule: cuesOnly.scoring.wordModel,
    before: scoreThemeSet(sources, before, 10, uncertainBelow),
    after: scoreThemeSet(sources, after, 10, uncertainBelow),
  };
  for (const [g, rule] of grid.entries()) {
    const s = scoreThemeSet(sources, byGrid[g] ?? [], 0);
    console.log(
      `addAt ${rule.addAt} dropBelow ${rule.dropBelow} dropWhenConfidenceBelow ${rule.dropWhenConfidenceBelow} replaceWeakBelow ${rule.replaceWeakBelow ?? '-'} replaceAt ${rule.replaceAt ?? '-'}: P ${s.theme_precision} R ${s.theme_recall} F1 ${s.theme_f1}`,
    );
  }
  await writeFile(`${OUT}.tmp`, `${JSON.stringify(report, null, 2)}\n`);
  await rename(`${OUT}.tmp`, OUT);
  const b = report.before;
  const a = report.after;
  process.stderr.write(
    `word model on ${before.length} fresh findings (${batches.length} batches): before P ${b.theme_precision} R ${b.theme_recall} F1 ${b.theme_f1}; with the model trained without each batch P ${a.theme_precision} R ${a.theme_recall} F1 ${a.theme_f1}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `measure-word-model: failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
