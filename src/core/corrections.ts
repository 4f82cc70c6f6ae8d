/**
 * Corrections to the tagger's and the parser's output, made by people: a theme taken off a
 * finding, a theme added, a finding moved to another section. The dashboard keeps those made in
 * the browser and exports them as a corrections file; the ingest applies such a file
 * (`--corrections FILE`) so that reviewed data can be published. Pure: no I/O, the same in Node and
 * in the browser.
 */
import { z } from 'zod';
import { SECTIONS, type FindingRow, type FindingThemeRow, type Section } from './schema';

// Schemas are checked without code made at run time: the page's Content-Security-Policy forbids
// that ('unsafe-eval'), and zod's test for it would be reported as a violation.
z.config({ jitless: true });

/** The `format` a corrections file declares. */
export const CORRECTIONS_FORMAT = 'ucra-corrections';
/** The version of the corrections file format this code reads and writes. */
export const CORRECTIONS_VERSION = 1;
/** The published corrections, written beside the Parquet files by an ingest that applied some. */
export const CORRECTIONS_FILE = 'corrections.json';

/**
 * Who made a theme tag: the program, a person whose correction was published, a saved theme's
 * search (src/core/search/saved-themes.ts), or (in the page only, never in a file) the person
 * using this browser.
 */
export type TagSource = 'tagger' | 'reviewed' | 'user' | 'you';

const keySchema = z.string().regex(/^.+:[0-9a-f]{16}(-\d+)?$/, 'is not a finding key');
const reasonSchema = z.string().trim().min(1, 'needs a reason').max(1000);
const common = {
  finding_key: keySchema,
  reason: reasonSchema,
  /** The finding's first words, so that a person reading the file knows which it is. */
  finding_text: z.string().max(400).optional(),
  made_at: z.iso.datetime({ offset: true }).optional(),
};

const correctionSchema = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('remove_theme'), theme_id: z.string().min(1), ...common }),
  z.strictObject({ action: z.literal('add_theme'), theme_id: z.string().min(1), ...common }),
  z.strictObject({ action: z.literal('move_section'), section: z.enum(SECTIONS), ...common }),
]);

const fileSchema = z.strictObject({
  format: z.literal(CORRECTIONS_FORMAT),
  version: z.literal(CORRECTIONS_VERSION),
  made_at: z.iso.datetime({ offset: true }).optional(),
  corrections: z.array(correctionSchema).max(100_000),
});

/** One correction, as a corrections file holds it. */
export type Correction = z.infer<typeof correctionSchema>;

/** A corrections file. */
export type CorrectionsFile = z.infer<typeof fileSchema>;

