import lemmatizer from 'wink-lemmatizer';
import { z } from 'zod';
import themesJson from '../../../data/taxonomy/themes-v1.json';
import plainWordsJson from '../../../data/taxonomy/plain-words.json';
import wordModelJson from '../../../data/taxonomy/word-model-v1.json';
import { loadWordModel, type WordModel } from './word-model';

// Schemas are checked without code made at run time: the page's Content-Security-Policy forbids
// that ('unsafe-eval'), and zod's test for it would be reported as a violation.
z.config({ jitless: true });

// Closed-class words that WordNet's noun rules would mangle ("does" → "doe", "as" → "a").
const LEMMA_KEEP: Readonly<Record<string, string>> = {
  as: 'as',
  does: 'do',
  has: 'have',
  is: 'be',
  its: 'its',
  us: 'us',
  was: 'be',
  this: 'this',
  thus: 'thus',
  less: 'less',
  always: 'always',
  across: 'across',
  data: 'data',
  media: 'media',
  police: 'police',
  staff: 'staff',
  news: 'news',
  series: 'series',
  ongoing: 'ongoing',
};
/**
 * Plain words the press and councils use, each with the word letters use for it
 * (data/taxonomy/plain-words.json): "kids" is "child", "bosses" "manager", "swamped" "workload".
 */
const PLAIN_WORDS: ReadonlyMap<string, string> = new Map(
  Object.entries(
    z
      .strictObject({ about: z.string(), words: z.record(z.string(), z.string()) })
      .parse(plainWordsJson).words,
  ),
);

/** A word's dictionary form, with a number that stands for that form while the process runs. */
export interface Lemma {
  form: string;
  /** The same for the same form; -1 once the cache is full (then only `form` tells). */
  id: number;
}

const lemmaCache = new Map<string, Lemma>();
/** Lemmas by the word as written, asked first: most words come again as they were. */
const writtenCache = new Map<string, Lemma>();
/** Every form met, with its number. */
const forms = new Map<string, Lemma>();
/** Bounded: a corpus has a few tens of thousands of distinct words. */
const LEMMA_CACHE_SIZE = 200_000;

/** Dictionary forms (without a possessive) by the lower-cased word, without plain words read. */
const dictionaryCache = new Map<string, string>();

/** A lower-cased word split into its stem and a possessive "'s" ("children's", "workers'"). */
function splitPossessive(lower: string): { base: string; possessive: string } {
  const possessive = lower.endsWith("'s") ? "'s" : lower.endsWith("s'") ? "'s" : '';
  const base = possessive === '' ? lower : lower.slice(0, lower.endsWith("'s") ? -2 : -1);
  return { base, possessive };
}

/** The dictionary form of a lower-cased word without a possessive: {@link lemmatise} does the rest. */
function dictionaryForm(base: string): string {
  let form = dictionaryCache.get(base);
  if (form !== undefined) return form;
  form = LEMMA_KEEP[base];
  if (form === undefined) {
    if (base.length < 3 || !/^[a-z]+$/.test(base)) form = base;
    else {
      const noun = lemmatizer.noun(base);
      const verb = noun === base ? lemmatizer.verb(base) : noun;
      form = verb === base ? lemmatizer.adjective(base) : verb;
    }
  }
  if (dictionaryCache.size < LEMMA_CACHE_SIZE) dictionaryCache.set(base, form);
  return form;
}

/**
 * A word's dictionary form, lower-cased: its noun lemma, else its verb lemma, else its adjective
 * lemma, by wink-lemmatizer (WordNet's Morphy; no part of speech, so "recording" is "record").
 * A possessive keeps its "'s": "children's" is "child's". Deterministic, offline, cached. Search
 * matches words by it; the tagger reads plain words too ({@link lemmaOf}).
 */
export function lemmatise(word: string): string {
  const { base, possessive } = splitPossessive(word.toLowerCase());
  return dictionaryForm(base) + possessive;
}

