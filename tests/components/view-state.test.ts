import { describe, expect, it } from 'vitest';
import {
  panelMode,
  panelModeChanges,
  tableSort,
  tableSortChanges,
  type ParamChanges,
} from '@/lib/view-state';
import { nextSort, sortRows } from '@/lib/data-table';
import { nextMark } from '@/lib/roving-focus';
import type { TableColumn } from '@/lib/csv';

/** Applies parameter changes as the app's navigation does. */
function apply(params: URLSearchParams, changes: ParamChanges): URLSearchParams {
  const next = new URLSearchParams(params);
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) next.delete(key);
    else next.set(key, value);
  }
  return next;
}

describe('panel state in the URL', () => {
  it('writes only the panels showing their table, and nothing when every panel shows its chart', () => {
    let params = new URLSearchParams('view=overview&year=2010-11');
    expect(panelMode(params, 'weakness-themes')).toBe('chart');
    params = apply(params, panelModeChanges(params, 'weakness-themes', 'table'));
    params = apply(params, panelModeChanges(params, 'Coverage by region', 'table'));
    expect(params.get('table')).toBe('weakness-themes,coverage-by-region');
    expect(panelMode(params, 'weakness-themes')).toBe('table');
    expect(panelMode(params, 'priority-actions-by-year')).toBe('chart');
    params = apply(params, panelModeChanges(params, 'weakness-themes', 'chart'));
    params = apply(params, panelModeChanges(params, 'coverage-by-region', 'chart'));
    expect(params.toString()).toBe('view=overview&year=2010-11');
  });

  it('keeps one sort per panel, replaced by the next and removed when unsorted', () => {
    let params = new URLSearchParams('view=overview');
    params = apply(params, tableSortChanges(params, 'a', { key: 'share', dir: 'desc' }));
    params = apply(params, tableSortChanges(params, 'b', { key: 'label', dir: 'asc' }));
    params = apply(params, tableSortChanges(params, 'a', { key: 'letters', dir: 'asc' }));
    expect(params.get('tsort')).toBe('b.label.asc,a.letters.asc');
    expect(tableSort(params, 'a')).toEqual({ key: 'letters', dir: 'asc' });
    expect(tableSort(params, 'c')).toBeNull();
    params = apply(params, tableSortChanges(params, 'a', null));
    params = apply(params, tableSortChanges(params, 'b', null));
    expect(params.has('tsort')).toBe(false);
  });
});

interface Row {
  name: string;
  n: number | null;
}
const columns: TableColumn<Row>[] = [
  { key: 'name', label: 'Name' },
  { key: 'n', label: 'N', numeric: true },
];
const rows: Row[] = [
  { name: 'Item 10', n: 2 },
  { name: 'item 2', n: null },
  { name: 'Item 1', n: 2 },
  { name: 'Ítem 3', n: 7 },
];

describe('table sort', () => {
  it('sorts numbers by value and text in reading order, empty cells last, ties kept in order', () => {
    expect(sortRows(rows, columns, { key: 'n', dir: 'desc' }).map((r) => r.name)).toEqual([
      'Ítem 3',
      'Item 10',
      'Item 1',
      'item 2',
    ]);
    expect(sortRows(rows, columns, { key: 'n', dir: 'asc' }).map((r) => r.name)).toEqual([
      'Item 10',
      'Item 1',
      'Ítem 3',
      'item 2',
    ]);
    expect(sortRows(rows, columns, { key: 'name', dir: 'asc' }).map((r) => r.name)).toEqual([
      'Item 1',
      'item 2',
      'Ítem 3',
      'Item 10',
    ]);
    expect(sortRows(rows, columns, null)).toBe(rows);
  });

  it('turns a heading press into a sort: first way, the other way, then none', () => {
    const [name, n] = columns as [TableColumn<Row>, TableColumn<Row>];
    expect(nextSort(null, n)).toEqual({ key: 'n', dir: 'desc' });
    expect(nextSort({ key: 'n', dir: 'desc' }, n)).toEqual({ key: 'n', dir: 'asc' });
    expect(nextSort({ key: 'n', dir: 'asc' }, n)).toBeNull();
    expect(nextSort({ key: 'n', dir: 'asc' }, name)).toEqual({ key: 'name', dir: 'asc' });
  });
});

describe('arrow keys among chart marks', () => {
  // A grid of three rows; the middle one lacks its last column (a point with no value).
  const marks = [
    [0, 0],
    [0, 1],
    [0, 2],
    [1, 0],
    [1, 1],
    [2, 0],
    [2, 1],
    [2, 2],
  ].map(([row, col], order) => ({ row: row!, col: col!, order }));
  const at = (row: number, col: number) => marks.find((m) => m.row === row && m.col === col)!;

  it('moves along a list in document order and stops at its ends', () => {
    expect(nextMark(marks, at(0, 2), 'ArrowDown', 'list')).toBe(at(1, 0));
    expect(nextMark(marks, at(0, 2), 'ArrowRight', 'list')).toBe(at(1, 0));
    expect(nextMark(marks, at(0, 0), 'ArrowUp', 'list')).toBe(at(0, 0));
    expect(nextMark(marks, at(1, 1), 'End', 'list')).toBe(at(2, 2));
    expect(nextMark(marks, at(1, 1), 'Home', 'list')).toBe(at(0, 0));
    expect(nextMark(marks, at(1, 1), 'a', 'list')).toBeUndefined();
  });

  it('moves in a grid along rows and to the nearest mark of the next row', () => {
    expect(nextMark(marks, at(0, 1), 'ArrowRight', 'grid')).toBe(at(0, 2));
    expect(nextMark(marks, at(0, 2), 'ArrowRight', 'grid')).toBe(at(0, 2));
    expect(nextMark(marks, at(0, 2), 'ArrowDown', 'grid')).toBe(at(1, 1));
    expect(nextMark(marks, at(1, 1), 'ArrowDown', 'grid')).toBe(at(2, 1));
    expect(nextMark(marks, at(2, 1), 'ArrowUp', 'grid')).toBe(at(1, 1));
    expect(nextMark(marks, at(1, 0), 'End', 'grid')).toBe(at(1, 1));
    expect(nextMark(marks, at(1, 1), 'Home', 'grid')).toBe(at(1, 0));
    expect(nextMark(marks, at(1, 1), 'End', 'grid', true)).toBe(at(2, 2));
    expect(nextMark(marks, at(1, 1), 'Home', 'grid', true)).toBe(at(0, 0));
    expect(nextMark(marks, at(0, 0), 'PageDown', 'grid')).toBe(at(2, 0));
  });
});
