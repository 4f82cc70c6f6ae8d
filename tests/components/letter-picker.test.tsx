// @vitest-environment jsdom
import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, within } from '@testing-library/react';
import type { LetterListRow } from '@/features/letter/letter-sql';
import { LetterPicker } from '@/features/letter/letter-picker';
import { matchLetters, PICKER_LIMIT } from '@/features/letter/letter-search';
import { plainCouncilName, referenceCouncils } from '@/core/pipeline/match-council';
import { cleanPageAfterEach } from '../support/render-with-client';

cleanPageAfterEach();

/**
 * 456 letters: every council in the reference table, three inspections each (2009, 2010, 2011),
 * every seventh a council's own report: the picker must find one among as many as the real
 * collection holds.
 */
const ROWS: LetterListRow[] = referenceCouncils
  .flatMap((council, c) =>
    [2009, 2010, 2011].map((year, y): LetterListRow => {
      const start = `${year}-0${(c % 9) + 1}-1${y}`;
      const name = plainCouncilName(council.la_name);
      return {
        letter_id: `${name.toLowerCase().replace(/[^a-z]+/g, '-')}-${start}`,
        council_name: name,
        inspection_start: start,
        inspection_year: year,
        reporting_year: `${year}-${String((year + 1) % 100).padStart(2, '0')}`,
        region: council.region_name,
        document_kind: (c * 3 + y) % 7 === 0 ? 'council_report' : 'ofsted_letter',
        finding_count: 10 + ((c + y) % 12),
        warning_count: 0,
        added: false,
      };
    }),
  )
  .sort(
    (a, b) =>
      a.council_name.localeCompare(b.council_name) ||
      a.inspection_start.localeCompare(b.inspection_start),
  );

function setUp(selected?: string) {
  const onPick = vi.fn();
  render(<LetterPicker rows={ROWS} selected={selected} onPick={onPick} />);
  const input = screen.getByRole('combobox', { name: 'Find a letter' });
  const listbox = screen.getByRole('listbox', { hidden: true });
  return { onPick, input, listbox };
}

const options = () => screen.queryAllByRole('option');
const status = () => screen.getByRole('status').textContent;

