/**
 * The word model: a linear model, one logistic regression per theme, over the words of a finding
 * in dictionary form and the pairs of words that follow one another. It is trained offline on the
 * labelled findings the tagger is tuned on (`npm run train-tagger`, `scripts/train-word-model.ts`)
 * and stored in `data/taxonomy/word-model-v1.json`; `tagThemes` puts it beside the cues (see
 * `scoring.wordModel` in data/taxonomy/README.md). Cues say what a phrase means; the model
 * catches the themes a letter words in a way no cue was written for.
 *
 * Prediction is a sum of weights looked up by word, the same in Node and in the browser, with
 * nothing downloaded or learnt at run time.
 */
import { z } from 'zod';

/**
 * Words too common to say anything alone; they still count inside pairs ("not seen", "are
 * not"). Part of the model's definition: changing the list means training again.
 */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'the a an of and to in be for on that this with as by it its at or from which ' +
    'were was been have has their they there these those'
  ).split(' '),
);

/** A feature of a finding: a word, or two words in a row joined by `_`, and the words it spans. */
export interface Feature {
  key: string;
  /** Index of its first and last word in the finding. */
  first: number;
  last: number;
}

/**
 * The features of a finding from its words in dictionary form, each once (where it first
 * occurs): every word but the stop words, and every pair of neighbouring words.
 */
export function featuresOf(lemmas: readonly string[]): Feature[] {
  const seen = new Set<string>();
  const out: Feature[] = [];
  for (let i = 0; i < lemmas.length; i += 1) {
    const word = lemmas[i] as string;
    if (!STOP_WORDS.has(word) && !seen.has(word)) {
      seen.add(word);
      out.push({ key: word, first: i, last: i });
    }
    if (i + 1 < lemmas.length) {
      const pair = `${word}_${lemmas[i + 1] as string}`;
      if (!seen.has(pair)) {
        seen.add(pair);
        out.push({ key: pair, first: i, last: i + 1 });
      }
    }
  }
  return out;
}

const idSchema = z.string().regex(/^[a-z][a-z0-9_]*$/);

/** The JSON shape of `data/taxonomy/word-model-v1.json`. */
export const wordModelFileSchema = z.strictObject({
  version: z.string().min(1),
  about: z.string().optional(),
  taxonomyVersion: z.string().min(1),
  trainedOn: z.strictObject({
    findings: z.number().int().min(1),
    sources: z.array(z.string().min(1)).min(1),
  }),
  settings: z.strictObject({
    l2: z.number().min(0),
    epochs: z.number().int().min(1),
    learningRate: z.number().positive(),
    minCount: z.number().int().min(1),
    prunedBelow: z.number().min(0),
  }),
  themes: z.array(idSchema).min(1),
  bias: z.array(z.number()),
  /** Feature → its weights, flat: theme index, weight, theme index, weight, … */
  weights: z.record(z.string().min(1), z.array(z.number())),
});

export type WordModelFile = z.infer<typeof wordModelFileSchema>;

/** A word's feature number alone, and those of the pairs it begins, by the next word; -1: none. */
interface WordEntry {
  alone: number;
  next: Map<string, number> | null;
}

/** A loaded word model, for the themes in `themes` order (the taxonomy's). */
export interface WordModel {
  version: string;
  /** The taxonomy version whose themes it was trained on. */
  taxonomyVersion: string;
  themes: readonly string[];
  bias: Float64Array;
  /**
   * Every feature's weight for every theme, dense: feature f's start at f × `themes.length`
   * (a few hundred kilobytes, read in order, which is quicker than a list per feature).
   */
  weights: Float64Array;
  /** Word in dictionary form → its feature numbers; looked up without building keys. */
  words: ReadonlyMap<string, WordEntry>;
  /** Scratch for {@link probabilities}: the pass in which each feature was last counted. */
  counted: Int32Array;
  pass: { n: number };
  /** Scratch: a word's entry by its number (`Lemma.id`), null where the model has none. */
  byLemma: (WordEntry | null | undefined)[];
}

