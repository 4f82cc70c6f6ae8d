import { useState, type ReactNode } from 'react';
import type { TableColumn } from '@/lib/csv';
import { useExportScope } from '@/lib/export-context';
import { exportCsv } from '@/lib/export-csv';

/** Props of {@link PanelHead}. */
export interface PanelHeadProps<Row> {
  /** The panel's heading, description or both, laid out as the panel needs. */
  children: ReactNode;
  /** CSV file name for the download, without the filters or extension. */
  fileName: string;
  /** What the rows are, for the file's notes (a panel's heading); the file name in words if absent. */
  title?: string;
  rows: readonly Row[];
  columns: readonly TableColumn<Row>[];
  /**
   * Fetches every row for the download when the panel shows only the first ones (a capped list);
   * without it the download holds `rows`.
   */
  fetchRows?: () => Promise<readonly Row[]>;
}

/**
 * The "Download CSV" button of a panel, offering its rows as a CSV file named after `fileName` and
 * the filters in force (src/lib/export-csv.ts); with `fetchRows`, it fetches them all first and
 * says so while it does.
 */
export function DownloadCsvButton<Row>({
  fileName,
  title,
  rows,
  columns,
  fetchRows,
}: Omit<PanelHeadProps<Row>, 'children'>) {
  const scope = useExportScope();
  const [state, setState] = useState<'idle' | 'busy' | 'failed'>('idle');
  const download = async () => {
    if (state === 'busy') return;
    setState('busy');
    try {
      const all = fetchRows ? await fetchRows() : rows;
      await exportCsv(scope, { fileName, title, rows: all, columns });
      setState('idle');
    } catch {
      setState('failed');
    }
  };
  return (
    <>
      <button
        type="button"
        className="button button-secondary"
        // Not `disabled`: a disabled button drops the keyboard focus it has.
        aria-disabled={state === 'busy'}
        onClick={() => void download()}
      >
        {state === 'busy' ? 'Preparing CSV…' : fetchRows ? 'Download all as CSV' : 'Download CSV'}
      </button>
      {state === 'failed' && (
        <span role="alert" className="panel-tools-error">
          The CSV could not be prepared; try again.
        </span>
      )}
    </>
  );
}

/** The head of a panel without a chart: its heading, and a button that downloads its rows as CSV. */
export function PanelHead<Row>({ children, ...csv }: PanelHeadProps<Row>) {
  return (
    <div className="panel-head">
      {children}
      <div className="panel-tools">
        <DownloadCsvButton {...csv} />
      </div>
    </div>
  );
}
