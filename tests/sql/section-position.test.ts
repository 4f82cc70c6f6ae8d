import { describe, expect, it } from 'vitest';
import type { FindingRow } from '@/core/schema';
import { buildWeaknessQuotesSql, type WeaknessQuoteRow } from '@/app/council-ranking-sql';
import { buildEvidenceSql, type EvidenceRow } from '@/features/evidence/evidence-sql';
import { buildLetterSpansSql, type LetterSpanRow } from '@/features/letter/letter-sql';
import {
  buildPreviouslyIdentifiedFindingsSql,
  type PreviouslyIdentifiedFindingRow,
} from '@/features/recurrence/recurrence-sql';
import { buildTrainerWeaknessesSql, type TrainerThemeRow } from '@/features/trainers/trainers-sql';
import { sectionPositionSql, sectionPositionWindowSql } from '@/lib/section-position';
import { sql } from '@/lib/sql';
import { runBuilt, useContractFixture } from '../support/parquet-fixture';

/**
 * The finding's number within its section (src/lib/section-position.ts), over a real ingest of
 * the bundled letters: the fragment, its window form and every builder that gives the number,
 * against the rows counted here in plain code and against the SQL each builder had before.
 */
const data = useContractFixture();

/** Each finding's number in its section, counted from the rows read with hyparquet. */
function counted(findings: readonly FindingRow[]): Map<string, number> {
  return new Map(
    findings.map((f) => [
      f.finding_id,
      findings.filter(
        (g) => g.letter_id === f.letter_id && g.section === f.section && g.position <= f.position,
      ).length,
    ]),
  );
}

/** The correlated subquery the evidence, trainers and recurrence builders each wrote out before. */
const BEFORE = sql`SELECT f.finding_id,
    (SELECT count(*) FROM findings AS g
     WHERE g.letter_id = f.letter_id AND g.section = f.section AND g.position <= f.position
    )::INTEGER AS section_position
  FROM findings AS f ORDER BY f.finding_id`;

/** The window the letter view and the council's quotes wrote out before. */
const BEFORE_WINDOW = sql`SELECT f.finding_id,
    row_number() OVER (PARTITION BY f.letter_id, f.section ORDER BY f.position)::INTEGER
      AS section_position
  FROM findings AS f ORDER BY f.finding_id`;

interface Numbered {
  finding_id: string;
  section_position: number;
}

describe('a finding’s number within its section', () => {
  it('counts the findings of its letter and section up to it, as the SQL before did', async () => {
    const expected = counted(data.findings);
    // The data has letters with several findings in a section, or the numbers would all be 1.
    expect(Math.max(...expected.values())).toBeGreaterThan(3);
    const fragment = await runBuilt<Numbered>(
      data.db,
      sql`SELECT f.finding_id, ${sectionPositionSql('f')} AS section_position
        FROM findings AS f ORDER BY f.finding_id`,
    );
    const window = await runBuilt<Numbered>(
      data.db,
      sql`SELECT finding_id, ${sectionPositionWindowSql()} AS section_position
        FROM findings ORDER BY finding_id`,
    );
    const windowAliased = await runBuilt<Numbered>(
      data.db,
      sql`SELECT f.finding_id, ${sectionPositionWindowSql('f')} AS section_position
        FROM findings AS f ORDER BY f.finding_id`,
    );
    expect(fragment).toHaveLength(data.findings.length);
    for (const row of fragment) expect(row.section_position).toBe(expected.get(row.finding_id));
    expect(fragment).toEqual(await runBuilt<Numbered>(data.db, BEFORE));
    expect(window).toEqual(fragment);
    expect(windowAliased).toEqual(await runBuilt<Numbered>(data.db, BEFORE_WINDOW));
    expect(windowAliased).toEqual(fragment);
  });

  it('is the same number in every view that gives it', async () => {
    const expected = counted(data.findings);
    const check = (rows: readonly Numbered[], what: string) => {
      expect(rows.length, what).toBeGreaterThan(0);
      for (const row of rows)
        expect(row.section_position, `${what}: ${row.finding_id}`).toBe(
          expected.get(row.finding_id),
        );
    };

    const evidence = await runBuilt<EvidenceRow>(
      data.db,
      buildEvidenceSql({ filters: {}, limit: 100_000 }),
    );
    expect(evidence).toHaveLength(data.findings.length);
    check(evidence, 'evidence');

    const marked = await runBuilt<PreviouslyIdentifiedFindingRow>(
      data.db,
      buildPreviouslyIdentifiedFindingsSql({}),
    );
    expect(marked).toHaveLength(data.findings.filter((f) => f.previously_identified).length);
    check(marked, 'findings raised before');

    const trainers = await runBuilt<TrainerThemeRow>(
      data.db,
      buildTrainerWeaknessesSql({ filters: {} }),
    );
    check(
      trainers.flatMap((t) => t.quotes),
      'trainers’ quotes',
    );

    for (const letter of data.letters) {
      const spans = await runBuilt<LetterSpanRow>(data.db, buildLetterSpansSql(letter.letter_id));
      expect(spans).toHaveLength(
        data.findings.filter((f) => f.letter_id === letter.letter_id).length,
      );
      check(spans, `letter ${letter.letter_id}`);
    }

    for (const letter of data.letters) {
      const quotes = await runBuilt<WeaknessQuoteRow>(
        data.db,
        buildWeaknessQuotesSql({ filters: {}, council: letter.la_code ?? letter.council_name }),
      );
      check(quotes, `council ${letter.council_name}`);
    }
  });
});
