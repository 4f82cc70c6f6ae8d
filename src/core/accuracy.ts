/**
 * The pipeline's accuracy against the hand-checked gold findings, as the build writes it to
 * `accuracy.json` beside the Parquet files; shares are between 0 and 1.
 */
export interface Accuracy {
  /** Findings in the gold set. */
  gold_findings: number;
  /** Gold findings the pipeline read with the same text, section, position and flag. */
  matched_findings: number;
  theme_precision: number;
  theme_recall: number;
  theme_f1: number;
  /** The taxonomy version the themes were scored against, when the file says. */
  taxonomy_version?: string;
  /**
   * When the figures were measured (ISO 8601), when the file says; the build leaves it out so
   * that the same inputs give byte-identical output.
   */
  measured_at?: string;
  /** The tagger on the labelled letters it was tuned on (tests/fixtures/accuracy-split.json). */
  tune?: ThemeSetScore;
  /** The tagger on the labelled letters kept back from tuning: the honest figure. */
  kept_back?: ThemeSetScore;
  /**
   * The tagger on findings a separate author wrote and labelled without seeing the tagger, never
   * tuned on (`held_out` in tests/fixtures/accuracy-split.json): a second unseen figure.
   */
  held_out?: ThemeSetScore;
  /**
   * Findings written fresh and scored before the tagger was changed for them: its figure on
   * wording it had never met, and its figure on them now that they are tuned on.
   */
  fresh?: FreshBatch[];
  /**
   * The word model on findings nobody had tuned for: the fresh batches' tags from before the
   * tagger was changed for them, alone and with the model trained without that batch beside them
   * (`npm run measure-word-model`).
   */
  word_model?: WordModelHoldout;
}

/** The fresh batches' earlier tags scored alone (`before`) and with the word model (`after`). */
export interface WordModelHoldout {
  batches: number;
  before: ThemeSetScore;
  after: ThemeSetScore;
}

/** One batch of findings written fresh (tests/fixtures/accuracy-split.json, fresh_batches). */
export interface FreshBatch {
  /** The fixture file, and its first and last line (1-based) that make the batch. */
  source: string;
  lines: [number, number];
  findings: number;
  /** What kind of wording the batch was written in. */
  written: string;
  /** Theme F1 before the tagger was changed for the batch (a record, not recomputed). */
  f1_before: number;
  /** Theme F1 on the batch now (tuned on). */
  f1_now: number;
}

/** One theme's figures over a set of labelled findings. */
export interface ThemeFigures {
  theme_id: string;
  /** Findings the gold gives this theme. */
  support: number;
  tp: number;
  fp: number;
  fn: number;
  /** Null where the tagger never gave the theme. */
  precision: number | null;
  /** Null where the gold never has the theme. */
  recall: number | null;
}

/** The themes over one set of labelled findings: micro figures, per theme, commonest errors. */
export interface ThemeSetScore {
  /** What the findings are: letters' files, or whole fixture files. */
  sources: string[];
  findings: number;
  theme_precision: number;
  theme_recall: number;
  theme_f1: number;
  per_theme: ThemeFigures[];
  /** Themes given that the gold does not have, most often first. */
  wrong: { theme_id: string; count: number }[];
  /** Gold themes not given, most often first. */
  missed: { theme_id: string; count: number }[];
  /** A gold theme missed on a finding that was given another instead. */
  confused: { missed: string; given: string; count: number }[];
  /** How the tags' confidence (contract 1.2) bears out on these findings, when measured. */
  confidence?: ConfidenceFigures;
  /**
   * Why a theme's figure here needs care beyond what its numbers say, by theme id: the split
   * file's `kept_back_notes` (tests/fixtures/accuracy-split.json), shown beside the theme.
   */
  notes?: Record<string, string>;
}

/** Tags at or above the uncertainty threshold against those below it. */
export interface ConfidenceFigures {
  /** Tags below this confidence are uncertain. */
  threshold: number;
  sure: TagTally;
  uncertain: TagTally;
  /** The micro figures when uncertain tags are left out, as the dashboard's switch does. */
  sure_only: { theme_precision: number; theme_recall: number; theme_f1: number };
}