/**
 * The form the tagger reads a word as, with a number that stands for that form while the process
 * runs (for lookups by number rather than by text): its dictionary form ({@link lemmatise}), or
 * for a plain word the letters' word for it ({@link PLAIN_WORDS}: "kids" is "child").
 */
export function lemmaOf(word: string): Lemma {
  const written = writtenCache.get(word);
  if (written !== undefined) return written;
  const lower = word.toLowerCase();
  let lemma = lemmaCache.get(lower);
  if (lemma !== undefined) {
    if (writtenCache.size < LEMMA_CACHE_SIZE) writtenCache.set(word, lemma);
    return lemma;
  }
  const { base, possessive } = splitPossessive(lower);
  const dictionary = dictionaryForm(base);
  const form = (PLAIN_WORDS.get(dictionary) ?? dictionary) + possessive;
  lemma = forms.get(form);
  if (lemma === undefined) {
    lemma = { form, id: forms.size < LEMMA_CACHE_SIZE ? forms.size : -1 };
    if (lemma.id >= 0) forms.set(form, lemma);
  }
  if (lemmaCache.size < LEMMA_CACHE_SIZE) lemmaCache.set(lower, lemma);
  if (writtenCache.size < LEMMA_CACHE_SIZE) writtenCache.set(word, lemma);
  return lemma;
}

/** The 25 theme ids of taxonomy version 1, in the order of the taxonomy design document. */
export const TAXONOMY_V1_THEME_IDS = [
  'referral_response',
  'thresholds_decisions',
  'early_help_caf',
  'assessment_timeliness',
  'core_assessment_rate',
  'assessment_quality',
  'child_voice',
  'family_engagement',
  'equality_diversity',
  'child_protection_enquiries',
  'plans_outcomes',
  'management_oversight',
  'supervision',
  'quality_assurance',
  'leadership_improvement',
  'procedures_guidance',
  'staffing_capacity',
  'unallocated_cases',
  'training_development',
  'learning_from_reviews',
  'case_recording',
  'it_systems',
  'multi_agency_working',
  'out_of_hours',
  'case_transfer',
] as const;

const idSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]*$/, 'an id is lower-case letters, digits and underscores');
const phrasesSchema = z
  .array(z.string().trim().min(1, 'a phrase must not be empty'))
  .min(1, 'needs at least one phrase');
const contextSchema = z.strictObject({
  match: phrasesSchema,
  within: z.number().int().min(0).max(60),
});
const contextsSchema = z.union([contextSchema, z.array(contextSchema).min(1)]);
const cueSchema = z.strictObject({
  match: phrasesSchema,
  weight: z.number().positive().max(10),
  near: contextsSchema.optional(),
  unless: contextsSchema.optional(),
  hides: z.array(z.string().min(1)).min(1).optional(),
  caseSensitive: z.boolean().optional(),
  fallback: z.boolean().optional(),
  lemma: z.boolean().optional(),
  incidental: z.boolean().optional(),
  note: z.string().optional(),
});
const themeSchema = z.strictObject({
  id: idSchema,
  label: z.string().min(1),
  group: idSchema,
  description: z.string().min(1),
  cues: z.array(cueSchema).min(1, 'a theme needs at least one cue'),
});
const scoringSchema = z.strictObject({
  minScore: z.number().positive(),
  relativeThreshold: z.number().min(0).max(1),
  maxThemes: z.number().int().min(1).max(10),
  subjectWords: z.number().int().min(0),
  positionFactors: z.strictObject({
    subject: z.number().positive(),
    firstSentence: z.number().positive(),
    later: z.number().positive(),
  }),
  repeatFactors: z.array(z.number().min(0).max(1)).min(1),
  combineFactor: z.number().min(0).max(1),
  maxEvidence: z.number().int().min(1),
  weak: z
    .strictObject({
      belowWeight: z.number().positive(),
      relativeThreshold: z.number().min(0).max(1),
    })
    .optional(),
  incidental: z
    .strictObject({
      factor: z.number().min(0).max(1),
      after: phrasesSchema,
      within: z.number().int().min(0).max(10),
    })
    .optional(),
  confidence: z
    .strictObject({
      fullScore: z.number().positive(),
      weights: z.strictObject({
        strength: z.number().min(0),
        share: z.number().min(0),
        agreement: z.number().min(0),
      }),
      weakTierFactor: z.number().min(0).max(1),
      uncertainBelow: z.number().min(0).max(1),
    })
    .refine(
      (c) => Math.abs(c.weights.strength + c.weights.share + c.weights.agreement - 1) < 1e-9,
      'the confidence weights must add up to 1',
    )
    .optional(),
  wordModel: z
    .strictObject({
      addAt: z.number().min(0).max(1),
      dropBelow: z.number().min(0).max(1),
      dropWhenConfidenceBelow: z.number().min(0).max(1),
      onlyModelFactor: z.number().min(0).max(1),
      replaceWeakBelow: z.number().min(0).max(1).optional(),
      replaceAt: z.number().min(0).max(1).optional(),
      sentences: z.boolean().optional(),
    })
    .optional(),
});

