// @vitest-environment jsdom
import { describe, expect, it, vi } from 'vitest';
import { useState } from 'react';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { toCouncilRows } from '@/core/pipeline/match-council';
import { CouncilCombobox, matchCouncils } from '@/app/council-combobox';
import { CouncilPicker } from '@/features/compare/council-picker';
import { MAX_COMPARED_COUNCILS, type CouncilChoiceRow } from '@/features/compare/compare-sql';
import { cleanPageAfterEach } from '../support/render-with-client';

cleanPageAfterEach();

/** Every council of the 2009-12 list, every third with no letter held. */
const CHOICES: CouncilChoiceRow[] = toCouncilRows().map((c, i) => ({
  dfe_la_code: c.dfe_la_code,
  council_name: c.council_name,
  region: c.region,
  la_type: c.la_type,
  letters: i % 3 === 0 ? 0 : (i % 4) + 1,
}));

const options = () => screen.queryAllByRole('option');
const names = () =>
  options().map((o) => o.querySelector('.council-combobox-name')?.textContent ?? '');

/** The council profile's picker: one council open, the others to open, sixty listed at most. */
function setUpProfilePicker(current?: CouncilChoiceRow) {
  const onChoose = vi.fn();
  render(
    <CouncilCombobox
      choices={CHOICES}
      keyOf={(c) => c.dfe_la_code}
      leftOut={(c) => c.dfe_la_code === current?.dfe_la_code}
      onChoose={onChoose}
      label="Choose a council"
      hint="Type to narrow the list."
      limit={60}
      optionData={(c) => ({ 'data-dfe': String(c.dfe_la_code) })}
    />,
  );
  return { onChoose, input: screen.getByRole('combobox', { name: 'Choose a council' }) };
}

/** Compare councils' picker, holding its choices as the view does. */
function ComparePicker({ onChange }: { onChange: (next: number[]) => void }) {
  const [selected, setSelected] = useState<number[]>([]);
  return (
    <CouncilPicker
      choices={CHOICES}
      selected={selected}
      onChange={(next) => {
        setSelected(next);
        onChange(next);
      }}
    />
  );
}

