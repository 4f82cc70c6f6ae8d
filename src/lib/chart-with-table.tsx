import { useId, useRef, type ReactNode } from 'react';
import type { TableColumn } from '@/lib/csv';
import { DataTable } from '@/lib/data-table';
import { ChartImageButtons } from '@/lib/chart-image-buttons';
import { DownloadCsvButton } from '@/lib/panel-head';
import { panelKey, usePanelState } from '@/lib/view-state';

/** Props of {@link ChartWithTable}. */
export interface ChartWithTableProps<Row> {
  title: string;
  description?: ReactNode;
  rows: readonly Row[];
  columns: readonly TableColumn<Row>[];
  /** CSV file name for the export, without extension. */
  fileName: string;
  /**
   * The panel's name in the URL, where its Chart or Table choice and its table's sort are kept
   * (src/lib/view-state.tsx): the file name by default; give one that stays the same when the
   * file name follows a setting of the view (a measure, a theme).
   */
  id?: string;
  /** The chart itself; it gets the same rows as the table. */
  children: ReactNode;
  /** Extra controls shown beside the chart/table switch. */
  controls?: ReactNode;
  /** A note under the chart or table, shown in both (e.g. what a mark on a label means). */
  note?: ReactNode;
  /** What the chart counts, for its image's caption (`97 findings in 5 letters`). */
  n?: string;
}

/** A chart panel with a switch to an accessible table of the same rows and a CSV download. */
export function ChartWithTable<Row>({
  title,
  description,
  rows,
  columns,
  fileName,
  id,
  children,
  controls,
  note,
  n,
}: ChartWithTableProps<Row>) {
  const { mode, setMode, sort, setSort } = usePanelState(id ?? fileName);
  const headingId = useId();
  const panelRef = useRef<HTMLElement>(null);
  return (
    <section
      ref={panelRef}
      className="panel"
      aria-labelledby={headingId}
      data-mode={mode}
      data-panel={panelKey(id ?? fileName)}
    >
      <div className="panel-head">
        <div>
          <h2 id={headingId}>{title}</h2>
          {description && <p className="panel-description">{description}</p>}
        </div>
        <div className="panel-tools" role="group" aria-label={`${title}: display and export`}>
          {controls}
          <div className="segmented" role="group" aria-label="Show as">
            <button type="button" aria-pressed={mode === 'chart'} onClick={() => setMode('chart')}>
              Chart
            </button>
            <button type="button" aria-pressed={mode === 'table'} onClick={() => setMode('table')}>
              Table
            </button>
          </div>
          <DownloadCsvButton fileName={fileName} title={title} rows={rows} columns={columns} />
          <ChartImageButtons panel={panelRef} fileName={fileName} n={n} />
        </div>
      </div>
      {mode === 'chart' ? (
        <div className="panel-chart">{children}</div>
      ) : (
        <DataTable caption={title} rows={rows} columns={columns} sort={sort} onSort={setSort} />
      )}
      {note}
    </section>
  );
}