/** The JSON shape of a taxonomy data file such as `data/taxonomy/themes-v1.json`. */
export const taxonomyFileSchema = z.strictObject({
  version: z.string().min(1),
  about: z.string().optional(),
  groups: z.array(z.strictObject({ id: idSchema, label: z.string().min(1) })).min(1),
  scoring: scoringSchema,
  defaultTheme: idSchema,
  masks: z.array(z.strictObject({ match: phrasesSchema, note: z.string().optional() })).default([]),
  themes: z.array(themeSchema).min(1),
});

/** A taxonomy data file as written, before its cues are compiled. */
export type TaxonomyFile = z.infer<typeof taxonomyFileSchema>;

/** The knobs that turn cue hits into ranked themes (documented in data/taxonomy/README.md). */
export type Scoring = TaxonomyFile['scoring'];

/** A list of phrases compiled into one global regular expression, with a cheap pre-check. */
export interface CompiledPattern {
  /** Position in the taxonomy's pattern list, for `Taxonomy.prefixIndex`. */
  id: number;
  regex: RegExp;
  /** `regex` made sticky, to try it at one offset only. */
  sticky: RegExp;
  /** A match needs a word of the text that begins with one of these (lower-cased); null: always run. */
  anyOf: readonly string[] | null;
  /** Matched against the finding with every word in its dictionary form (see `lemmatise`). */
  lemma: boolean;
}

/** A context condition compiled: phrases and a distance in words. */
export interface CompiledContext {
  pattern: CompiledPattern;
  within: number;
}

/** One cue compiled: all its phrases in a single pattern. */
export interface CompiledCue {
  /** Position of the cue in its theme's `cues` list, for explanations. */
  index: number;
  weight: number;
  pattern: CompiledPattern;
  /** The cue counts only when one of these holds (no condition when empty). */
  near: readonly CompiledContext[];
  /** The cue does not count when one of these holds. */
  unless: readonly CompiledContext[];
  /** Theme ids whose hits inside this cue's match do not count; `'all'` for every other theme. */
  hides: ReadonlySet<string> | 'all';
  fallback: boolean;
  /** Names an actor, place or record that a finding may only mention in passing. */
  incidental: boolean;
}

/** One theme with its label, group and compiled cues. */
export interface Theme {
  id: string;
  label: string;
  groupId: string;
  groupLabel: string;
  description: string;
  cues: readonly CompiledCue[];
}

