import { useState, type RefObject } from 'react';
import { runQuery } from '@/lib/duckdb';
import { useExportScope } from '@/lib/export-context';
import { currentVersionText, loadExportNames, scopeParams } from '@/lib/export-csv';
import { buildLettersInScopeSql } from '@/lib/export-data-sql';
import {
  exportFileName,
  filtersInForce,
  filtersText,
  isoSecond,
  SITE_NAME,
} from '@/lib/export-notes';
import { FILTER_PARAMS, parseFilters, pickFilters } from '@/lib/filters';
import type { ChartImageFormat } from '@/lib/chart-image';
import { saveFile } from '@/lib/save-file';
import './chart-image-buttons.css';

/** Props of {@link ChartImageButtons}. */
export interface ChartImageButtonsProps {
  /** The panel to picture, as shown (its chart, or its table), its heading included. */
  panel: RefObject<HTMLElement | null>;
  /** The file name without the view, filters or extension (the panel's CSV name). */
  fileName: string;
  /**
   * What the chart counts, for the caption (`97 findings in 5 letters`); without it, the caption
   * gives the letters the view's shared filters select.
   */
  n?: string;
}

/** The letters the shared filters select, in words: the caption's n when a panel gives none. */
async function lettersInScope(
  params: URLSearchParams,
  keys: ReturnType<typeof scopeParams>['sharedKeys'],
) {
  const filters = pickFilters(parseFilters(params), keys ?? FILTER_PARAMS.map((f) => f.key));
  const [row] = await runQuery<{ n: number }>(buildLettersInScopeSql(filters));
  const n = row?.n ?? 0;
  return `${n} ${n === 1 ? 'letter' : 'letters'} under the filters`;
}

const FORMATS: readonly { format: ChartImageFormat; label: string }[] = [
  { format: 'png', label: 'PNG' },
  { format: 'svg', label: 'SVG' },
];

/**
 * Buttons that save a chart panel as a PNG or SVG image, named with the view and the filters,
 * captioned with what it counts (n), the filters, the data version and when it was made. The
 * drawing code (html-to-image) loads on the first press.
 */
export function ChartImageButtons({ panel, fileName, n }: ChartImageButtonsProps) {
  const scope = useExportScope();
  const [state, setState] = useState<'idle' | 'busy' | 'failed'>('idle');
  const save = async (format: ChartImageFormat) => {
    const element = panel.current;
    if (!element || state === 'busy') return;
    setState('busy');
    try {
      const { params, sharedKeys, viewId, viewLabel } = scopeParams(scope);
      const filters = filtersInForce(params, sharedKeys, await loadExportNames());
      const caption = [
        `${SITE_NAME}${viewLabel ? ` · ${viewLabel}` : ''}`,
        `n: ${n ?? (await lettersInScope(params, sharedKeys))}`,
        `Filters: ${filtersText(filters)}`,
        `Data version: ${currentVersionText()} · made ${isoSecond(new Date())}`,
      ];
      const { chartImage } = await import('@/lib/chart-image');
      const blob = await chartImage(format, { panel: element, caption });
      saveFile(exportFileName(fileName, filters, format, viewId), blob);
      setState('idle');
    } catch {
      setState('failed');
    }
  };
  return (
    <>
      <div className="image-buttons" role="group" aria-label="Save as an image">
        <span aria-hidden="true">Image:</span>
        {FORMATS.map(({ format, label }) => (
          <button
            key={format}
            type="button"
            className="button button-secondary"
            aria-label={`Save ${label} image of this panel`}
            aria-disabled={state === 'busy'}
            onClick={() => void save(format)}
          >
            {label}
          </button>
        ))}
      </div>
      {state === 'failed' && (
        <span role="alert" className="panel-tools-error">
          The image could not be made; try again.
        </span>
      )}
    </>
  );
}
