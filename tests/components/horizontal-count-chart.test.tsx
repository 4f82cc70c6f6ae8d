// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render } from '@testing-library/react';
import { niceTicks } from '@/lib/bar-chart';
import { HorizontalCountChart } from '@/lib/horizontal-count-chart';

afterEach(cleanup);

interface Row {
  label: string;
  before: number;
  again: number;
  share: number;
}

const rows: Row[] = [
  { label: 'Assessment timeliness', before: 12, again: 9, share: 0.75 },
  { label: 'Case recording', before: 7, again: 0, share: 0 },
];

function widths(container: HTMLElement, key: string): string[] {
  return [...container.querySelectorAll<HTMLElement>(`[data-bar="${key}"]`)].map(
    (bar) => bar.style.width,
  );
}

describe('HorizontalCountChart (HTML bars)', () => {
  it('draws each series on its own line, scaled to a round axis, with end labels and a tooltip', () => {
    const selected: string[] = [];
    const { container } = render(
      <HorizontalCountChart
        rows={rows}
        categoryKey="label"
        scale="count"
        label="test chart"
        series={[
          { key: 'before', name: 'Earlier', color: '#f4b5a3', stroke: '#b52a1f' },
          {
            key: 'again',
            name: 'Again',
            color: '#b52a1f',
            endLabel: { key: 'share', format: (v) => `${Math.round(v * 100)}%` },
            onSelect: (row) => selected.push(row.label),
          },
        ]}
      />,
    );
    // 12 at most: whole-number ticks 0, 5, 10, 15, so 12 is 80% of the plot.
    expect(
      [...container.querySelectorAll('.bar-chart-axis span')].map((s) => s.textContent),
    ).toEqual(['0', '5', '10', '15']);
    expect(widths(container, 'before')).toEqual(['80%', `${(7 / 15) * 100}%`]);
    expect(widths(container, 'again')).toEqual(['60%', '0%']);
    const firstRow = container.querySelector<HTMLElement>('.bar-chart-row')!;
    expect(firstRow.querySelectorAll('.bar-chart-track')).toHaveLength(2);
    expect(firstRow.querySelector('.bar-chart-value')?.textContent).toBe('75%');
    expect(firstRow.title).toBe('Assessment timeliness\nEarlier: 12\nAgain: 9');
    // Only the line of the series with an action opens anything.
    const [earlierLine, againLine] = firstRow.querySelectorAll<HTMLElement>('.bar-chart-track');
    fireEvent.click(earlierLine!);
    expect(selected).toEqual([]);
    fireEvent.click(againLine!);
    expect(selected).toEqual(['Assessment timeliness']);
    // One group named by the chart; each line of bars a mark named with its category and value,
    // a button where it opens something (Enter and Space click it, src/lib/roving-focus.ts).
    expect(container.querySelector('[role="group"]')?.getAttribute('aria-label')).toMatch(
      /^test chart /,
    );
    expect(earlierLine!.getAttribute('role')).toBe('img');
    expect(earlierLine!.getAttribute('aria-label')).toBe('Assessment timeliness, Earlier: 12');
    expect(againLine!.getAttribute('role')).toBe('button');
    expect(againLine!.getAttribute('aria-label')).toBe('Assessment timeliness, Again: 9');
    expect(
      [...container.querySelectorAll('.bar-chart-legend li')].map((l) => l.textContent),
    ).toEqual(['Earlier', 'Again']);
  });

  it('stacks the series that share a stack id on one line, on a 0-100% axis for shares', () => {
    const { container } = render(
      <HorizontalCountChart
        rows={[{ label: 'A', x: 0.25, y: 0.5 }]}
        categoryKey="label"
        scale="share"
        legend={false}
        label="shares"
        series={[
          { key: 'x', name: 'X', color: '#111', stack: 's' },
          { key: 'y', name: 'Y', color: '#222', stack: 's' },
        ]}
      />,
    );
    expect(container.querySelectorAll('.bar-chart-track')).toHaveLength(1);
    expect(widths(container, 'x')).toEqual(['25%']);
    expect(widths(container, 'y')).toEqual(['50%']);
    expect(container.querySelector('.bar-chart-axis span:last-child')?.textContent).toBe('100%');
    expect(container.querySelector('.bar-chart-legend')).toBeNull();
  });

  it('gives counts whole ticks and shares any round step', () => {
    expect(niceTicks(3, 4, true)).toEqual([0, 1, 2, 3]);
    expect(niceTicks(10, 4, true)).toEqual([0, 5, 10]);
    expect(niceTicks(10)).toEqual([0, 2.5, 5, 7.5, 10]);
    expect(niceTicks(3700, 4, true)).toEqual([0, 1000, 2000, 3000, 4000]);
    expect(niceTicks(0, 4, true)).toEqual([0, 1]);
  });
});