/** A validated taxonomy with compiled cues, ready for `tagThemes`. */
export interface Taxonomy {
  version: string;
  groups: readonly { id: string; label: string }[];
  themes: readonly Theme[];
  /** Names (of teams, plans) whose inner words are no cue for any theme. */
  masks: readonly CompiledPattern[];
  scoring: Scoring;
  defaultThemeId: string;
  /** Number of compiled patterns (cues, contexts, masks). */
  patternCount: number;
  /** Every compiled pattern, by `id`. */
  patterns: readonly CompiledPattern[];
  /** Lower-cased word beginning → ids of the patterns that may match a text with such a word. */
  prefixIndex: ReadonlyMap<string, readonly number[]>;
  /** The lengths of the keys of `prefixIndex`, ascending. */
  prefixLengths: readonly number[];
  /** Phrases after which an incidental cue counts at `scoring.incidental.factor`; null: no such rule. */
  incidentalAfter: CompiledPattern | null;
  /** The word model put beside the cues (`scoring.wordModel`), its themes in `themes` order; null: cues alone. */
  wordModel: WordModel | null;
}

/** A taxonomy file that failed validation; `issues` lists every problem, one line each. */
export class TaxonomyError extends Error {
  readonly issues: readonly string[];

  constructor(issues: readonly string[]) {
    super(
      `Invalid taxonomy (${issues.length} problem(s)):\n${issues.map((i) => `  - ${i}`).join('\n')}`,
    );
    this.name = 'TaxonomyError';
    this.issues = issues;
  }
}

// Between the words of a phrase: spaces or hyphens or nothing, so that "out of hours" also
// matches "out-of-hours" and "multi agency" matches "multiagency".
const SEPARATOR = '[\\s\\-]*';

/** A parsed cue phrase: characters, separators, wildcards and groups of alternatives. */
type PhraseNode =
  | { kind: 'text'; source: string; literal: string | null }
  | { kind: 'group'; alternatives: PhraseNode[][]; optional: boolean };

function parsePhrase(phrase: string): PhraseNode[] {
  let i = 0;
  const parseSequence = (depth: number): PhraseNode[][] => {
    const alternatives: PhraseNode[][] = [[]];
    while (i < phrase.length) {
      const ch = phrase[i] as string;
      const current = alternatives[alternatives.length - 1] as PhraseNode[];
      if (ch === ')') {
        if (depth === 0) throw new Error(`unbalanced ")" at character ${i + 1}`);
        return alternatives;
      }
      i += 1;
      if (ch === '|') {
        alternatives.push([]);
      } else if (ch === '(') {
        const inner = parseSequence(depth + 1);
        if (phrase[i] !== ')') throw new Error('unbalanced "(": a group is not closed');
        i += 1;
        current.push({ kind: 'group', alternatives: inner, optional: false });
      } else if (ch === '?') {
        const last = current[current.length - 1];
        if (!last) throw new Error(`"?" at character ${i} has nothing to make optional`);
        if (last.kind === 'group') last.optional = true;
        else
          current[current.length - 1] = { kind: 'group', alternatives: [[last]], optional: true };
      } else if (ch === ' ' || ch === '-') {
        while (phrase[i] === ' ' || phrase[i] === '-') i += 1;
        current.push({ kind: 'text', source: SEPARATOR, literal: null });
      } else if (ch === '*') {
        if (current[current.length - 1]?.kind === 'group') {
          throw new Error(
            `"*" at character ${i} follows a group: "*" ends a word, use "?" for a group`,
          );
        }
        current.push({ kind: 'text', source: '\\w*', literal: null });
      } else if (/[\\^$.+[\]{}]/.test(ch)) {
        current.push({ kind: 'text', source: `\\${ch}`, literal: null });
      } else {
        current.push({ kind: 'text', source: ch, literal: /[A-Za-z0-9]/.test(ch) ? ch : null });
      }
    }
    if (depth > 0) throw new Error('unbalanced "(": a group is not closed');
    return alternatives;
  };
  const top = parseSequence(0);
  if (top.length > 1) return [{ kind: 'group', alternatives: top, optional: false }];
  return top[0] ?? [];
}

function emit(nodes: readonly PhraseNode[]): string {
  return nodes
    .map((node) => {
      if (node.kind === 'text') return node.source;
      // The longest alternative goes first: at one position a regex takes the first that fits,
      // and "decision making" must win over "decision".
      const alternatives = node.alternatives
        .map(emit)
        .sort((a, b) => b.length - a.length || (a < b ? -1 : a > b ? 1 : 0));
      return `(?:${alternatives.join('|')})${node.optional ? '?' : ''}`;
    })
    .join('');
}

