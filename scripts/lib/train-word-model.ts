/**
 * Trains the word model (`src/core/pipeline/word-model.ts`): one logistic regression per theme
 * over the findings' features, with an L2 penalty, by full-batch Adam for a fixed number of
 * epochs from zero weights. The findings' order, the settings and the arithmetic fix the result:
 * training twice on the same findings gives the same file.
 */
import { featuresOf, type WordModelFile } from '@/core/pipeline/word-model';
import { lemmasOf } from '@/core/pipeline/tag-themes';

export interface WordModelSettings {
  /** L2 penalty on the weights (not the bias), divided by the number of findings. */
  l2: number;
  epochs: number;
  learningRate: number;
  /** A feature is learnt only if at least this many findings have it. */
  minCount: number;
  /** Weights smaller than this (in size) are left out of the file. */
  prunedBelow: number;
}

/** Chosen by training without each fresh batch and scoring the tagger on it (docs/tagger.md). */
export const WORD_MODEL_SETTINGS: WordModelSettings = {
  l2: 0.3,
  epochs: 300,
  learningRate: 0.05,
  minCount: 2,
  prunedBelow: 0.3,
};

const round = (x: number): number => Math.round(x * 1000) / 1000;

/** Weights for every theme of `themeIds`, learnt from `findings`. */
export function trainWordModel(
  findings: readonly { text: string; themes: readonly string[] }[],
  themeIds: readonly string[],
  settings: WordModelSettings,
  about: { version: string; taxonomyVersion: string; sources: string[]; about?: string },
): WordModelFile {
  const keys = findings.map((f) => featuresOf(lemmasOf(f.text).lemmas).map((x) => x.key));
  const counts = new Map<string, number>();
  for (const list of keys) for (const k of list) counts.set(k, (counts.get(k) ?? 0) + 1);
  const vocabulary: string[] = [];
  const column = new Map<string, number>();
  for (const [k, n] of counts) {
    if (n < settings.minCount) continue;
    column.set(k, vocabulary.length);
    vocabulary.push(k);
  }
  const rows = keys.map((list) =>
    Int32Array.from(list.flatMap((k) => (column.has(k) ? [column.get(k) as number] : []))),
  );
  const n = findings.length;
  const size = vocabulary.length + 1; // the last is the bias
  const bias: number[] = [];
  const weights = new Map<string, number[]>();

  themeIds.forEach((themeId, t) => {
    const y = findings.map((f) => (f.themes.includes(themeId) ? 1 : 0));
    const w = new Float64Array(size);
    const m = new Float64Array(size);
    const v = new Float64Array(size);
    const g = new Float64Array(size);
    for (let epoch = 1; epoch <= settings.epochs; epoch += 1) {
      g.fill(0);
      for (let i = 0; i < n; i += 1) {
        const row = rows[i] as Int32Array;
        let z = w[size - 1] as number;
        for (const j of row) z += w[j] as number;
        const d = 1 / (1 + Math.exp(-z)) - (y[i] as number);
        for (const j of row) g[j] = (g[j] as number) + d;
        g[size - 1] = (g[size - 1] as number) + d;
      }
      const c1 = 1 - 0.9 ** epoch;
      const c2 = 1 - 0.999 ** epoch;
      for (let j = 0; j < size; j += 1) {
        const grad =
          (g[j] as number) / n + (j < size - 1 ? (settings.l2 / n) * (w[j] as number) : 0);
        m[j] = 0.9 * (m[j] as number) + 0.1 * grad;
        v[j] = 0.999 * (v[j] as number) + 0.001 * grad * grad;
        w[j] =
          (w[j] as number) -
          (settings.learningRate * ((m[j] as number) / c1)) /
            (Math.sqrt((v[j] as number) / c2) + 1e-8);
      }
    }
    bias.push(round(w[size - 1] as number));
    vocabulary.forEach((k, j) => {
      const value = round(w[j] as number);
      if (Math.abs(value) < settings.prunedBelow) return;
      const list = weights.get(k) ?? [];
      list.push(t, value);
      weights.set(k, list);
    });
  });

  return {
    version: about.version,
    ...(about.about ? { about: about.about } : {}),
    taxonomyVersion: about.taxonomyVersion,
    trainedOn: { findings: n, sources: about.sources },
    settings: { ...settings },
    themes: [...themeIds],
    bias,
    weights: Object.fromEntries([...weights].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
  };
}
