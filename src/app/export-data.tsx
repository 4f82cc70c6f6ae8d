import { useId, useMemo, useState } from 'react';
import { filtersInForce, filtersText } from '@/lib/export-notes';
import { FILTER_PARAMS, parseFilters } from '@/lib/filters';
import { useLiveSearch } from '@/app/url-state';
import type { DatasetFormat } from '@/app/export-data-run';
import './export-data.css';

type State =
  | { kind: 'idle' }
  | { kind: 'busy'; format: DatasetFormat }
  | { kind: 'done'; text: string }
  | { kind: 'failed'; text: string };

const FORMAT_NAMES: Record<DatasetFormat, string> = {
  xlsx: 'workbook',
  zip: 'CSV files',
};

/** The URL's shared filters alone: a data set download is narrowed by those, not by a view's. */
function sharedParams(search: string): URLSearchParams {
  const all = new URLSearchParams(search);
  const shared = new URLSearchParams();
  for (const { param } of FILTER_PARAMS) {
    const value = all.get(param);
    if (value) shared.set(param, value);
  }
  return shared;
}

/**
 * "Download the data" as a workbook or a zip of CSV files: the whole data set, or (when shared
 * filters are set and the box is ticked) the letters they select. The code that reads the tables
 * and ExcelJS load only when a button is pressed.
 */
export function DataDownloads() {
  const search = useLiveSearch();
  const params = useMemo(() => sharedParams(search), [search]);
  const filters = useMemo(() => parseFilters(params), [params]);
  const described = useMemo(() => filtersInForce(params, null), [params]);
  const [narrow, setNarrow] = useState(false);
  const [state, setState] = useState<State>({ kind: 'idle' });
  const narrowId = useId();
  const narrowed = narrow && described.length > 0;

  const download = async (format: DatasetFormat) => {
    if (state.kind === 'busy') return;
    setState({ kind: 'busy', format });
    try {
      const { downloadDataset } = await import('@/app/export-data-run');
      const done = await downloadDataset(
        format,
        narrowed ? filters : {},
        narrowed ? described : [],
      );
      setState({
        kind: 'done',
        text: `Downloaded ${done.fileName}: ${done.rows.letters} letters, ${done.rows.findings} findings, ${done.rows.finding_themes} theme tags.`,
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      setState({
        kind: 'failed',
        text: `The ${FORMAT_NAMES[format]} could not be made (${reason}); try again.`,
      });
    }
  };

  const label = (format: DatasetFormat, text: string) =>
    state.kind === 'busy' && state.format === format
      ? `Preparing the ${FORMAT_NAMES[format]}…`
      : text;

  return (
    <div className="data-downloads" data-testid="data-downloads">
      <p className="data-downloads-lead">
        Or as a spreadsheet, with names, codes and regions beside the ids and a note of what it is,
        its version and its filters:
      </p>
      <button
        type="button"
        className="button"
        aria-disabled={state.kind === 'busy'}
        onClick={() => void download('xlsx')}
      >
        {label('xlsx', 'Excel workbook (.xlsx)')}
      </button>
      <button
        type="button"
        className="button button-secondary"
        aria-disabled={state.kind === 'busy'}
        onClick={() => void download('zip')}
      >
        {label('zip', 'CSV files, one per table (.zip)')}
      </button>
      {described.length > 0 && (
        <span className="data-downloads-narrow">
          <input
            id={narrowId}
            type="checkbox"
            checked={narrow}
            onChange={(e) => setNarrow(e.target.checked)}
          />
          <label htmlFor={narrowId}>
            Only the letters the filters select ({filtersText(described)}), with their findings and
            tags
          </label>
        </span>
      )}
      <p className="data-downloads-status" role="status">
        {state.kind === 'done' ? state.text : ''}
      </p>
      {state.kind === 'failed' && (
        <p className="data-downloads-status" role="alert" data-state="failed">
          {state.text}
        </p>
      )}
    </div>
  );
}