// Shortest and longest word beginning worth a pre-check; longer ones are cut, which stays correct.
// A single letter or digit is worth it too: the beginnings are looked up in a trie (tag-themes.ts),
// and trying a pattern where a word begins with its letter is cheaper than running it everywhere.
const PREFIX_CHECK = { min: 1, max: 10 } as const;

/**
 * Word beginnings one of which every match of `nodes` starts with, or null when none is worth
 * checking: a match starts at a word boundary, so its first letters begin a word of the text.
 */
function leadingLiterals(nodes: readonly PhraseNode[]): string[] | null {
  const first = nodes[0];
  if (!first) return null;
  if (first.kind === 'text') {
    let run = '';
    for (const node of nodes) {
      if (node.kind !== 'text' || node.literal === null) break;
      run += node.literal;
    }
    return run.length >= PREFIX_CHECK.min ? [run.slice(0, PREFIX_CHECK.max)] : null;
  }
  const rest = nodes.slice(1);
  const options: string[] = [];
  // An optional group may be skipped: the match then begins with what follows it.
  for (const alternative of first.optional ? [...first.alternatives, []] : first.alternatives) {
    const leading = leadingLiterals([...alternative, ...rest]);
    if (leading === null) return null;
    options.push(...leading);
  }
  return options;
}

interface TranslatedPhrase {
  source: string;
  anyOf: string[] | null;
}

function translatePhrase(phrase: string): TranslatedPhrase {
  const trimmed = phrase.trim();
  if (trimmed.length > 2 && trimmed.startsWith('/') && trimmed.endsWith('/')) {
    return { source: trimmed.slice(1, -1), anyOf: null };
  }
  const nodes = parsePhrase(trimmed);
  return { source: `(?<!\\w)${emit(nodes)}(?!\\w)`, anyOf: leadingLiterals(nodes) };
}

/** Translates one cue phrase (syntax in data/taxonomy/README.md) into a regular expression source. */
export function phraseToRegexSource(phrase: string): string {
  return translatePhrase(phrase).source;
}

function compilePhrases(
  phrases: readonly string[],
  caseSensitive: boolean,
  where: string,
  issues: string[],
  registry: CompiledPattern[],
  lemma = false,
): CompiledPattern | null {
  const sources: string[] = [];
  let anyOf: string[] | null = [];
  phrases.forEach((phrase, k) => {
    let translated: TranslatedPhrase;
    let regex: RegExp;
    try {
      translated = translatePhrase(phrase);
      regex = new RegExp(translated.source, caseSensitive ? 'g' : 'gi');
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      issues.push(
        `${where}.match[${k}]: cue ${JSON.stringify(phrase)} does not compile: ${reason}`,
      );
      return;
    }
    if (regex.exec('') !== null || regex.exec(' ') !== null) {
      issues.push(`${where}.match[${k}]: cue ${JSON.stringify(phrase)} can match empty text`);
      return;
    }
    sources.push(translated.source);
    anyOf = anyOf && translated.anyOf ? [...anyOf, ...translated.anyOf] : null;
  });
  if (sources.length !== phrases.length) return null;
  // Longer phrases first, so that where two match at one position the more specific one wins.
  const ordered = [...sources].sort((a, b) => b.length - a.length);
  const literals = anyOf as string[] | null;
  const source = ordered.map((s) => `(?:${s})`).join('|');
  const regex = new RegExp(source, caseSensitive ? 'g' : 'gi');
  // The same phrases written again (a context several cues share) are one pattern: matched once a
  // finding, and their matches found once.
  const same = registry.find(
    (p) => p.lemma === lemma && p.regex.flags === regex.flags && p.regex.source === regex.source,
  );
  if (same) return same;
  const pattern: CompiledPattern = {
    id: registry.length,
    regex,
    sticky: new RegExp(source, caseSensitive ? 'gy' : 'giy'),
    // Lower case even for case-sensitive cues: a lower-cased prefix is still a necessary condition.
    anyOf: literals ? [...new Set(literals.map((l) => l.toLowerCase()))] : null,
    lemma,
  };
  registry.push(pattern);
  return pattern;
}

