import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { FindingRow, LetterRow } from '@/core/schema';
import { ROOT } from './gold';

/**
 * Scoring of read letters against hand-labelled gold, as `../shared/tools/score-letters.mjs`
 * scores the ingest's Parquet: a gold finding is matched by the unused finding of the same
 * letter whose words it shares most (token Jaccard ≥ 0.8), letters by their file's stem.
 */

/** The folder beside the project that every checkout and CI run has (see ../shared/README.md). */
export const SHARED = path.resolve(ROOT, '../shared');

/** A gold folder's letters and findings (the schema of ../shared/gold). */
export interface Gold {
  letters: Record<string, unknown>[];
  findings: { source_file: string; section: string; position: number; text: string }[];
}

export function readGold(dir: string): Gold {
  const full = path.resolve(ROOT, dir);
  if (!existsSync(path.join(full, 'findings.jsonl')))
    throw new Error(`no gold at ${full}: the tests need ../shared beside the project`);
  const read = (name: string) =>
    readFileSync(path.join(full, name), 'utf8')
      .split('\n')
      .filter((line) => line.trim().length > 0)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { letters: read('letters.jsonl'), findings: read('findings.jsonl') as Gold['findings'] };
}

const norm = (s: string): string =>
  s
    .toLowerCase()
    .replace(/[\u2018\u2019\u201b`´]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/[^a-z0-9' ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
const tokens = (s: string): Set<string> => new Set(norm(s).split(' ').filter(Boolean));
function jaccard(a: string, b: string): number {
  const left = tokens(a);
  const right = tokens(b);
  let shared = 0;
  for (const t of left) if (right.has(t)) shared += 1;
  return shared / (left.size + right.size - shared || 1);
}

/** A file name's stem: its base name without its extension (a zip member's too). */
export const stemOf = (name: string): string =>
  name.replace(/^.*[\\/:!#]/, '').replace(/\.[a-z0-9]+$/i, '');

export const META_FIELDS = [
  'document_kind',
  'council_name',
  'letter_date',
  'inspection_start',
  'inspection_end',
  'inspector',
  'has_priority_actions',
] as const;

/** How a set of read letters compares with its gold. */
export interface Score {
  goldFindings: number;
  matched: number;
  sectionsRight: number;
  extra: number;
  metaRight: number;
  metaFields: number;
  problems: string[];
}

/**
 * Scores read letters against the gold of the letters they are (by stem); gold letters with no
 * file among `stems` are left out, so a set may hold some of a gold folder's letters.
 */
export function scoreLetters(
  letters: readonly LetterRow[],
  findings: readonly FindingRow[],
  gold: Gold,
  stems: ReadonlySet<string>,
): Score {
  const score: Score = {
    goldFindings: 0,
    matched: 0,
    sectionsRight: 0,
    extra: 0,
    metaRight: 0,
    metaFields: 0,
    problems: [],
  };
  for (const goldLetter of gold.letters) {
    const file = String(goldLetter.source_file);
    if (!stems.has(stemOf(file))) continue;
    const mine = gold.findings.filter((f) => f.source_file === file);
    score.goldFindings += mine.length;
    score.metaFields += META_FIELDS.length;
    const letter = letters.find((l) => stemOf(l.source_file) === stemOf(file));
    if (!letter) {
      score.problems.push(`${file}: not read`);
      continue;
    }
    for (const field of META_FIELDS) {
      const want = goldLetter[field] ?? null;
      const got = letter[field] ?? null;
      if (String(want) === String(got)) score.metaRight += 1;
      else score.problems.push(`${file} ${field}: want ${String(want)}, got ${String(got)}`);
    }
    const candidates = findings.filter((f) => f.letter_id === letter.letter_id);
    const used = new Set<FindingRow>();
    for (const g of mine) {
      let best: FindingRow | null = null;
      let bestScore = 0;
      for (const c of candidates) {
        if (used.has(c)) continue;
        const s = norm(c.text) === norm(g.text) ? 1.01 : jaccard(c.text, g.text);
        if (s > bestScore) [best, bestScore] = [c, s];
      }
      if (!best || bestScore < 0.8) {
        score.problems.push(`${file}#${g.position} lost: ${g.text.slice(0, 70)}`);
        continue;
      }
      used.add(best);
      score.matched += 1;
      if (best.section === g.section) score.sectionsRight += 1;
      else
        score.problems.push(
          `${file}#${g.position} section: want ${g.section}, got ${best.section}`,
        );
    }
    for (const c of candidates)
      if (!used.has(c)) {
        score.extra += 1;
        score.problems.push(`${file} extra: ${c.text.slice(0, 70)}`);
      }
  }
  return score;
}
