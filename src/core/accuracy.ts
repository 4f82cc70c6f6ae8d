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
  return accuracy;
}