function formatPath(path: readonly PropertyKey[], raw: unknown): string {
  let out = '';
  let node: unknown = raw;
  for (const key of path) {
    if (typeof key === 'number') {
      out += `[${key}]`;
      node = Array.isArray(node) ? node[key] : undefined;
      // Naming the theme beside its index saves counting through the file.
      if (out.startsWith('themes') && out.split('[').length === 2) {
        const id = (node as { id?: unknown } | undefined)?.id;
        if (typeof id === 'string') out += ` (${id})`;
      }
    } else {
      out += out === '' ? String(key) : `.${String(key)}`;
      node =
        node !== null && typeof node === 'object'
          ? (node as Record<string, unknown>)[String(key)]
          : undefined;
    }
  }
  return out === '' ? '(top level)' : out;
}

function duplicates(values: readonly string[]): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const v of values) (seen.has(v) ? dup : seen).add(v);
  return [...dup];
}

function crossCheck(file: TaxonomyFile, issues: string[]): void {
  const groupIds = new Set(file.groups.map((g) => g.id));
  const themeIds = new Set(file.themes.map((t) => t.id));
  for (const id of duplicates(file.groups.map((g) => g.id))) {
    issues.push(`groups: duplicate group id "${id}"`);
  }
  for (const id of duplicates(file.themes.map((t) => t.id))) {
    issues.push(`themes: duplicate theme id "${id}"`);
  }
  file.themes.forEach((theme, i) => {
    const where = `themes[${i}] (${theme.id})`;
    if (!groupIds.has(theme.group)) issues.push(`${where}.group: unknown group "${theme.group}"`);
    if (theme.cues.every((cue) => cue.fallback === true)) {
      issues.push(`${where}.cues: a theme needs at least one cue that is not a fallback`);
    }
    theme.cues.forEach((cue, j) => {
      for (const target of cue.hides ?? []) {
        if (target !== '*' && !themeIds.has(target)) {
          issues.push(`${where}.cues[${j}].hides: unknown theme "${target}"`);
        }
      }
    });
  });
  for (const group of file.groups) {
    if (!file.themes.some((t) => t.group === group.id)) {
      issues.push(`groups: group "${group.id}" has no theme`);
    }
  }
  if (!themeIds.has(file.defaultTheme)) {
    issues.push(`defaultTheme: unknown theme "${file.defaultTheme}"`);
  }
  if (file.version === '1') {
    const expected: readonly string[] = TAXONOMY_V1_THEME_IDS;
    const missing = expected.filter((id) => !themeIds.has(id));
    const extra = [...themeIds].filter((id) => !expected.includes(id));
    if (missing.length > 0) issues.push(`themes: version 1 lacks ${missing.join(', ')}`);
    if (extra.length > 0) issues.push(`themes: version 1 has no theme ${extra.join(', ')}`);
  }
}

/**
 * Validates a taxonomy data file and compiles its cues; throws a `TaxonomyError` listing every
 * problem. `wordModelJson`, a word-model file for the same taxonomy version and themes, is put
 * beside the cues when the taxonomy's `scoring.wordModel` says how; without it, cues alone.
 */
