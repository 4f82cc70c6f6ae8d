import type { FreshBatch } from '@/core/accuracy';
import type { TableColumn } from '@/lib/csv';
import { DataTable } from '@/lib/data-table';
import { formatCount, formatPercent } from '@/lib/format';

interface FreshRow extends FreshBatch {
  batch: string;
}

const FRESH_COLUMNS: TableColumn<FreshRow>[] = [
  { key: 'batch', label: 'Batch' },
  { key: 'written', label: 'Written as' },
  { key: 'findings', label: 'Findings', numeric: true },
  {
    key: 'f1_before',
    label: 'Theme F1 before the tagger was changed for them',
    numeric: true,
    format: (v) => formatPercent(v as number),
  },
  {
    key: 'f1_now',
    label: 'Theme F1 now (tuned on)',
    numeric: true,
    format: (v) => formatPercent(v as number),
  },
];

/**
 * The tagger on findings written fresh, as first scored before it was changed for them: the
 * nearest figure to letters worded in ways nobody has seen, which kept-back letters alone, being
 * few, cannot give.
 */
export function FreshFigures({ batches }: { batches: readonly FreshBatch[] }) {
  if (batches.length === 0) return null;
  const before = batches.map((b) => b.f1_before);
  const findings = batches.reduce((n, b) => n + b.findings, 0);
  const rows: FreshRow[] = batches.map((b, i) => ({ ...b, batch: `${i + 1}` }));
  return (
    <div className="accuracy-fresh" data-testid="accuracy-fresh">
      <h3>Themes on wording the tagger had never met</h3>
      <p className="panel-description">
        Before each change to the tagger, a batch of findings was written afresh in other
        councils&rsquo; wording, labelled by hand, and scored; only then was the tagger changed for
        them. On those {formatCount(findings)} findings, first seen, its theme F1 ran from{' '}
        <strong data-testid="accuracy-fresh-low" data-value={Math.min(...before)}>
          {formatPercent(Math.min(...before))}
        </strong>{' '}
        to{' '}
        <strong data-testid="accuracy-fresh-high" data-value={Math.max(...before)}>
          {formatPercent(Math.max(...before))}
        </strong>
        : expect figures in that range on letters worded unlike any here, lowest where a finding
        names its subject indirectly. They are tuned on now, so their present figure flatters it.
      </p>
      <DataTable
        caption="The tagger on findings written fresh, before and after it was changed for them"
        rows={rows}
        columns={FRESH_COLUMNS}
      />
    </div>
  );
}