describe('the council combobox', () => {
  it('ranks names that start with the words typed first, and councils with letters first', () => {
    const typed = matchCouncils(CHOICES, 'ham').map((c) => c.council_name);
    expect(typed.length).toBeGreaterThan(5);
    const starting = typed.filter((n) => n.toLowerCase().startsWith('ham'));
    expect(starting.length).toBeGreaterThan(0);
    expect(typed.slice(0, starting.length)).toEqual(starting);
    expect(typed.every((n) => n.toLowerCase().includes('ham'))).toBe(true);
    const untyped = matchCouncils(CHOICES, '  ');
    expect(untyped).toHaveLength(CHOICES.length);
    const firstEmpty = untyped.findIndex((c) => c.letters === 0);
    expect(untyped.slice(firstEmpty).every((c) => c.letters === 0)).toBe(true);
    expect(matchCouncils(CHOICES, '', () => true)).toEqual([]);
  });

  it('is a combobox over a listbox, closed until asked; the arrows move and Enter chooses', () => {
    const { onChoose, input } = setUpProfilePicker(CHOICES[1]);
    const listbox = screen.getByRole('listbox', { hidden: true });
    expect(input.getAttribute('aria-controls')).toBe(listbox.id);
    expect(input.getAttribute('aria-expanded')).toBe('false');
    expect(input.getAttribute('aria-describedby')).toBeTruthy();
    expect(options()).toHaveLength(0);
    fireEvent.keyDown(input, { key: 'ArrowDown' });
    expect(input.getAttribute('aria-expanded')).toBe('true');
    // Sixty at most, the open council left out.
    expect(options()).toHaveLength(60);
    expect(names()).not.toContain(CHOICES[1]!.council_name);
    fireEvent.keyDown(input, { key: 'ArrowDown' });
    fireEvent.keyDown(input, { key: 'ArrowDown' });
    const active = options()[2]!;
    expect(input.getAttribute('aria-activedescendant')).toBe(active.id);
    expect(active.getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(input, { key: 'ArrowUp' });
    fireEvent.keyDown(input, { key: 'ArrowUp' });
    fireEvent.keyDown(input, { key: 'ArrowUp' });
    // Up from the first wraps round to the last.
    expect(input.getAttribute('aria-activedescendant')).toBe(options().at(-1)!.id);
    fireEvent.change(input, { target: { value: 'leed' } });
    expect(names()[0]).toBe('Leeds');
    expect(within(options()[0]!).getByText(/letter/).textContent).toMatch(
      /^Yorkshire and (the )?Humber · (no letter held|\d letters?)$/i,
    );
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(onChoose).toHaveBeenCalledTimes(1);
    expect(onChoose.mock.calls[0]![0].council_name).toBe('Leeds');
    expect((input as HTMLInputElement).value).toBe('');
    expect(input.getAttribute('aria-expanded')).toBe('false');
  });

  it('says when nothing matches; Escape closes the list, then clears the text', () => {
    const { onChoose, input } = setUpProfilePicker();
    fireEvent.change(input, { target: { value: 'Atlantis' } });
    expect(options()).toHaveLength(1);
    expect(options()[0]!.getAttribute('aria-disabled')).toBe('true');
    expect(options()[0]!.textContent).toBe('No council matches “Atlantis”.');
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(onChoose).not.toHaveBeenCalled();
    fireEvent.keyDown(input, { key: 'Escape' });
    expect(input.getAttribute('aria-expanded')).toBe('false');
    expect((input as HTMLInputElement).value).toBe('Atlantis');
    fireEvent.keyDown(input, { key: 'Escape' });
    expect((input as HTMLInputElement).value).toBe('');
  });

  it('chooses with a click, keeping the focus in the field', () => {
    const { onChoose, input } = setUpProfilePicker();
    input.focus();
    fireEvent.click(input);
    const option = options()[4]!;
    expect(fireEvent.mouseDown(option)).toBe(false);
    fireEvent.click(option);
    expect(onChoose.mock.calls[0]![0].dfe_la_code).toBe(Number(option.getAttribute('data-dfe')));
  });
});

describe('Compare councils’ picker on the shared combobox', () => {
  it('adds councils from the keyboard up to five, lists them with Remove buttons, and announces', () => {
    const onChange = vi.fn();
    render(<ComparePicker onChange={onChange} />);
    const input = screen.getByRole('combobox', { name: 'Add a council' });
    // It opens as the field takes the focus.
    fireEvent.focus(input);
    expect(input.getAttribute('aria-expanded')).toBe('true');
    const added: string[] = [];
    for (let i = 0; i < MAX_COMPARED_COUNCILS; i += 1) {
      fireEvent.change(input, { target: { value: 'shire' } });
      added.push(names()[0]!);
      fireEvent.keyDown(input, { key: 'Enter' });
      // A council chosen is no longer offered.
      fireEvent.change(input, { target: { value: 'shire' } });
      expect(names()).not.toContain(added.at(-1));
    }
    expect(new Set(added).size).toBe(MAX_COMPARED_COUNCILS);
    expect(onChange).toHaveBeenLastCalledWith(
      added.map((n) => CHOICES.find((c) => c.council_name === n)!.dfe_la_code),
    );
    expect(screen.getByRole('status').textContent).toBe(`${added.at(-1)} added to the comparison.`);
    // Full: the field takes no more and says why.
    expect((input as HTMLInputElement).disabled).toBe(true);
    expect(input.getAttribute('placeholder')).toBe('Five councils chosen');
    expect(input.getAttribute('aria-expanded')).toBe('false');
    expect(screen.getByText(/Remove one to add another\./)).toBeTruthy();
    const chosen = screen.getByRole('list', { name: /Compared \(5 of 5\)/ });
    expect(within(chosen).getAllByRole('listitem')).toHaveLength(5);
    fireEvent.click(screen.getByRole('button', { name: `Remove ${added[0]}` }));
    expect(screen.getByRole('status').textContent).toBe(`${added[0]} removed from the comparison.`);
    expect((input as HTMLInputElement).disabled).toBe(false);
    expect(document.activeElement).toBe(input);
    fireEvent.click(screen.getByRole('button', { name: 'Clear all' }));
    expect(onChange).toHaveBeenLastCalledWith([]);
  });
});
