import { useId, useState, type ReactNode } from 'react';
import type { TableColumn } from '@/lib/csv';
import { DataTable } from '@/lib/data-table';
import { DownloadCsvButton } from '@/lib/panel-head';

/** Props of {@link ChartWithTable}. */
export interface ChartWithTableProps<Row> {
  title: string;
  description?: ReactNode;
  rows: readonly Row[];
  columns: readonly TableColumn<Row>[];
  /** CSV file name for the export, without extension. */
  fileName: string;
  /** The chart itself; it gets the same rows as the table. */
  children: ReactNode;
  /** Extra controls shown beside the chart/table switch. */
  controls?: ReactNode;
  /** A note under the chart or table, shown in both (e.g. what a mark on a label means). */
  note?: ReactNode;
}

/** A chart panel with a switch to an accessible table of the same rows and a CSV download. */
export function ChartWithTable<Row>({
  title,
  description,
  rows,
  columns,
  fileName,
  children,
  controls,
  note,
}: ChartWithTableProps<Row>) {
  const [mode, setMode] = useState<'chart' | 'table'>('chart');
  const headingId = useId();
  return (
    <section className="panel" aria-labelledby={headingId} data-mode={mode}>
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
          <DownloadCsvButton fileName={fileName} rows={rows} columns={columns} />
        </div>
      </div>
      {mode === 'chart' ? (
        <div className="panel-chart">{children}</div>
      ) : (
        <DataTable caption={title} rows={rows} columns={columns} />
      )}
      {note}
    </section>
  );
}