describe('the letter picker', () => {
  it('holds more than 450 letters', () => {
    expect(ROWS.length).toBeGreaterThan(450);
    expect(new Set(ROWS.map((r) => r.letter_id)).size).toBe(ROWS.length);
  });

  it('is a combobox that controls a listbox, closed until asked', () => {
    const { input, listbox } = setUp();
    expect(input.getAttribute('aria-expanded')).toBe('false');
    expect(input.getAttribute('aria-controls')).toBe(listbox.id);
    expect(input.getAttribute('aria-autocomplete')).toBe('list');
    expect(listbox.hidden).toBe(true);
    expect(status()).toBe(
      `${ROWS.length} letters; the first ${PICKER_LIMIT} listed, ${ROWS.length - PICKER_LIMIT} more: type to narrow`,
    );
  });

  it('lists at most 50 matches and counts the rest', () => {
    const { input } = setUp();
    fireEvent.keyDown(input, { key: 'ArrowDown' });
    expect(input.getAttribute('aria-expanded')).toBe('true');
    expect(options()).toHaveLength(PICKER_LIMIT);
    fireEvent.change(input, { target: { value: '2010' } });
    const in2010 = ROWS.filter(
      (r) => r.inspection_year === 2010 || r.reporting_year.includes('2010'),
    );
    expect(options()).toHaveLength(PICKER_LIMIT);
    expect(status()).toBe(
      `${in2010.length} letters match “2010”; the first ${PICKER_LIMIT} listed, ${in2010.length - PICKER_LIMIT} more: type to narrow`,
    );
  });

  it('narrows by council, year, region and kind of document, every word counting', () => {
    const { input } = setUp();
    fireEvent.change(input, { target: { value: 'leeds' } });
    expect(options().map((o) => o.dataset.letter)).toEqual(
      ROWS.filter((r) => r.council_name === 'Leeds').map((r) => r.letter_id),
    );
    expect(status()).toBe('3 letters match “leeds”');
    fireEvent.change(input, { target: { value: 'Leeds 2010' } });
    expect(options().map((o) => o.dataset.letter)).toEqual(['leeds-2010-09-11']);
    expect(status()).toBe('1 letter matches “Leeds 2010”');

    fireEvent.change(input, { target: { value: 'north east 2011 council report' } });
    const expected = ROWS.filter(
      (r) =>
        r.region === 'North East' &&
        r.inspection_year === 2011 &&
        r.document_kind === 'council_report',
    );
    expect(expected.length).toBeGreaterThan(0);
    // Every word counts anywhere (Northamptonshire is in the East Midlands), but the letters
    // where the words stand together as typed come first.
    const shown = options().map((o) => o.dataset.letter);
    expect(shown.slice(0, expected.length)).toEqual(expected.map((r) => r.letter_id));
    expect(shown.slice(expected.length).every((id) => id?.startsWith('north'))).toBe(true);

    fireEvent.change(input, { target: { value: 'atlantis' } });
    expect(options()).toHaveLength(0);
    expect(status()).toBe('No letter matches “atlantis”');
  });

  it('puts councils whose name starts with the words typed first', () => {
    const york = matchLetters(ROWS, 'york').map((r) => r.council_name);
    expect(york.slice(0, 3)).toEqual(['York', 'York', 'York']);
    expect(york).toContain('North Yorkshire');
  });

  it('moves with the arrows by aria-activedescendant, and Enter opens the letter in hand', () => {
    const { input, onPick } = setUp();
    fireEvent.change(input, { target: { value: 'leeds' } });
    const active = () => input.getAttribute('aria-activedescendant');
    // Typing puts the first match in hand.
    expect(active()).toBe(options()[0]!.id);
    fireEvent.keyDown(input, { key: 'ArrowDown' });
    expect(active()).toBe(options()[1]!.id);
    fireEvent.keyDown(input, { key: 'ArrowUp' });
    fireEvent.keyDown(input, { key: 'ArrowUp' });
    // Up from the first wraps to the last.
    expect(active()).toBe(options()[2]!.id);
    expect(options()[2]!.className).toContain('active');
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(onPick).toHaveBeenCalledWith('leeds-2011-09-12');
    expect(input.getAttribute('aria-expanded')).toBe('false');
    expect(input.getAttribute('aria-activedescendant')).toBeNull();
    expect((input as HTMLInputElement).value).toBe('');
  });

  it('Escape closes the list, then clears the text', () => {
    const { input, onPick } = setUp();
    fireEvent.change(input, { target: { value: 'leeds' } });
    fireEvent.keyDown(input, { key: 'Escape' });
    expect(input.getAttribute('aria-expanded')).toBe('false');
    expect((input as HTMLInputElement).value).toBe('leeds');
    fireEvent.keyDown(input, { key: 'Escape' });
    expect((input as HTMLInputElement).value).toBe('');
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(onPick).not.toHaveBeenCalled();
  });

  it('opens on the letter that is open, marked as selected', () => {
    const selected = ROWS[20]!.letter_id;
    const { input } = setUp(selected);
    fireEvent.keyDown(input, { key: 'ArrowDown' });
    const chosen = options().filter((o) => o.getAttribute('aria-selected') === 'true');
    expect(chosen.map((o) => o.dataset.letter)).toEqual([selected]);
    expect(input.getAttribute('aria-activedescendant')).toBe(chosen[0]!.id);
    expect(within(chosen[0]!).getByText('(open)')).toBeTruthy();
  });

  it('a click on an option opens that letter', () => {
    const { input, onPick } = setUp();
    fireEvent.change(input, { target: { value: 'bradford' } });
    fireEvent.click(options()[1]!);
    expect(onPick).toHaveBeenCalledWith(
      ROWS.filter((r) => r.council_name === 'Bradford')[1]!.letter_id,
    );
  });
});
