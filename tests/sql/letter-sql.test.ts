import { describe, expect, it } from 'vitest';
import {
  buildLetterListSql,
  buildLetterSpansSql,
  buildLetterSql,
  type LetterDetailRow,
  type LetterListRow,
  type LetterSpanRow,
} from '@/features/letter/letter-sql';
import { findingText, letterBlocks } from '@/features/letter/letter-blocks';
import { openDatabase, runBound, runBuilt, useContractFixture } from '../support/parquet-fixture';

/** The letter view's queries in DuckDB over a real ingest of the bundled letters. */
const data = useContractFixture();

describe('the letter view’s SQL', () => {
  it('lists every letter for the picker, with what it is searched by', async () => {
    const rows = await runBuilt<LetterListRow>(data.db, buildLetterListSql());
    const expected = [...data.letters].sort(
      (a, b) =>
        a.council_name.localeCompare(b.council_name) ||
        a.inspection_start.localeCompare(b.inspection_start),
    );
    expect(rows.map((r) => r.letter_id)).toEqual(expected.map((l) => l.letter_id));
    for (const row of rows) {
      const letter = data.letters.find((l) => l.letter_id === row.letter_id)!;
      expect(row).toEqual({
        letter_id: letter.letter_id,
        council_name: letter.council_name,
        inspection_start: letter.inspection_start,
        inspection_year: letter.inspection_year,
        reporting_year: letter.reporting_year,
        region: letter.region,
        document_kind: letter.document_kind,
        finding_count: letter.finding_count,
        warning_count: 0,
        added: false,
      });
    }
  });

  it('gives a letter’s text and details', async () => {
    for (const letter of data.letters) {
      const [row] = await runBuilt<LetterDetailRow>(data.db, buildLetterSql(letter.letter_id));
      expect(row?.source_text).toBe(letter.source_text);
      expect(row?.council_name).toBe(letter.council_name);
      expect(row?.warnings).toEqual([]);
    }
    expect(await runBuilt(data.db, buildLetterSql('no-such-letter'))).toEqual([]);
  });

  it('gives each finding’s span, section and themes, most central first, with how sure each is', async () => {
    let uncertain = 0;
    for (const letter of data.letters) {
      const spans = await runBuilt<LetterSpanRow>(data.db, buildLetterSpansSql(letter.letter_id));
      const findings = data.findings
        .filter((f) => f.letter_id === letter.letter_id)
        .sort((a, b) => a.char_start - b.char_start);
      expect(spans.map((s) => s.finding_id)).toEqual(findings.map((f) => f.finding_id));
      for (const span of spans) {
        const finding = findings.find((f) => f.finding_id === span.finding_id)!;
        expect(span).toMatchObject({
          position: finding.position,
          section: finding.section,
          text: finding.text,
          char_start: finding.char_start,
          char_end: finding.char_end,
          previously_identified: finding.previously_identified,
          finding_key: finding.finding_key,
          page: finding.page,
        });
        // Its number within its section, as a citation counts it.
        expect(span.section_position).toBe(
          findings.filter((f) => f.section === finding.section && f.position <= finding.position)
            .length,
        );
        const tags = data.findingThemes
          .filter((t) => t.finding_id === span.finding_id)
          .sort((a, b) => a.rank - b.rank);
        const label = (id: string) => data.themes.find((t) => t.theme_id === id)!.label;
        expect(span.themes).toEqual(
          tags.map((t) => ({
            theme_id: t.theme_id,
            label: label(t.theme_id),
            source: t.source,
            uncertain: t.uncertain,
            confidence: t.confidence,
          })),
        );
        expect(span.theme_labels).toEqual(tags.map((t) => label(t.theme_id)));
        uncertain += span.themes.filter((t) => t.uncertain).length;
      }
      // The spans, laid out, mark each finding's own text.
      const layout = letterBlocks(letter.source_text, spans);
      expect(layout.unplaced).toEqual([]);
      spans.forEach((span, i) => expect(findingText(layout, i)).toBe(span.text));
    }
    // The bundled letters do carry uncertain tags: the marks are exercised.
    expect(uncertain).toBe(data.findingThemes.filter((t) => t.uncertain).length);
    expect(uncertain).toBeGreaterThan(0);
  });

  it('binds the letter id as a parameter, whatever it holds', async () => {
    const id = data.letters[0]!.letter_id;
    const bound = await runBound<LetterSpanRow>(data.db, buildLetterSpansSql(id));
    expect(bound.length).toBeGreaterThan(0);
    expect(await runBound(data.db, buildLetterSpansSql("x' OR '1'='1"))).toEqual([]);
    expect(buildLetterSql(id).params).toEqual([id]);
  });

  it('reads tags without a confidence (files before contract 1.2) as certain: null', async () => {
    const db = await openDatabase(data.dir);
    try {
      await db.run(
        'CREATE OR REPLACE TABLE finding_themes AS SELECT * REPLACE (NULL::DOUBLE AS confidence, NULL::BOOLEAN AS uncertain) FROM finding_themes',
      );
      const id = data.letters[0]!.letter_id;
      const spans = await runBuilt<LetterSpanRow>(db, buildLetterSpansSql(id));
      const themes = spans.flatMap((s) => s.themes);
      expect(themes.length).toBeGreaterThan(0);
      for (const theme of themes)
        expect(theme).toMatchObject({ uncertain: null, confidence: null });
    } finally {
      db.closeSync();
    }
  });
});