/** Validates a word-model file; the message names every problem. */
export function loadWordModel(json: unknown): WordModel {
  const parsed = wordModelFileSchema.safeParse(json);
  if (!parsed.success) {
    throw new Error(
      `word model: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`).join('; ')}`,
    );
  }
  const file = parsed.data;
  const width = file.themes.length;
  const problems: string[] = [];
  if (file.bias.length !== width) {
    problems.push(`bias has ${file.bias.length} values for ${width} themes`);
  }
  const entries = Object.entries(file.weights);
  const weights = new Float64Array(entries.length * width);
  const words = new Map<string, WordEntry>();
  const entry = (word: string): WordEntry => {
    let e = words.get(word);
    if (e === undefined) {
      e = { alone: -1, next: null };
      words.set(word, e);
    }
    return e;
  };
  let count = 0;
  for (const [key, flat] of entries) {
    if (flat.length % 2 !== 0) {
      problems.push(`weights.${key}: not pairs of theme index and weight`);
      continue;
    }
    const parts = key.split('_');
    if (
      parts.length > 2 ||
      parts.some((w) => w === '') ||
      (parts.length === 1 && STOP_WORDS.has(key))
    ) {
      problems.push(`weights.${key}: not a word or a pair of words`);
      continue;
    }
    const feature = count;
    let ok = true;
    for (let k = 0; k < flat.length; k += 2) {
      const index = flat[k] as number;
      if (!Number.isInteger(index) || index < 0 || index >= width) {
        problems.push(`weights.${key}: no theme ${index}`);
        ok = false;
        break;
      }
      weights[feature * width + index] = flat[k + 1] as number;
    }
    if (!ok) continue;
    count += 1;
    const [first, second] = parts as [string, string | undefined];
    if (second === undefined) entry(first).alone = feature;
    else {
      const e = entry(first);
      (e.next ??= new Map()).set(second, feature);
    }
  }
  if (problems.length > 0) throw new Error(`word model: ${problems.join('; ')}`);
  return {
    version: file.version,
    taxonomyVersion: file.taxonomyVersion,
    themes: file.themes,
    bias: Float64Array.from(file.bias),
    weights,
    words,
    counted: new Int32Array(count),
    pass: { n: 0 },
    byLemma: [],
  };
}

/** A feature of a finding that the model has weights for (its number), and the words it spans. */
export interface PresentFeature {
  feature: number;
  first: number;
  last: number;
}

/**
 * The features of a finding (as {@link featuresOf} defines them) that the model has weights for,
 * each once, where it first occurs.
 */
export function presentFeatures(model: WordModel, lemmas: readonly string[]): PresentFeature[] {
  const seen = new Set<number>();
  const out: PresentFeature[] = [];
  for (let i = 0; i < lemmas.length; i += 1) {
    const e = model.words.get(lemmas[i] as string);
    if (e === undefined) continue;
    if (e.alone >= 0 && !seen.has(e.alone)) {
      seen.add(e.alone);
      out.push({ feature: e.alone, first: i, last: i });
    }
    if (e.next !== null && i + 1 < lemmas.length) {
      const pair = e.next.get(lemmas[i + 1] as string);
      if (pair !== undefined && !seen.has(pair)) {
        seen.add(pair);
        out.push({ feature: pair, first: i, last: i + 1 });
      }
    }
  }
  return out;
}

/** Adds one feature's weights to `z`, unless this pass has counted it already. */
function addFeature(model: WordModel, z: Float64Array, feature: number, pass: number): void {
  if (model.counted[feature] === pass) return;
  model.counted[feature] = pass;
  const { weights } = model;
  const width = z.length;
  const offset = feature * width;
  for (let t = 0; t < width; t += 1) z[t] = (z[t] as number) + (weights[offset + t] as number);
}

/**
 * The model's probability for each of its themes (in `model.themes` order) for a finding's
 * words in dictionary form: the logistic of the bias plus the weights of its
 * {@link presentFeatures}, summed without making them.
 * `ids`, the words' numbers (`Lemma.id`, -1 for none), lets a word be found by number.
 */
export function probabilities(
  model: WordModel,
  lemmas: readonly string[],
  ids?: readonly number[],
): Float64Array {
  const z = model.bias.slice();
  const { pass, byLemma, words } = model;
  if (pass.n >= 0x7ffffffe) {
    model.counted.fill(0);
    pass.n = 0;
  }
  pass.n += 1;
  const n = pass.n;
  for (let i = 0; i < lemmas.length; i += 1) {
    const id = ids === undefined ? -1 : (ids[i] as number);
    let e: WordEntry | null | undefined;
    if (id >= 0) {
      e = byLemma[id];
      if (e === undefined) {
        e = words.get(lemmas[i] as string) ?? null;
        while (byLemma.length < id) byLemma.push(undefined);
        byLemma[id] = e;
      }
    } else e = words.get(lemmas[i] as string);
    if (e === undefined || e === null) continue;
    if (e.alone >= 0) addFeature(model, z, e.alone, n);
    if (e.next !== null && i + 1 < lemmas.length) {
      const pair = e.next.get(lemmas[i + 1] as string);
      if (pair !== undefined) addFeature(model, z, pair, n);
    }
  }
  for (let t = 0; t < z.length; t += 1) z[t] = 1 / (1 + Math.exp(-(z[t] as number)));
  return z;
}

/**
 * The features that weigh most for one theme in a finding, heaviest first, at most `max`, none
 * overlapping another: the words the model's tag rests on.
 */
export function heaviestFeatures(
  model: WordModel,
  features: readonly PresentFeature[],
  themeIndex: number,
  max: number,
): PresentFeature[] {
  const width = model.themes.length;
  const weighed: { feature: PresentFeature; weight: number }[] = [];
  for (const feature of features) {
    const weight = model.weights[feature.feature * width + themeIndex] as number;
    if (weight > 0) weighed.push({ feature, weight });
  }
  weighed.sort((a, b) => b.weight - a.weight || a.feature.first - b.feature.first);
  const out: PresentFeature[] = [];
  for (const { feature } of weighed) {
    if (out.some((f) => f.first <= feature.last && feature.first <= f.last)) continue;
    out.push(feature);
    if (out.length === max) break;
  }
  return out;
}