/** A corrections file that cannot be used: nothing of it is applied. */
export class CorrectionsError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file}: not a usable corrections file: ${problems.join('; ')}`);
    this.name = 'CorrectionsError';
  }
}

/**
 * Checks parsed JSON as a corrections file whose themes must be among `themeIds`; throws a
 * {@link CorrectionsError} naming every problem (at most 10), so that nothing of a bad file is
 * applied.
 */
export function parseCorrections(
  value: unknown,
  themeIds: ReadonlySet<string>,
  file = CORRECTIONS_FILE,
): CorrectionsFile {
  const parsed = fileSchema.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, 10).map((issue) => {
      const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
      return `${where}${issue.message}`;
    });
    throw new CorrectionsError(file, problems);
  }
  const unknown = parsed.data.corrections.flatMap((c, i) =>
    'theme_id' in c && !themeIds.has(c.theme_id)
      ? [`corrections.${i}.theme_id: "${c.theme_id}" is not a theme of the taxonomy`]
      : [],
  );
  if (unknown.length > 0) throw new CorrectionsError(file, unknown.slice(0, 10));
  return parsed.data;
}

/** Reads a corrections file's text: JSON that {@link parseCorrections} accepts. */
export function parseCorrectionsText(
  text: string,
  themeIds: ReadonlySet<string>,
  file = CORRECTIONS_FILE,
): CorrectionsFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CorrectionsError(file, [
      `not JSON (${error instanceof Error ? error.message : String(error)})`,
    ]);
  }
  return parseCorrections(json, themeIds, file);
}

const NON_ASCII_RE = /[\u0080-\uffff]/;
/** Whitespace that `\s+` → " " would change: any but a space, or two spaces together. */
const UNEVEN_SPACE_RE = /[^\S ]| {2}/;

/**
 * A finding's text as its key sees it: case, spacing and typographic quotes do not count.
 * (NFKC, lower case, quotes and dashes folded, whitespace collapsed; each step is skipped where
 * it would change nothing, as for most findings, which are ASCII with single spaces. Exported
 * for tests.)
 */
export function keyText(text: string): string {
  let key = NON_ASCII_RE.test(text) ? text.normalize('NFKC') : text;
  key = key.toLowerCase();
  if (NON_ASCII_RE.test(key) || key.includes('`'))
    key = key
      .replace(/[\u2018\u2019\u201A\u201B`\u00B4]/g, "'")
      .replace(/[\u201C\u201D\u201E\u201F]/g, '"')
      .replace(/[\u2010-\u2015\u2212]/g, '-');
  if (UNEVEN_SPACE_RE.test(key)) key = key.replace(/\s+/g, ' ');
  return key.trim();
}

/** Two 32-bit FNV-1a hashes with different seeds, as 16 hex digits. */
function hash64(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    a = Math.imul(a ^ code, 0x01000193);
    b = Math.imul(b ^ code, 0x01000193) ^ (b >>> 15);
  }
  const hex = (n: number) => (n >>> 0).toString(16).padStart(8, '0');
  return hex(a) + hex(b);
}

/**
 * The key a correction names a finding by: its letter and a hash of its text, so that it
 * survives re-ingesting the same letters whatever the findings' order; a text said twice in one
 * letter takes `-2`, `-3` in document order.
 */
export function findingKey(letterId: string, text: string, occurrence = 1): string {
  const key = `${letterId}:${hash64(keyText(text))}`;
  return occurrence > 1 ? `${key}-${occurrence}` : key;
}

/** The letter a finding key ({@link findingKey}) belongs to: everything before its last colon. */
export function letterOfKey(key: string): string {
  const at = key.lastIndexOf(':');
  return at < 0 ? key : key.slice(0, at);
}

/** Each finding's key ({@link findingKey}), by `finding_id`, for findings in document order. */
export function findingKeys(findings: readonly FindingRow[]): Map<string, string> {
  const keys = new Map<string, string>();
  const seen = new Map<string, number>();
  for (const f of findings) {
    const base = findingKey(f.letter_id, f.text);
    const occurrence = (seen.get(base) ?? 0) + 1;
    seen.set(base, occurrence);
    keys.set(f.finding_id, occurrence > 1 ? `${base}-${occurrence}` : base);
  }
  return keys;
}

/** A correction that could not be applied, and why. */
export interface UnappliedCorrection {
  index: number;
  correction: Correction;
  reason: string;
}

/** The rows a set of corrections changes, and what came of each correction. */
export interface CorrectedRows {
  findings: FindingRow[];
  findingThemes: (FindingThemeRow & { source: TagSource })[];
  /** Corrections applied, in file order. */
  applied: Correction[];
  /** Corrections whose finding no longer exists or that had nothing to change. */
  unapplied: UnappliedCorrection[];
}

/**
 * Applies corrections to findings and their themes: in file order, so a later correction of the
 * same finding and theme wins. A removed theme's row goes (the others' ranks close up); an added
 * theme comes last, marked `addedBy` (`reviewed` unless said), with confidence 1; a moved finding
 * takes its new section. A tag without a source has source `tagger`. A finding is known by its
 * `finding_key`, or where that is null by the key its text gives. Rows are copied, never changed in
 * place.
 */
export function applyCorrections(
  findings: readonly FindingRow[],
  findingThemes: readonly FindingThemeRow[],
  corrections: readonly Correction[],
  addedBy: TagSource = 'reviewed',
): CorrectedRows {
  const computed = findingKeys(findings);
  const keys = new Map(
    findings.map((f) => [f.finding_id, f.finding_key ?? computed.get(f.finding_id)]),
  );
  const byKey = new Map<string, FindingRow>();
  const out = findings.map((f) => ({ ...f }));
  for (const f of out) byKey.set(keys.get(f.finding_id) as string, f);
  const themes = new Map<string, (FindingThemeRow & { source: TagSource })[]>();
  for (const t of findingThemes) {
    const list = themes.get(t.finding_id) ?? [];
    list.push({ ...t, source: t.source ?? 'tagger' });
    themes.set(t.finding_id, list);
  }
  const applied: Correction[] = [];
  const unapplied: UnappliedCorrection[] = [];
  corrections.forEach((correction, index) => {
    const finding = byKey.get(correction.finding_key);
    const skip = (reason: string) => unapplied.push({ index, correction, reason });
    if (!finding) {
      skip(`no finding ${correction.finding_key} in the letters read (its letter or text changed)`);
      return;
    }
    const list = themes.get(finding.finding_id) ?? [];
    if (correction.action === 'move_section') {
      if (finding.section === correction.section) {
        skip(`the finding is already under ${correction.section}`);
        return;
      }
      finding.section = correction.section as Section;
    } else if (correction.action === 'remove_theme') {
      const at = list.findIndex((t) => t.theme_id === correction.theme_id);
      if (at < 0) {
        skip(`the finding has no theme ${correction.theme_id}`);
        return;
      }
      list.splice(at, 1);
      list.forEach((t, i) => (t.rank = i + 1));
    } else {
      const have = list.find((t) => t.theme_id === correction.theme_id);
      if (have) {
        have.source = addedBy;
        have.confidence = 1;
        have.uncertain = false;
      } else
        list.push({
          finding_id: finding.finding_id,
          theme_id: correction.theme_id,
          rank: list.length + 1,
          evidence: '',
          confidence: 1,
          uncertain: false,
          source: addedBy,
        });
    }
    themes.set(finding.finding_id, list);
    applied.push(correction);
  });
  return {
    findings: out,
    findingThemes: out.flatMap((f) => themes.get(f.finding_id) ?? []),
    applied,
    unapplied,
  };
}
