import { describe, expect, it } from 'vitest';
import { parseLetter } from '@/core/pipeline/parse-letter';
import { goldFindings, goldLetters, letterFiles, readLetter } from '../helpers/gold';

const parsed = new Map(letterFiles.map((f) => [f, parseLetter(readLetter(f), f)]));

describe('the five seed documents against the hand-labelled gold', () => {
  it('holds every gold letter in data/letters', () => {
    expect(letterFiles).toEqual(goldLetters.map((g) => g.source_file).sort());
  });

  it.each(goldLetters.map((g) => [g.source_file, g] as const))('%s: metadata', (file, gold) => {
    const letter = parsed.get(file);
    expect(letter).toBeDefined();
    const m = letter!.metadata;
    expect({
      document_kind: m.documentKind,
      council_name: m.councilName,
      letter_date: m.letterDate,
      inspection_start: m.inspectionStart,
      inspection_end: m.inspectionEnd,
      inspector: m.inspector,
      has_priority_actions: letter!.findings.some((f) => f.section === 'priority_action'),
    }).toEqual({
      document_kind: gold.document_kind,
      council_name: gold.council_name,
      letter_date: gold.letter_date,
      inspection_start: gold.inspection_start,
      inspection_end: gold.inspection_end,
      inspector: gold.inspector,
      has_priority_actions: gold.has_priority_actions,
    });
    const counts = { strength: 0, satisfactory: 0, development: 0, priority_action: 0 };
    for (const f of letter!.findings) counts[f.section] += 1;
    expect(counts).toEqual(gold.counts);
  });

  it.each(goldLetters.map((g) => [g.source_file] as const))(
    '%s: every finding with its text, section, position and flag',
    (file) => {
      const letter = parsed.get(file)!;
      const expected = goldFindings
        .filter((g) => g.source_file === file)
        .map((g) => ({
          position: g.position,
          section: g.section,
          text: g.text,
          previouslyIdentified: g.previously_identified,
        }));
      const actual = letter.findings.map((f) => ({
        position: f.position,
        section: f.section,
        text: f.text,
        previouslyIdentified: f.previouslyIdentified,
      }));
      expect(actual).toEqual(expected);
    },
  );

  it('gives every finding a span that holds its text', () => {
    for (const letter of parsed.values()) {
      for (const f of letter.findings) {
        const span = letter.sourceText.slice(f.charStart, f.charEnd).replace(/\s+/g, ' ');
        expect(span).toBe(f.text);
      }
    }
  });

  it('reads the council codes and the reporting year', () => {
    const ny = parsed.get('000_488baf585f532fcc.txt')!.metadata;
    expect([ny.council?.ons_code_2011_2013, ny.council?.dfe_la_code, ny.reportingYear]).toEqual([
      'E10000023',
      '815',
      '2009-10',
    ]);
    const norfolk = parsed.get('004_88aacc15415e043e.txt')!.metadata;
    expect([norfolk.council?.region_name, norfolk.reportingYear]).toEqual([
      'East of England',
      '2010-11',
    ]);
  });
});
