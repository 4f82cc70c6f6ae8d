import { useEffect, useRef, type RefObject } from 'react';

/**
 * Keyboard reach for a chart's marks (bars, cells, points, intervals): the chart is one stop of
 * the Tab key, and the arrow keys move between its marks (a roving tabindex, as the WAI-ARIA
 * Authoring Practices describe for composite widgets). A mark says it is one with
 * `data-roving-row` (and, in a grid, `data-roving-col`); it carries its own accessible name
 * (label, value, n and interval) and its own click action, which Enter and Space also run.
 *
 * - `list`: every arrow key moves to the next or previous mark in document order; Home and End
 *   go to the first and last.
 * - `grid`: Left and Right move along a row (`data-roving-row`), Up and Down to the nearest mark
 *   of the same column in the row above or below; Home and End go to the row's first and last,
 *   Ctrl+Home and Ctrl+End to the grid's; Page Up and Page Down move ten rows.
 *
 * The marks' tabindex is set here, not by React: only the mark last reached (else the first) is
 * reachable with Tab, and marks drawn later by a library (recharts' points) are picked up too.
 */
export type RovingMode = 'list' | 'grid';

/** The attribute that makes an element one of the marks. */
export const ROVING_ROW = 'data-roving-row';
/** A mark's column in a grid. */
export const ROVING_COL = 'data-roving-col';

const SELECTOR = `[${ROVING_ROW}]`;

interface Mark {
  element: HTMLElement | SVGElement;
  row: number;
  col: number;
  order: number;
}

function marksIn(root: HTMLElement): Mark[] {
  return [...root.querySelectorAll<HTMLElement | SVGElement>(SELECTOR)].map((element, order) => ({
    element,
    row: Number(element.getAttribute(ROVING_ROW)),
    col: Number(element.getAttribute(ROVING_COL) ?? 0),
    order,
  }));
}

/** Where a key moves from `from` among `marks`; undefined for a key that moves nothing. */
export function nextMark<M extends { row: number; col: number; order: number }>(
  marks: readonly M[],
  from: M,
  key: string,
  mode: RovingMode,
  ctrl = false,
): M | undefined {
  if (marks.length === 0) return undefined;
  if (mode === 'list') {
    const i = marks.indexOf(from);
    if (key === 'ArrowDown' || key === 'ArrowRight')
      return marks[Math.min(i + 1, marks.length - 1)];
    if (key === 'ArrowUp' || key === 'ArrowLeft') return marks[Math.max(i - 1, 0)];
    if (key === 'Home') return marks[0];
    if (key === 'End') return marks[marks.length - 1];
    return undefined;
  }
  const rows = [...new Set(marks.map((m) => m.row))].sort((a, b) => a - b);
  const inRow = (row: number) =>
    marks.filter((m) => m.row === row).sort((a, b) => a.col - b.col || a.order - b.order);
  const nearest = (row: number, col: number) =>
    inRow(row).reduce<M | undefined>(
      (best, m) => (!best || Math.abs(m.col - col) < Math.abs(best.col - col) ? m : best),
      undefined,
    );
  const rowIndex = rows.indexOf(from.row);
  const own = inRow(from.row);
  const at = own.indexOf(from);
  const toRow = (index: number) =>
    nearest(rows[Math.max(0, Math.min(rows.length - 1, index))]!, from.col);
  switch (key) {
    case 'ArrowRight':
      return own[Math.min(at + 1, own.length - 1)];
    case 'ArrowLeft':
      return own[Math.max(at - 1, 0)];
    case 'ArrowDown':
      return toRow(rowIndex + 1);
    case 'ArrowUp':
      return toRow(rowIndex - 1);
    case 'PageDown':
      return toRow(rowIndex + 10);
    case 'PageUp':
      return toRow(rowIndex - 10);
    case 'Home':
      return ctrl ? inRow(rows[0]!)[0] : own[0];
    case 'End': {
      if (!ctrl) return own[own.length - 1];
      const last = inRow(rows[rows.length - 1]!);
      return last[last.length - 1];
    }
    default:
      return undefined;
  }
}

/** Whether an element acts on Enter by itself (a link or a button): others are clicked. */
function actsOnItsOwn(element: Element): boolean {
  const tag = element.tagName.toLowerCase();
  return tag === 'a' || tag === 'button' || tag === 'input' || tag === 'select';
}

/** Makes the marks inside the returned ref's element reachable as described above. */
export function useRovingFocus<E extends HTMLElement>(mode: RovingMode): RefObject<E | null> {
  const ref = useRef<E>(null);
  const current = useRef<Element | null>(null);

  useEffect(() => {
    const root = ref.current;
    if (!root) return;
    /** One mark reachable with Tab: the one last reached while it is drawn, else the first. */
    const settle = () => {
      const all = root.querySelectorAll<HTMLElement | SVGElement>(SELECTOR);
      if (all.length === 0) return;
      const keep = current.current && root.contains(current.current) ? current.current : all[0]!;
      current.current = keep;
      for (const element of all) {
        const value = element === keep ? '0' : '-1';
        if (element.getAttribute('tabindex') !== value) element.setAttribute('tabindex', value);
      }
    };
    settle();
    const observer = new MutationObserver((records) => {
      // Only marks coming or going matter, not the tabindex changes made here.
      if (records.some((r) => r.type === 'childList')) settle();
    });
    observer.observe(root, { childList: true, subtree: true });
    const onFocusIn = (event: FocusEvent) => {
      const target = event.target instanceof Element ? event.target.closest(SELECTOR) : null;
      if (!target || !root.contains(target) || target === current.current) return;
      current.current = target;
      settle();
    };
    const onKeyDown = (event: KeyboardEvent) => {
      const target = event.target instanceof Element ? event.target.closest(SELECTOR) : null;
      if (!target || target !== event.target || !root.contains(target)) return;
      if ((event.key === 'Enter' || event.key === ' ') && !actsOnItsOwn(target)) {
        if (target.getAttribute('role') === 'button' || target.getAttribute('role') === 'link') {
          event.preventDefault();
          // A click event, not `click()`: SVG elements (a line's points) have no such method.
          target.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true }));
        }
        return;
      }
      const marks = marksIn(root);
      const from = marks.find((m) => m.element === target);
      if (!from) return;
      const to = nextMark(marks, from, event.key, mode, event.ctrlKey || event.metaKey);
      if (!to) return;
      event.preventDefault();
      if (to.element === target) return;
      current.current = to.element;
      settle();
      to.element.focus();
    };
    root.addEventListener('focusin', onFocusIn);
    root.addEventListener('keydown', onKeyDown);
    return () => {
      observer.disconnect();
      root.removeEventListener('focusin', onFocusIn);
      root.removeEventListener('keydown', onKeyDown);
    };
  }, [mode]);

  return ref;
}

/** The attributes that make an element a mark at `row` (and `col`, in a grid). */
export function rovingMark(row: number, col?: number): Record<string, number> {
  return col === undefined ? { [ROVING_ROW]: row } : { [ROVING_ROW]: row, [ROVING_COL]: col };
}
