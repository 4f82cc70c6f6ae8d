import { useEffect, useMemo, useRef, type RefObject } from 'react';
import { AppLink } from '@/app/app-link';
import { navigateWith, useSearchParams, viewParams, withParams } from '@/app/url-state';
import { useFilterChangePrefetch, useViewFilters, viewQuery } from '@/app/view-filters';
import { ThemeName, WeakThemesNote } from '@/app/weak-themes';
import { ChartWithTable } from '@/lib/chart-with-table';
import { heatLegend, heatStep } from '@/lib/colors';
import type { TableColumn } from '@/lib/csv';
import { DataTable } from '@/lib/data-table';
import type { Filters } from '@/lib/filters';
import { formatCount, formatDate } from '@/lib/format';
import { noRows, QueryState } from '@/lib/query-state';
import { rovingMark, useRovingFocus } from '@/lib/roving-focus';
import { useWeakThemes } from '@/lib/theme-quality';
import type { CoOccurrenceLetterRow, CoOccurrenceRow } from './co-occurrence-sql';
import {
  useCoOccurrence,
  useCoOccurrenceLetters,
  coOccurrenceQueryOptions,
} from './co-occurrence-queries';
import './co-occurrence.css';

const lift = new Intl.NumberFormat('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** A lift as shown: two decimals, or a dash when the pair never meets. */
export function formatLift(value: number | null, together: number): string {
  return value === null || together === 0 ? '–' : lift.format(value);
}

function plural(n: number, one: string, many: string): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** Co-occurrence: which weaknesses appear together in the same letter; a cell lists the letters. */
export function CoOccurrenceView() {
  const filters = useViewFilters();
  useFilterChangePrefetch((next) => [viewQuery(coOccurrenceQueryOptions(next))]);
  const params = useSearchParams();
  const matrix = useCoOccurrence(filters);
  const themeA = params.get('a') ?? undefined;
  const themeB = params.get('b') ?? undefined;
  const focusDetailsRef = useRef(false);
  return (
    <div className="view co-occurrence">
      <QueryState
        query={matrix}
        label="themes raised together"
        isEmpty={noRows}
        empty={
          <p>
            No letter under the current filters raised a weakness, so there is nothing to pair. Try
            widening the filters.
          </p>
        }
      >
        {(rows) => (
          <>
            <CoOccurrencePanel
              rows={rows}
              selected={themeA && themeB ? [themeA, themeB] : null}
              onSelect={() => (focusDetailsRef.current = true)}
            />
            {themeA && themeB && (
              <CellDetails
                filters={filters}
                themeA={themeA}
                themeB={themeB}
                rows={rows}
                focusRequestRef={focusDetailsRef}
              />
            )}
          </>
        )}
      </QueryState>
    </div>
  );
}

interface Theme {
  id: string;
  label: string;
  letters: number;
}

/** The matrix with its legend and table view; every cell is a button that lists its letters. */
export function CoOccurrencePanel({
  rows,
  selected,
  onSelect,
}: {
  rows: readonly CoOccurrenceRow[];
  selected: readonly [string, string] | null;
  onSelect?: () => void;
}) {
  const params = useSearchParams();
  const weak = useWeakThemes();
  const { themes, cells, max, letters } = useMemo(() => {
    const themeMap = new Map<string, Theme>();
    const cellMap = new Map<string, CoOccurrenceRow>();
    let top = 0;
    for (const row of rows) {
      if (!themeMap.has(row.theme_a))
        themeMap.set(row.theme_a, { id: row.theme_a, label: row.label_a, letters: row.letters_a });
      cellMap.set(`${row.theme_a}\u0000${row.theme_b}`, row);
      if (row.theme_a !== row.theme_b) top = Math.max(top, row.letters_both);
    }
    return {
      themes: [...themeMap.values()],
      cells: cellMap,
      max: top,
      letters: rows[0]?.letters ?? 0,
    };
  }, [rows]);
  const order = new Map(themes.map((t, i) => [t.id, i]));
  // One stop of the Tab key for the grid; the arrow keys move between its cells.
  const roving = useRovingFocus<HTMLTableSectionElement>('grid');
  // The table lists each unordered pair once, the pairs that met at all.
  const pairs = rows.filter(
    (r) => r.letters_both > 0 && (order.get(r.theme_a) ?? 0) < (order.get(r.theme_b) ?? 0),
  );
  const select = (a: string, b: string) => {
    onSelect?.();
    navigateWith({ a, b });
  };
  const weaknessEvidence = (theme: string) =>
    viewParams('evidence', params, { theme, section: 'weakness' });
  const columns: TableColumn<CoOccurrenceRow>[] = [
    {
      key: 'label_a',
      label: 'Theme',
      render: (row) => <ThemeName label={row.label_a} themeId={row.theme_a} weak={weak} />,
    },
    {
      key: 'label_b',
      label: 'With theme',
      render: (row) => <ThemeName label={row.label_b} themeId={row.theme_b} weak={weak} />,
    },
    { key: 'letters_both', label: 'Letters with both', numeric: true },
    { key: 'letters_a', label: 'Letters with the first', numeric: true },
    { key: 'letters_b', label: 'Letters with the second', numeric: true },
    {
      key: 'lift',
      label: 'Lift',
      numeric: true,
      format: (v, row) => formatLift(v as number, row.letters_both),
    },
    {
      key: 'theme_b',
      label: 'Letters',
      render: (row) => (
        <AppLink params={withParams(params, { a: row.theme_a, b: row.theme_b })}>
          Show the letters
          <span className="visually-hidden">
            {' '}
            with {row.label_a} and {row.label_b}
          </span>
        </AppLink>
      ),
    },
  ];
  return (
    <ChartWithTable
      title="Weaknesses raised together in the same letter"
      description={
        <>
          Each cell counts the letters (of {plural(letters, 'letter', 'letters')}) that raised both
          themes as a weakness, in the same finding or in different ones. The diagonal, in grey, is
          the letters raising the theme at all. Lift above 1 means the pair meets more often than
          chance would give; with few letters it is fragile. Select a cell to list its letters.
        </>
      }
      rows={pairs}
      columns={columns}
      fileName="weakness-co-occurrence"
      note={
        <WeakThemesNote
          themes={themes.map((t) => ({ theme_id: t.id, label: t.label }))}
          weak={weak}
        />
      }
    >
      <div className="heat-legend" role="group" aria-label="Colour key for letters with both">
        <span className="heat-legend-title">Letters with both:</span>
        {heatLegend('weakness', max).map((step) => (
          <span
            key={step.label}
            className="heat-legend-step"
            style={{ background: step.background, color: step.color }}
          >
            {step.label}
          </span>
        ))}
      </div>
      <div
        className="cooc-scroll"
        tabIndex={0}
        role="region"
        aria-label="Theme by theme grid, scrolls sideways; the arrow keys move between its cells"
      >
        <table className="cooc-matrix">
          <caption className="visually-hidden">
            Letters raising both themes as weaknesses, by theme (rows) and theme (columns)
          </caption>
          <thead>
            <tr>
              <td className="cooc-corner" />
              {themes.map((t) => (
                <th key={t.id} scope="col" className="cooc-col">
                  <span>
                    <ThemeName label={t.label} themeId={t.id} weak={weak} />
                  </span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody ref={roving}>
            {themes.map((row, r) => (
              <tr key={row.id}>
                <th scope="row" className="cooc-row">
                  <ThemeName label={row.label} themeId={row.id} weak={weak} />
                  <span className="cooc-row-n">{row.letters}</span>
                </th>
                {themes.map((col, c) => {
                  const cell = cells.get(`${row.id}\u0000${col.id}`);
                  const count = cell?.letters_both ?? 0;
                  const diagonal = row.id === col.id;
                  const isSelected =
                    selected !== null &&
                    ((selected[0] === row.id && selected[1] === col.id) ||
                      (selected[0] === col.id && selected[1] === row.id));
                  const step = heatStep('weakness', count, max);
                  return (
                    <td key={col.id}>
                      {diagonal ? (
                        <AppLink
                          className="cooc-cell cooc-diagonal"
                          params={weaknessEvidence(row.id)}
                          data-a={row.id}
                          data-b={col.id}
                          data-count={count}
                          {...rovingMark(r, c)}
                          aria-label={`${row.label}: raised as a weakness in ${plural(count, 'letter', 'letters')}. Open its evidence.`}
                        >
                          {count}
                        </AppLink>
                      ) : (
                        <button
                          type="button"
                          className={isSelected ? 'cooc-cell selected' : 'cooc-cell'}
                          style={{ background: step.background, color: step.color }}
                          data-a={row.id}
                          data-b={col.id}
                          data-count={count}
                          aria-pressed={isSelected}
                          {...rovingMark(r, c)}
                          title={`${row.label} with ${col.label}: ${count} of ${letters} letters, lift ${formatLift(cell?.lift ?? null, count)}`}
                          aria-label={`${row.label} with ${col.label}: ${formatCount(count)} of ${plural(letters, 'letter', 'letters')} with both as weaknesses${count > 0 ? `, lift ${formatLift(cell?.lift ?? null, count)}` : ''}. Show the letters.`}
                          onClick={() => select(row.id, col.id)}
                        >
                          {count}
                        </button>
                      )}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </ChartWithTable>
  );
}

/** The letters behind the chosen cell, each linking to its findings on either theme. */
function CellDetails({
  filters,
  themeA,
  themeB,
  rows,
  focusRequestRef,
}: {
  filters: Filters;
  themeA: string;
  themeB: string;
  rows: readonly CoOccurrenceRow[];
  focusRequestRef: RefObject<boolean>;
}) {
  const params = useSearchParams();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const lettersParams = useMemo(() => ({ filters, themeA, themeB }), [filters, themeA, themeB]);
  const letters = useCoOccurrenceLetters(lettersParams);
  const cell = rows.find((r) => r.theme_a === themeA && r.theme_b === themeB);
  const labelA = cell?.label_a ?? themeA;
  const labelB = cell?.label_b ?? themeB;

  useEffect(() => {
    // Only after a cell was chosen: opening a shared link keeps focus where the browser put it.
    if (focusRequestRef.current) {
      focusRequestRef.current = false;
      headingRef.current?.focus();
    }
  }, [themeA, themeB, focusRequestRef]);

  const evidence = (letter: string, theme: string) =>
    viewParams('evidence', params, { letter, theme, section: 'weakness' });
  // The count of one theme's weakness findings in each letter, opening them in the evidence view.
  const findingsColumn = (
    side: 'a' | 'b',
    theme: string,
    label: string,
  ): TableColumn<CoOccurrenceLetterRow> => ({
    key: `findings_${side}`,
    label: `Findings on ${label}`,
    numeric: true,
    render: (row) => (
      <AppLink params={evidence(row.letter_id, theme)} data-evidence={side}>
        {row[`findings_${side}`]}
        <span className="visually-hidden">
          {' '}
          weakness findings on {label} in {row.council_name}&rsquo;s letter
        </span>
      </AppLink>
    ),
  });
  const columns: TableColumn<CoOccurrenceLetterRow>[] = [
    {
      key: 'council_name',
      label: 'Council',
      render: (row) => (
        <AppLink params={viewParams('letter', params, { letter: row.letter_id })}>
          {row.council_name}
          <span className="visually-hidden">: read the letter</span>
        </AppLink>
      ),
    },
    {
      key: 'inspection_start',
      label: 'Inspection',
      format: (v) => formatDate(v as string),
    },
    { key: 'reporting_year', label: 'Reporting year' },
    findingsColumn('a', themeA, labelA),
    findingsColumn('b', themeB, labelB),
    { key: 'findings_both', label: 'Findings on both', numeric: true },
  ];
  return (
    <section className="panel cooc-details" aria-labelledby="cooc-details-heading">
      <div className="panel-head">
        <div>
          <h2 id="cooc-details-heading" ref={headingRef} tabIndex={-1}>
            Letters raising both {labelA} and {labelB} as weaknesses
          </h2>
          <p className="panel-description">
            Each number opens that letter&rsquo;s weakness findings on the theme in the evidence
            view.
          </p>
        </div>
        <div className="panel-tools">
          <AppLink
            className="button button-secondary"
            params={withParams(params, { a: undefined, b: undefined })}
          >
            Close
          </AppLink>
        </div>
      </div>
      <QueryState
        query={letters}
        label="letters"
        isEmpty={noRows}
        empty={<p>No letter under the current filters raised both themes as weaknesses.</p>}
      >
        {(list) => (
          <DataTable
            caption={`${plural(list.length, 'letter', 'letters')} with both themes`}
            rows={list}
            columns={columns}
          />
        )}
      </QueryState>
    </section>
  );
}
