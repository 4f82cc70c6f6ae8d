import type { FreshBatch, WordModelHoldout } from '@/core/accuracy';
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
export function FreshFigures({
  batches,
  holdout,
  labels = new Map(),
}: {
  batches: readonly FreshBatch[];
  holdout?: WordModelHoldout | undefined;
  /** Theme id → its label, for the per-theme table; an id without one shows as the id. */
  labels?: ReadonlyMap<string, string>;
}) {
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
      {holdout && <WordModelFigures holdout={holdout} labels={labels} />}
    </div>
  );
}

interface HoldoutRow {
  tags: string;
  precision: number;
  recall: number;
  f1: number;
}

const HOLDOUT_COLUMNS: TableColumn<HoldoutRow>[] = [
  { key: 'tags', label: 'Tags' },
  {
    key: 'precision',
    label: 'Precision',
    numeric: true,
    format: (v) => formatPercent(v as number),
  },
  { key: 'recall', label: 'Recall', numeric: true, format: (v) => formatPercent(v as number) },
  { key: 'f1', label: 'F1', numeric: true, format: (v) => formatPercent(v as number) },
];

/**
 * What the word model adds on wording nobody had tuned for: the fresh batches' tags from before
 * the tagger was changed for them, alone and with the model (trained without that batch) beside
 * them.
 */
function WordModelFigures({
  holdout,
  labels,
}: {
  holdout: WordModelHoldout;
  labels: ReadonlyMap<string, string>;
}) {
  const { before, after } = holdout;
  const rows: HoldoutRow[] = [
    {
      tags: 'Cues alone, as first scored',
      precision: before.theme_precision,
      recall: before.theme_recall,
      f1: before.theme_f1,
    },
    {
      tags: 'The same with the word model beside them',
      precision: after.theme_precision,
      recall: after.theme_recall,
      f1: after.theme_f1,
    },
  ];
  return (
    <>
      <p className="panel-description">
        The word model was judged the same way: for each of the {formatCount(holdout.batches)}{' '}
        batches it was trained without that batch, then put beside the tags the cues had given it
        when first scored. On those {formatCount(before.findings)} findings theme F1 went from{' '}
        <strong data-testid="accuracy-model-before" data-value={before.theme_f1}>
          {formatPercent(before.theme_f1)}
        </strong>{' '}
        to{' '}
        <strong data-testid="accuracy-model-after" data-value={after.theme_f1}>
          {formatPercent(after.theme_f1)}
        </strong>{' '}
        (precision and recall below).
      </p>
      <DataTable
        caption="Findings written fresh: the cues' first tags, alone and with the word model"
        rows={rows}
        columns={HOLDOUT_COLUMNS}
      />
      <DataTable
        caption="Findings written fresh, theme by theme: the cues' first tags, alone and with the word model"
        rows={holdoutThemeRows(holdout, labels)}
        columns={HOLDOUT_THEME_COLUMNS}
      />
    </>
  );
}

interface HoldoutThemeRow {
  theme_id: string;
  label: string;
  support: number;
  precision_before: number | null;
  precision_after: number | null;
  recall_before: number | null;
  recall_after: number | null;
}

const share = (v: unknown) => formatPercent(v as number | null);

const HOLDOUT_THEME_COLUMNS: TableColumn<HoldoutThemeRow>[] = [
  { key: 'label', label: 'Theme' },
  { key: 'support', label: 'Findings with it (by hand)', numeric: true },
  { key: 'precision_before', label: 'Precision, cues alone', numeric: true, format: share },
  { key: 'precision_after', label: 'Precision with the model', numeric: true, format: share },
  { key: 'recall_before', label: 'Recall, cues alone', numeric: true, format: share },
  { key: 'recall_after', label: 'Recall with the model', numeric: true, format: share },
];

/** One row a theme, most often labelled first, from the two sides' per-theme figures. */
function holdoutThemeRows(
  { before, after }: WordModelHoldout,
  labels: ReadonlyMap<string, string>,
): HoldoutThemeRow[] {
  const was = new Map(before.per_theme.map((t) => [t.theme_id, t]));
  return after.per_theme
    .filter((t) => t.support > 0)
    .map((t) => ({
      theme_id: t.theme_id,
      label: labels.get(t.theme_id) ?? t.theme_id,
      support: t.support,
      precision_before: was.get(t.theme_id)?.precision ?? null,
      precision_after: t.precision,
      recall_before: was.get(t.theme_id)?.recall ?? null,
      recall_after: t.recall,
    }))
    .sort((a, b) => b.support - a.support || a.theme_id.localeCompare(b.theme_id));
}