/** Tags given and how many of them the gold has; precision null when none were given. */
export interface TagTally {
  tags: number;
  right: number;
  precision: number | null;
}

/** The file name of the accuracy figures, in the same folder as the Parquet files. */
export const ACCURACY_FILE = 'accuracy.json';

const COUNTS = ['gold_findings', 'matched_findings'] as const;
const SHARES = ['theme_precision', 'theme_recall', 'theme_f1'] as const;

/** Checks parsed JSON against {@link Accuracy}, throwing an error that lists what is wrong. */
export function parseAccuracy(value: unknown): Accuracy {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${ACCURACY_FILE} must hold a JSON object`);
  }
  const record = value as Record<string, unknown>;
  const problems: string[] = [];
  for (const key of COUNTS) {
    const n = record[key];
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
      problems.push(`${key} must be a whole number ≥ 0`);
    }
  }
  for (const key of SHARES) {
    const n = record[key];
    if (typeof n !== 'number' || !Number.isFinite(n) || n < 0 || n > 1) {
      problems.push(`${key} must be a number from 0 to 1`);
    }
  }
  const { taxonomy_version: version, measured_at: measuredAt } = record;
  if (version !== undefined && typeof version !== 'string') {
    problems.push('taxonomy_version must be text');
  }
  if (
    measuredAt !== undefined &&
    (typeof measuredAt !== 'string' || Number.isNaN(Date.parse(measuredAt)))
  ) {
    problems.push('measured_at must be an ISO 8601 date');
  }
  if (
    problems.length === 0 &&
    (record.matched_findings as number) > (record.gold_findings as number)
  ) {
    problems.push('matched_findings cannot exceed gold_findings');
  }
  if (problems.length > 0) throw new Error(`${ACCURACY_FILE}: ${problems.join('; ')}`);
  const accuracy: Accuracy = {
    gold_findings: record.gold_findings as number,
    matched_findings: record.matched_findings as number,
    theme_precision: record.theme_precision as number,
    theme_recall: record.theme_recall as number,
    theme_f1: record.theme_f1 as number,
  };
  if (typeof version === 'string') accuracy.taxonomy_version = version;
  if (typeof measuredAt === 'string') accuracy.measured_at = measuredAt;
  for (const key of ['tune', 'kept_back', 'held_out'] as const) {
    if (record[key] === undefined) continue;
    accuracy[key] = parseThemeSet(record[key], key);
  }
  if (record.fresh !== undefined) accuracy.fresh = parseFresh(record.fresh);
  if (record.word_model !== undefined) {
    const w = record.word_model as Record<string, unknown> | null;
    if (typeof w !== 'object' || w === null) {
      throw new Error(`${ACCURACY_FILE}: word_model must be an object`);
    }
    if (!isCount(w.batches) || w.batches === 0) {
      throw new Error(`${ACCURACY_FILE}: word_model.batches must be a whole number ≥ 1`);
    }
    accuracy.word_model = {
      batches: w.batches,
      before: parseThemeSet(w.before, 'word_model.before'),
      after: parseThemeSet(w.after, 'word_model.after'),
    };
  }
  return accuracy;
}

/** Checks the fresh batches' figures, throwing an error that names what is wrong. */
function parseFresh(value: unknown): FreshBatch[] {
  const fail = (what: string): never => {
    throw new Error(`${ACCURACY_FILE}: fresh${what}`);
  };
  if (!Array.isArray(value)) return fail(' must be a list');
  return value.map((item: unknown, i) => {
    const b = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
    if (typeof b.source !== 'string') fail(`[${i}].source must be text`);
    if (typeof b.written !== 'string') fail(`[${i}].written must be text`);
    if (!isCount(b.findings) || b.findings === 0)
      fail(`[${i}].findings must be a whole number ≥ 1`);
    const lines = b.lines;
    if (!Array.isArray(lines) || lines.length !== 2 || !lines.every(isCount))
      fail(`[${i}].lines must be two line numbers`);
    for (const key of ['f1_before', 'f1_now'])
      if (!isShare(b[key])) fail(`[${i}].${key} must be a number from 0 to 1`);
    return {
      source: b.source as string,
      lines: [(lines as number[])[0] as number, (lines as number[])[1] as number],
      findings: b.findings as number,
      written: b.written as string,
      f1_before: b.f1_before as number,
      f1_now: b.f1_now as number,
    };
  });
}

const isShare = (n: unknown): n is number =>
  typeof n === 'number' && Number.isFinite(n) && n >= 0 && n <= 1;
const isCount = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0;

/** Checks one side's theme figures, throwing an error that names what is wrong. */
function parseThemeSet(value: unknown, key: string): ThemeSetScore {
  const fail = (what: string): never => {
    throw new Error(`${ACCURACY_FILE}: ${key}.${what}`);
  };
  if (typeof value !== 'object' || value === null) return fail('must be an object');
  const r = value as Record<string, unknown>;
  if (!isCount(r.findings)) fail('findings must be a whole number ≥ 0');
  for (const share of SHARES) if (!isShare(r[share])) fail(`${share} must be a number from 0 to 1`);
  if (!Array.isArray(r.per_theme)) return fail('per_theme must be a list');
  const perTheme = (r.per_theme as Record<string, unknown>[]).map((t, i) => {
    if (typeof t?.theme_id !== 'string') fail(`per_theme[${i}].theme_id must be text`);
    for (const c of ['support', 'tp', 'fp', 'fn'])
      if (!isCount(t[c])) fail(`per_theme[${i}].${c} must be a whole number ≥ 0`);
    for (const s of ['precision', 'recall'])
      if (t[s] !== null && !isShare(t[s])) fail(`per_theme[${i}].${s} must be a share or null`);
    return t as unknown as ThemeFigures;
  });
  const list = <T>(name: string): T[] => (Array.isArray(r[name]) ? (r[name] as T[]) : []);
  const confidence = parseConfidence(r.confidence, fail);
  if (r.notes !== undefined) {
    if (typeof r.notes !== 'object' || r.notes === null || Array.isArray(r.notes))
      fail('notes must be an object of texts by theme id');
    for (const [id, note] of Object.entries(r.notes as object))
      if (typeof note !== 'string') fail(`notes.${id} must be text`);
  }
  return {
    ...(confidence ? { confidence } : {}),
    ...(r.notes !== undefined ? { notes: r.notes as Record<string, string> } : {}),
    sources: list<string>('sources').filter((s) => typeof s === 'string'),
    findings: r.findings as number,
    theme_precision: r.theme_precision as number,
    theme_recall: r.theme_recall as number,
    theme_f1: r.theme_f1 as number,
    per_theme: perTheme,
    wrong: list('wrong'),
    missed: list('missed'),
    confused: list('confused'),
  };
}

/** Checks a side's confidence figures, when there are any. */
function parseConfidence(
  value: unknown,
  fail: (what: string) => never,
): ConfidenceFigures | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null) return fail('confidence must be an object');
  const c = value as Record<string, unknown>;
  if (!isShare(c.threshold)) fail('confidence.threshold must be a number from 0 to 1');
  for (const side of ['sure', 'uncertain'] as const) {
    const t = c[side] as Record<string, unknown> | undefined;
    if (typeof t !== 'object' || t === null) fail(`confidence.${side} must be an object`);
    const tally = t as Record<string, unknown>;
    if (!isCount(tally.tags) || !isCount(tally.right) || tally.right > tally.tags)
      fail(`confidence.${side} needs whole tags ≥ right ≥ 0`);
    if (tally.precision !== null && !isShare(tally.precision))
      fail(`confidence.${side}.precision must be a share or null`);
  }
  const only = c.sure_only as Record<string, unknown> | undefined;
  if (typeof only !== 'object' || only === null)
    return fail('confidence.sure_only must be an object');
  for (const share of SHARES)
    if (!isShare(only[share])) fail(`confidence.sure_only.${share} must be a number from 0 to 1`);
  return value as ConfidenceFigures;
}