export function loadTaxonomy(json: unknown, wordModelJson?: unknown): Taxonomy {
  const parsed = taxonomyFileSchema.safeParse(json);
  if (!parsed.success) {
    throw new TaxonomyError(
      parsed.error.issues.map((issue) => `${formatPath(issue.path, json)}: ${issue.message}`),
    );
  }
  const file = parsed.data;
  const issues: string[] = [];
  crossCheck(file, issues);

  const registry: CompiledPattern[] = [];
  const masks: CompiledPattern[] = [];
  file.masks.forEach((mask, m) => {
    const pattern = compilePhrases(mask.match, false, `masks[${m}]`, issues, registry);
    if (pattern) masks.push(pattern);
  });

  const groupLabels = new Map(file.groups.map((g) => [g.id, g.label]));
  const themes: Theme[] = file.themes.map((theme, i) => {
    const cues: CompiledCue[] = [];
    theme.cues.forEach((cue, j) => {
      const where = `themes[${i}] (${theme.id}).cues[${j}]`;
      const caseSensitive = cue.caseSensitive === true;
      const lemma = cue.lemma === true;
      const pattern = compilePhrases(cue.match, caseSensitive, where, issues, registry, lemma);
      const context = (c: typeof cue.near, key: string): CompiledContext[] => {
        const list = c === undefined ? [] : Array.isArray(c) ? c : [c];
        return list.flatMap((one, n) => {
          const path = Array.isArray(c) ? `${where}.${key}[${n}]` : `${where}.${key}`;
          const compiled = compilePhrases(one.match, false, path, issues, registry, lemma);
          return compiled ? [{ pattern: compiled, within: one.within }] : [];
        });
      };
      const near = context(cue.near, 'near');
      const unless = context(cue.unless, 'unless');
      if (!pattern) return;
      const hides = cue.hides ?? [];
      cues.push({
        index: j,
        weight: cue.weight,
        pattern,
        near,
        unless,
        hides: hides.includes('*') ? 'all' : new Set(hides),
        fallback: cue.fallback === true,
        incidental: cue.incidental === true,
      });
    });
    return {
      id: theme.id,
      label: theme.label,
      groupId: theme.group,
      groupLabel: groupLabels.get(theme.group) ?? theme.group,
      description: theme.description,
      cues,
    };
  });

  const incidentalAfter = file.scoring.incidental
    ? compilePhrases(
        file.scoring.incidental.after,
        false,
        'scoring.incidental.after',
        issues,
        registry,
      )
    : null;
  let wordModel: WordModel | null = null;
  if (wordModelJson !== undefined && file.scoring.wordModel) {
    try {
      wordModel = loadWordModel(wordModelJson);
      if (wordModel.taxonomyVersion !== file.version) {
        issues.push(
          `word model: made for taxonomy ${wordModel.taxonomyVersion}, not ${file.version}`,
        );
      }
      const modelThemes = wordModel.themes;
      const missing = themes.filter((t) => !modelThemes.includes(t.id)).map((t) => t.id);
      const extra = modelThemes.filter((id) => !themes.some((t) => t.id === id));
      if (missing.length > 0) issues.push(`word model: no weights for ${missing.join(', ')}`);
      if (extra.length > 0)
        issues.push(`word model: themes not in the taxonomy: ${extra.join(', ')}`);
      if (
        missing.length === 0 &&
        extra.length === 0 &&
        modelThemes.some((id, i) => themes[i]?.id !== id)
      ) {
        issues.push('word model: its themes are not in the taxonomy’s order');
      }
    } catch (error) {
      issues.push((error as Error).message);
    }
  }
  if (issues.length > 0) throw new TaxonomyError(issues);
  const prefixIndex = new Map<string, number[]>();
  for (const pattern of registry) {
    for (const literal of pattern.anyOf ?? []) {
      const ids = prefixIndex.get(literal) ?? [];
      ids.push(pattern.id);
      prefixIndex.set(literal, ids);
    }
  }
  return {
    version: file.version,
    groups: file.groups,
    themes,
    masks,
    scoring: file.scoring,
    defaultThemeId: file.defaultTheme,
    patternCount: registry.length,
    patterns: registry,
    prefixIndex,
    prefixLengths: [...new Set([...prefixIndex.keys()].map((k) => k.length))].sort((a, b) => a - b),
    incidentalAfter,
    wordModel,
  };
}

/** Taxonomy version 1 from `data/taxonomy/themes-v1.json`, validated and compiled at import. */
export const defaultTaxonomy: Taxonomy = loadTaxonomy(themesJson, wordModelJson);
