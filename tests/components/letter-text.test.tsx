// @vitest-environment jsdom
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckDBConnection } from '@duckdb/node-api';
import { render } from '@testing-library/react';
import {
  buildLetterSpansSql,
  buildLetterSql,
  type LetterDetailRow,
  type LetterSpanRow,
} from '@/features/letter/letter-sql';
import { focusedFindingId, LetterText } from '@/features/letter/letter-view';
import { ingestLetters, openDatabase, removeIngested, runBuilt } from '../support/parquet-fixture';
import { cleanPageAfterEach } from '../support/render-with-client';

cleanPageAfterEach();

/**
 * The bundled letters, ingested, as the letter view's queries give them (read through DuckDB:
 * hyparquet does not take jsdom's ArrayBuffer).
 */
let dir: string;
let db: DuckDBConnection;
let letterIds: string[];

beforeAll(async () => {
  dir = ingestLetters();
  db = await openDatabase(dir);
  const rows = await runBuilt<{ letter_id: string }>(db, {
    sql: 'SELECT letter_id FROM letters ORDER BY letter_id',
    params: [],
  });
  letterIds = rows.map((r) => r.letter_id);
});

afterAll(() => {
  db?.closeSync();
  if (dir) removeIngested(dir);
});

async function letterData(id: string) {
  const [letter] = await runBuilt<LetterDetailRow>(db, buildLetterSql(id));
  const spans = await runBuilt<LetterSpanRow>(db, buildLetterSpansSql(id));
  return { letter: letter!, spans };
}

const collapse = (text: string | null | undefined) => (text ?? '').replace(/\s+/g, ' ').trim();

describe('the letter’s text in the letter view', () => {
  it('shows every bundled letter without converter markup, each finding marked once', async () => {
    expect(letterIds.length).toBeGreaterThanOrEqual(5);
    for (const letter_id of letterIds) {
      const { letter, spans } = await letterData(letter_id);
      const { container, unmount } = render(<LetterText letter={letter} spans={spans} />);
      const body = container.querySelector('.letter-body')!;
      const text = body.textContent ?? '';
      expect(text, letter_id).not.toMatch(/#|\*\*|__|<\/?[a-z][^>]*>|\f|\|/i);
      const marks = [...body.querySelectorAll<HTMLElement>('mark.letter-span')];
      expect(marks.map((m) => m.dataset.finding)).toEqual(spans.map((s) => s.finding_id));
      for (const [i, mark] of marks.entries()) {
        const span = spans[i]!;
        expect(mark.id).toBe(`finding-${span.position}`);
        expect(collapse(mark.querySelector('.span-text')?.textContent)).toBe(span.text);
        expect(mark.className).toContain(`section-${span.section}`);
      }
      // Headings and lists, not one block of text.
      expect(body.querySelectorAll('h3, h4').length).toBeGreaterThan(0);
      expect(body.querySelectorAll('li mark.letter-span').length).toBeGreaterThan(0);
      unmount();
    }
  });

  it('labels each finding with its section and themes, uncertain ones marked with their confidence', async () => {
    const [most] = await runBuilt<{ letter_id: string }>(db, {
      sql: `SELECT f.letter_id FROM finding_themes AS ft JOIN findings AS f USING (finding_id)
        WHERE ft.uncertain GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`,
      params: [],
    });
    const { letter, spans } = await letterData(most!.letter_id);
    const { container } = render(<LetterText letter={letter} spans={spans} />);
    const uncertainTags = spans.flatMap((s) => s.themes.filter((t) => t.uncertain));
    const shown = [...container.querySelectorAll<HTMLElement>('.span-theme.uncertain')];
    expect(uncertainTags.length).toBeGreaterThan(0);
    expect(shown).toHaveLength(uncertainTags.length);
    shown.forEach((tag, i) => {
      const theme = uncertainTags[i]!;
      expect(tag.querySelector('.uncertain-flag')?.textContent).toBe('uncertain');
      const confidence = theme.confidence!.toFixed(2);
      expect(tag.title).toContain(`confidence in this theme is ${confidence}`);
      // Said to screen readers too, not only in a tooltip.
      expect(tag.querySelector('.visually-hidden')?.textContent).toContain(confidence);
    });
    const sure = spans.flatMap((s) => s.themes.filter((t) => !t.uncertain));
    expect(container.querySelectorAll('.span-theme:not(.uncertain)')).toHaveLength(sure.length);

    const first = container.querySelector<HTMLElement>('mark.letter-span')!;
    const label = collapse(first.querySelector('.span-label')?.textContent);
    const span = spans[0]!;
    expect(label.startsWith(`Finding ${span.position}.`)).toBe(true);
    for (const theme of span.themes) expect(label).toContain(theme.label);
  });

  it('lands on the finding a link names, by position or by id, focused and highlighted', async () => {
    const id = letterIds[0]!;
    const { letter, spans } = await letterData(id);
    const target = spans[Math.floor(spans.length / 2)]!;
    for (const focus of [String(target.position), target.finding_id]) {
      const { container, unmount } = render(
        <LetterText letter={letter} spans={spans} focus={focus} />,
      );
      const focused = container.querySelectorAll<HTMLElement>('mark.focused');
      expect(focused).toHaveLength(1);
      expect(focused[0]!.dataset.finding).toBe(target.finding_id);
      expect(document.activeElement).toBe(focused[0]);
      unmount();
    }
    expect(focusedFindingId(id, '007')).toBe(`${id}#7`);
    expect(focusedFindingId(id, undefined)).toBeUndefined();
  });

  it('shows page turns, and lists a finding whose span marks no text after the letter', () => {
    const source = [
      'Strengths',
      '',
      '• Staff are **well** supported.',
      '',
      'Page 1 of 2',
      '\f',
      '• Managers are visible.',
    ].join('\n');
    const letter: LetterDetailRow = {
      letter_id: 'test-2010-01-01',
      council_name: 'Test',
      region: null,
      document_kind: 'ofsted_letter',
      letter_date: null,
      inspection_start: '2010-01-01',
      inspection_end: '2010-01-01',
      reporting_year: '2009-10',
      inspector: null,
      source_file: 'test.txt',
      source_text: source,
      warnings: [],
      added: false,
    };
    const span = (position: number, text: string, start: number, end: number): LetterSpanRow => ({
      finding_id: `${letter.letter_id}#${position}`,
      finding_key: null,
      position,
      section_position: position,
      page: null,
      section: 'strength',
      text,
      char_start: start,
      char_end: end,
      previously_identified: false,
      theme_labels: [],
      themes: [],
    });
    const s1 = source.indexOf('Staff');
    const s2 = source.indexOf('Managers');
    const spans = [
      span(1, 'Staff are well supported.', s1, s1 + 'Staff are **well** supported.'.length),
      span(2, 'Managers are visible.', s2, s2 + 'Managers are visible.'.length),
      span(3, 'A finding from elsewhere.', source.length + 10, source.length + 20),
    ];
    const { container } = render(<LetterText letter={letter} spans={spans} />);
    expect(container.querySelector('.page-turn')?.textContent).toBe('page 2');
    expect(container.querySelector('mark strong')?.textContent).toBe('well');
    expect(collapse(container.querySelector('.letter-body')?.textContent)).not.toContain('•');
    const unplaced = container.querySelector('.letter-unplaced')!;
    expect(unplaced.querySelector('h3')?.textContent).toMatch(/not found/);
    expect(collapse(unplaced.querySelector('.span-text')?.textContent)).toBe(
      'A finding from elsewhere.',
    );
  });
});
