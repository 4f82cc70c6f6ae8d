import type { ParsedLetter } from '@/core/pipeline/parse-letter';
import { tagThemes } from '@/core/pipeline/tag-themes';
import type { Taxonomy } from '@/core/pipeline/taxonomy';
import type { ConfidenceFigures, ThemeSetScore } from '@/core/accuracy';

export type { ThemeSetScore };

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

const round3 = (n: number) => Math.round(n * 1000) / 1000;

/** Scores predicted themes against gold over one set, with per-theme figures and a confusion list. */
export function scoreThemeSet(
  sources: string[],
  pairs: { gold: string[]; predicted: string[]; uncertain?: string[] }[],
  top = 10,
  threshold?: number,
): ThemeSetScore {
  const per = new Map<string, { support: number; tp: number; fp: number; fn: number }>();
  const at = (t: string) => per.get(t) ?? per.set(t, { support: 0, tp: 0, fp: 0, fn: 0 }).get(t)!;
  const confused = new Map<string, number>();
  for (const { gold, predicted } of pairs) {
    const g = new Set(gold);
    const p = new Set(predicted);
    for (const t of g) at(t).support += 1;
    for (const t of p)
      if (g.has(t)) at(t).tp += 1;
      else at(t).fp += 1;
    const missed = [...g].filter((t) => !p.has(t));
    const given = [...p].filter((t) => !g.has(t));
    for (const t of missed) at(t).fn += 1;
    for (const m of missed)
      for (const x of given)
        confused.set(`${m}\u0000${x}`, (confused.get(`${m}\u0000${x}`) ?? 0) + 1);
  }
  const byCount = <T extends { count: number }>(a: T, b: T, ka: string, kb: string) =>
    b.count - a.count || (ka < kb ? -1 : ka > kb ? 1 : 0);
  const list = (key: 'fp' | 'fn') =>
    [...per]
      .filter(([, v]) => v[key] > 0)
      .map(([theme_id, v]) => ({ theme_id, count: v[key] }))
      .sort((a, b) => byCount(a, b, a.theme_id, b.theme_id))
      .slice(0, top);
  const scores = themeScores(pairs);
  return {
    sources,
    findings: pairs.length,
    theme_precision: round3(scores.precision),
    theme_recall: round3(scores.recall),
    theme_f1: round3(scores.f1),
    per_theme: [...per]
      .map(([theme_id, v]) => ({
        theme_id,
        ...v,
        precision: v.tp + v.fp === 0 ? null : round3(v.tp / (v.tp + v.fp)),
        recall: v.support === 0 ? null : round3(v.tp / v.support),
      }))
      .sort((a, b) => b.support - a.support || (a.theme_id < b.theme_id ? -1 : 1)),
    wrong: list('fp'),
    missed: list('fn'),
    confused: [...confused]
      .map(([key, count]) => {
        const [missed = '', given = ''] = key.split('\u0000');
        return { missed, given, count };
      })
      .sort((a, b) => byCount(a, b, a.missed + a.given, b.missed + b.given))
      .slice(0, top),
    ...(threshold === undefined ? {} : { confidence: confidenceFigures(pairs, threshold) }),
  };
}

/** Sure tags against uncertain ones, and the micro figures without the uncertain ones. */
function confidenceFigures(
  pairs: { gold: string[]; predicted: string[]; uncertain?: string[] }[],
  threshold: number,
): ConfidenceFigures {
  const sure = { tags: 0, right: 0 };
  const uncertain = { tags: 0, right: 0 };
  for (const { gold, predicted, uncertain: doubtful = [] } of pairs)
    for (const t of new Set(predicted)) {
      const tally = doubtful.includes(t) ? uncertain : sure;
      tally.tags += 1;
      if (gold.includes(t)) tally.right += 1;
    }
  const precision = (t: { tags: number; right: number }) =>
    t.tags === 0 ? null : round3(t.right / t.tags);
  const only = themeScores(
    pairs.map((p) => ({
      gold: p.gold,
      predicted: p.predicted.filter((t) => !(p.uncertain ?? []).includes(t)),
    })),
  );
  return {
    threshold,
    sure: { ...sure, precision: precision(sure) },
    uncertain: { ...uncertain, precision: precision(uncertain) },
    sure_only: {
      theme_precision: round3(only.precision),
      theme_recall: round3(only.recall),
      theme_f1: round3(only.f1),
    },
  };
}
