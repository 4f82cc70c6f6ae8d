import type { ParsedLetter } from '@/core/pipeline/parse-letter';
import { tagThemes } from '@/core/pipeline/tag-themes';
import type { Taxonomy } from '@/core/pipeline/taxonomy';

/** A hand-labelled finding as in tests/fixtures/gold/findings.jsonl. */
export interface GoldFindingLabel {
  source_file: string;
  section: string;
  position: number;
  text: string;
  themes: string[];
  previously_identified: boolean;
}

/** How the pipeline does against the hand-labelled gold; written to `accuracy.json`. */
export interface AccuracyReport {
  gold_findings: number;
  matched_findings: number;
  theme_precision: number;
  theme_recall: number;
  theme_f1: number;
  taxonomy_version: string;
}

/** Micro precision, recall and F1 of predicted theme sets against gold theme sets. */
export function themeScores(pairs: { gold: string[]; predicted: string[] }[]): {
  precision: number;
  recall: number;
  f1: number;
} {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const { gold, predicted } of pairs) {
    const g = new Set(gold);
    const p = new Set(predicted);
    for (const t of p)
      if (g.has(t)) tp += 1;
      else fp += 1;
    for (const t of g) if (!p.has(t)) fn += 1;
  }
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1 };
}

/**
 * Compares parsed letters with the gold: a finding matches when the letter has one at the same
 * position with the same text, section and previously-identified flag; themes are scored over
 * the matched findings' text as the pipeline tags it.
 */
export function measureAccuracy(
  letters: ParsedLetter[],
  gold: GoldFindingLabel[],
  taxonomy: Taxonomy,
): AccuracyReport {
  const bySource = new Map(letters.map((l) => [l.sourceFile, l]));
  let matched = 0;
  const pairs: { gold: string[]; predicted: string[] }[] = [];
  for (const g of gold) {
    const found = bySource.get(g.source_file)?.findings.find((f) => f.position === g.position);
    if (
      found &&
      found.text === g.text &&
      found.section === g.section &&
      found.previouslyIdentified === g.previously_identified
    )
      matched += 1;
    pairs.push({ gold: g.themes, predicted: tagThemes(g.text, taxonomy).map((t) => t.themeId) });
  }
  const scores = themeScores(pairs);
  const round = (n: number) => Math.round(n * 1000) / 1000;
  return {
    gold_findings: gold.length,
    matched_findings: matched,
    theme_precision: round(scores.precision),
    theme_recall: round(scores.recall),
    theme_f1: round(scores.f1),
    taxonomy_version: taxonomy.version,
  };
}
