import { SECTION_HEADINGS, SECTIONS, type Section } from '../../src/core/schema';
import type { ParsedLetter } from '@/core/pipeline/parse-letter';
import { plainCouncilName, referenceCouncils } from '@/core/pipeline/match-council';
import { MONTH_NAMES } from '@/core/pipeline/read-metadata';

/** The banner every synthetic letter carries, so that none can be mistaken for a real one. */
export const SYNTHETIC_BANNER =
  'SYNTHETIC LETTER FOR BENCHMARKS ONLY: findings recombined from real letters; not an Ofsted document.';

/** A synthetic letter: its file name (always `synthetic-…`) and its text. */
export interface SyntheticLetter {
  name: string;
  text: string;
}

/** A small deterministic PRNG (mulberry32), so that the same N gives the same corpus. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** "30 June 2009" for a UTC date. */
function longDate(date: Date): string {
  return `${date.getUTCDate()} ${MONTH_NAMES[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
}

/**
 * Recombines real findings across the 152 councils and the 2009-12 years into `count` letters
 * in Ofsted's layout. Each council gets distinct inspection dates so that no two letters are the
 * same inspection.
 */
export function makeSyntheticLetters(
  real: ParsedLetter[],
  count: number,
  seed = 1,
): SyntheticLetter[] {
  const pool: Record<Section, string[]> = {
    strength: [],
    satisfactory: [],
    development: [],
    priority_action: [],
  };
  for (const letter of real) for (const f of letter.findings) pool[f.section].push(f.text);
  const next = random(seed);
  const councils = referenceCouncils;
  const out: SyntheticLetter[] = [];
  for (let i = 0; i < count; i += 1) {
    const council = councils[i % councils.length]!;
    const name = plainCouncilName(council.la_name);
    // Distinct per council: the k-th letter of a council is 3k days after 1 April 2009, wrapping
    // within the three inspection years only after 365 letters per council.
    const k = Math.floor(i / councils.length);
    const start = new Date(
      Date.UTC(2009, 3, 1) + ((k * 3) % 1095) * 86_400_000 + Math.floor(k / 365) * 86_400_000,
    );
    const end = new Date(start.getTime() + 86_400_000);
    const lines = [
      SYNTHETIC_BANNER,
      '',
      longDate(new Date(end.getTime() + 28 * 86_400_000)),
      '',
      'Dear Director',
      '',
      `Annual unannounced inspection of contact, referral and assessment arrangements within ${name} children's services`,
      '',
      `This letter summarises the findings of the recent unannounced inspection of contact, referral and assessment arrangements within ${name} which was conducted on ${start.getUTCDate()} ${MONTH_NAMES[start.getUTCMonth()]} and ${longDate(end)}.`,
      '',
      'From the evidence gathered, the following features of the service were identified:',
    ];
    for (const section of SECTIONS) {
      const source = pool[section];
      const wanted =
        section === 'priority_action'
          ? next() < 0.2
            ? 1 + Math.floor(next() * 2)
            : 0
          : 3 + Math.floor(next() * 8);
      if (wanted === 0 || source.length === 0) continue;
      lines.push('', SECTION_HEADINGS[section], '');
      for (let j = 0; j < wanted; j += 1)
        lines.push(`- ${source[Math.floor(next() * source.length)]}`);
    }
    lines.push(
      '',
      'Any areas for development identified above will be specifically considered in any future inspection.',
      '',
      'Yours sincerely',
      '',
      'Sam Synthetic',
      "Her Majesty's Inspector (synthetic)",
    );
    out.push({
      name: `synthetic-${String(i).padStart(6, '0')}.txt`,
      text: `${lines.join('\n')}\n`,
    });
  }
  return out;
}
