import {
  Bar,
  BarChart,
  CartesianGrid,
  LabelList,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { AppLink } from '@/app/app-link';
import { hrefFor, navigate, useSearchParams, viewParams } from '@/app/url-state';
import { useViewFilters } from '@/app/view-filters';
import { ChartWithTable } from '@/lib/chart-with-table';
import { COLORS } from '@/lib/colors';
import { downloadCsv, type TableColumn } from '@/lib/csv';
import { DataTable } from '@/lib/data-table';
import { SECTION_LABELS } from '@/lib/filters';
import { formatCount, formatDate, formatPercent } from '@/lib/format';
import { QueryState } from '@/lib/query-state';
import type {
  PreviouslyIdentifiedFindingRow,
  PreviouslyIdentifiedThemeRow,
  RecurrenceInstanceRow,
  RecurrenceThemeRow,
} from './recurrence-sql';
import {
  usePreviouslyIdentified,
  useRecurrence,
  type PreviouslyIdentifiedData,
  type RecurrenceData,
} from './recurrence-queries';
import './recurrence.css';

function plural(n: number, one: string, many: string): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** Recurrence: themes raised again at a council's next inspection, and findings marked as such. */
export function RecurrenceView() {
  const filters = useViewFilters();
  const recurrence = useRecurrence(filters);
  const previous = usePreviouslyIdentified(filters);
  return (
    <div className="view recurrence">
      <QueryState query={recurrence} label="themes raised again">
        {(data) => <RecurrenceSection data={data} yearFiltered={Boolean(filters.year)} />}
      </QueryState>
      <QueryState
        query={previous}
        label="findings marked as raised before"
        isEmpty={(data) => data.findings.length === 0}
        empty={
          <p>
            No finding under the current filters says it was raised at the previous inspection. Try
            widening the filters.
          </p>
        }
      >
        {(data) => <PreviouslyIdentifiedSection data={data} />}
      </QueryState>
    </div>
  );
}

/** The across-inspections part: an empty state in words when no council has a later inspection. */
export function RecurrenceSection({
  data,
  yearFiltered,
}: {
  data: RecurrenceData;
  yearFiltered: boolean;
}) {
  const { summary, themes, instances } = data;
  if (summary.pairs === 0) {
    return (
      <section className="panel" aria-labelledby="recurrence-empty-heading">
        <h2 id="recurrence-empty-heading">Themes raised again at the next inspection</h2>
        <div className="state state-empty" role="status" data-testid="recurrence-empty">
          <p className="state-title">
            No repeat inspections yet: no council has more than one inspection in the letters held
            {yearFiltered ? ' with the later one in the chosen year' : ''}.
          </p>
          <p>
            The {plural(summary.inspections, 'letter', 'letters')} held come from{' '}
            {plural(summary.councils, 'council', 'councils')}
            {summary.inspections === summary.councils ? ', one inspection each' : ''}, so no theme
            can be seen to recur. Add letters from later inspections of the same councils and this
            part shows which weaknesses were raised again. Until then, the findings that letters
            themselves mark as raised at the previous inspection are below.
          </p>
        </div>
      </section>
    );
  }
  return (
    <>
      <RecurrenceThemesPanel rows={themes} summary={data.summary} />
      <RecurrenceInstancesPanel rows={instances} />
    </>
  );
}

function RecurrenceThemesPanel({
  rows,
  summary,
}: {
  rows: readonly RecurrenceThemeRow[];
  summary: RecurrenceData['summary'];
}) {
  const params = useSearchParams();
  const evidence = (row: RecurrenceThemeRow) =>
    viewParams('evidence', params, { theme: row.theme_id, section: 'weakness' });
  const columns: TableColumn<RecurrenceThemeRow>[] = [
    { key: 'label', label: 'Theme' },
    { key: 'group_label', label: 'Group' },
    { key: 'pairs_raised_before', label: 'Weakness at inspection k', numeric: true },
    { key: 'pairs_raised_again', label: 'Again at inspection k+1', numeric: true },
    {
      key: 'share_raised_again',
      label: 'Share raised again',
      numeric: true,
      format: (v) => formatPercent(v as number | null),
    },
    { key: 'pairs', label: 'Pairs of inspections', numeric: true },
    {
      key: 'theme_id',
      label: 'Evidence',
      render: (row) => (
        <AppLink params={evidence(row)}>
          Weakness findings<span className="visually-hidden"> on {row.label}</span>
        </AppLink>
      ),
    },
  ];
  const intro = `${plural(summary.pairs, 'pair', 'pairs')} of consecutive inspections from ${plural(summary.councils_with_repeat, 'council', 'councils')}.`;
  return (
    <ChartWithTable
      title="Themes raised again at the next inspection"
      description={`For each pair of consecutive inspections of the same council, whether a theme that was a weakness at the earlier one was a weakness again at the later one. ${intro} Select a bar to read the findings.`}
      rows={rows}
      columns={columns}
      fileName="recurrence-by-theme"
    >
      {rows.length === 0 ? (
        <p className="state state-empty" role="status">
          {intro} No weakness theme was raised at any of the earlier inspections.
        </p>
      ) : (
        <ResponsiveContainer width="100%" height={rows.length * 40 + 70}>
          <BarChart
            data={[...rows]}
            layout="vertical"
            margin={{ top: 4, right: 48, left: 8, bottom: 4 }}
          >
            <CartesianGrid horizontal={false} stroke={COLORS.grid} />
            <XAxis
              type="number"
              allowDecimals={false}
              domain={[0, 'dataMax']}
              stroke={COLORS.secondaryText}
            />
            <YAxis
              type="category"
              dataKey="label"
              width={250}
              interval={0}
              tick={{ fontSize: 13, fill: COLORS.text }}
            />
            <Tooltip />
            <Legend
              itemSorter={null}
              formatter={(value) => <span style={{ color: COLORS.text }}>{value}</span>}
            />
            <Bar
              dataKey="pairs_raised_before"
              name="Weakness at the earlier inspection"
              fill="#f4b5a3"
              stroke={COLORS.weakness}
              isAnimationActive={false}
            />
            <Bar
              dataKey="pairs_raised_again"
              name="Weakness again at the next"
              fill={COLORS.weakness}
              isAnimationActive={false}
              cursor="pointer"
              onClick={(entry) => {
                const row = (entry as { payload?: RecurrenceThemeRow }).payload;
                if (row) navigate(hrefFor(evidence(row)));
              }}
            >
              <LabelList
                dataKey="share_raised_again"
                position="right"
                formatter={(v) => formatPercent(Number(v))}
                fill={COLORS.text}
              />
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      )}
    </ChartWithTable>
  );
}

function RecurrenceInstancesPanel({ rows }: { rows: readonly RecurrenceInstanceRow[] }) {
  const params = useSearchParams();
  const link = (letter: string, row: RecurrenceInstanceRow, text: string) => (
    <AppLink
      params={viewParams('evidence', params, {
        letter,
        theme: row.theme_id,
        section: 'weakness',
        year: undefined,
      })}
    >
      {text}
      <span className="visually-hidden">
        : {row.council_name}, {row.label}
      </span>
    </AppLink>
  );
  const columns: TableColumn<RecurrenceInstanceRow>[] = [
    { key: 'council_name', label: 'Council' },
    { key: 'label', label: 'Theme' },
    {
      key: 'earlier_start',
      label: 'Earlier inspection',
      format: (v) => formatDate(v as string),
      render: (row) => link(row.earlier_letter_id, row, formatDate(row.earlier_start)),
    },
    {
      key: 'later_start',
      label: 'Later inspection',
      format: (v) => formatDate(v as string),
      render: (row) => link(row.later_letter_id, row, formatDate(row.later_start)),
    },
    { key: 'later_number', label: 'Inspection number', numeric: true },
  ];
  if (rows.length === 0) return null;
  return (
    <section className="panel" aria-labelledby="recurrence-instances-heading">
      <div className="panel-head">
        <div>
          <h2 id="recurrence-instances-heading">Each theme raised again</h2>
          <p className="panel-description">
            A council, a theme, and the two consecutive inspections that both raised it as a
            weakness; each date opens that inspection&rsquo;s findings on the theme.
          </p>
        </div>
        <div className="panel-tools">
          <button
            type="button"
            className="button button-secondary"
            onClick={() => downloadCsv('recurrence-instances', rows, columns)}
          >
            Download CSV
          </button>
        </div>
      </div>
      <DataTable caption="Themes raised again, by council" rows={rows} columns={columns} />
    </section>
  );
}

/** The findings letters themselves mark as raised at the previous inspection, by theme. */
export function PreviouslyIdentifiedSection({ data }: { data: PreviouslyIdentifiedData }) {
  const params = useSearchParams();
  const { themes, findings } = data;
  const letters = new Set(findings.map((f) => f.letter_id)).size;
  const evidence = (row: PreviouslyIdentifiedThemeRow, i: number) =>
    viewParams('evidence', params, { letter: row.letter_ids[i], theme: row.theme_id });
  const columns: TableColumn<PreviouslyIdentifiedThemeRow>[] = [
    { key: 'label', label: 'Theme' },
    { key: 'group_label', label: 'Group' },
    { key: 'findings', label: 'Findings marked as raised before', numeric: true },
    { key: 'weakness_findings', label: 'Still a weakness', numeric: true },
    { key: 'other_findings', label: 'Now satisfactory or a strength', numeric: true },
    { key: 'letters', label: 'Letters', numeric: true },
    {
      key: 'council_names',
      label: 'Councils',
      render: (row) => (
        <span className="recurrence-links">
          {row.council_names.map((name, i) => (
            <AppLink key={row.letter_ids[i]} params={evidence(row, i)}>
              {name}
              <span className="visually-hidden">: findings on {row.label}</span>
            </AppLink>
          ))}
        </span>
      ),
    },
  ];
  return (
    <>
      <ChartWithTable
        title="Findings marked as raised at the previous inspection"
        description={`Findings whose letter says the issue was an area for development at the previous inspection: ${plural(findings.length, 'finding', 'findings')} in ${plural(letters, 'letter', 'letters')}, counted under each of their themes. A finding now under satisfactory practice or strengths shows progress on an old weakness. Select a bar to read the findings.`}
        rows={themes}
        columns={columns}
        fileName="previously-identified-by-theme"
      >
        <ResponsiveContainer width="100%" height={themes.length * 34 + 80}>
          <BarChart
            data={[...themes]}
            layout="vertical"
            margin={{ top: 4, right: 32, left: 8, bottom: 4 }}
          >
            <CartesianGrid horizontal={false} stroke={COLORS.grid} />
            <XAxis
              type="number"
              allowDecimals={false}
              domain={[0, 'dataMax']}
              stroke={COLORS.secondaryText}
            />
            <YAxis
              type="category"
              dataKey="label"
              width={250}
              interval={0}
              tick={{ fontSize: 13, fill: COLORS.text }}
            />
            <Tooltip />
            <Legend
              itemSorter={null}
              formatter={(value) => <span style={{ color: COLORS.text }}>{value}</span>}
            />
            {(
              [
                ['weakness_findings', 'Still a weakness', COLORS.weakness],
                ['other_findings', 'Now satisfactory or a strength', COLORS.satisfactory],
              ] as const
            ).map(([key, name, fill]) => (
              <Bar
                key={key}
                dataKey={key}
                name={name}
                stackId="marked"
                fill={fill}
                isAnimationActive={false}
                cursor="pointer"
                onClick={(entry) => {
                  const row = (entry as { payload?: PreviouslyIdentifiedThemeRow }).payload;
                  if (row) navigate(hrefFor(evidence(row, 0)));
                }}
              />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </ChartWithTable>
      <PreviouslyIdentifiedList rows={findings} />
    </>
  );
}

const FINDING_CSV: TableColumn<PreviouslyIdentifiedFindingRow>[] = [
  { key: 'council_name', label: 'Council' },
  { key: 'inspection_start', label: 'Inspection start' },
  { key: 'section', label: 'Section' },
  { key: 'text', label: 'Finding' },
  { key: 'themes', label: 'Themes' },
  { key: 'finding_id', label: 'Finding id' },
];

function PreviouslyIdentifiedList({ rows }: { rows: readonly PreviouslyIdentifiedFindingRow[] }) {
  const params = useSearchParams();
  const csvRows = rows.map((r) => ({
    ...r,
    themes: r.themes.map((t) => t.label),
  })) as unknown as PreviouslyIdentifiedFindingRow[];
  return (
    <section className="panel" aria-labelledby="previously-identified-heading">
      <div className="panel-head">
        <div>
          <h2
            id="previously-identified-heading"
            data-testid="previously-identified-count"
            data-value={rows.length}
          >
            The {plural(rows.length, 'finding', 'findings')} marked as raised before
          </h2>
          <p className="panel-description">In inspection order, with their themes.</p>
        </div>
        <div className="panel-tools">
          <button
            type="button"
            className="button button-secondary"
            onClick={() => downloadCsv('previously-identified-findings', csvRows, FINDING_CSV)}
          >
            Download CSV
          </button>
        </div>
      </div>
      <ol className="evidence-list">
        {rows.map((row) => (
          <li
            key={row.finding_id}
            className={`evidence-item section-${row.section}`}
            data-finding={row.finding_id}
          >
            <p className="evidence-meta">
              <strong>{row.council_name}</strong>
              <span>inspected {formatDate(row.inspection_start)}</span>
              <span className={`section-tag section-tag-${row.section}`}>
                {SECTION_LABELS[row.section]}
              </span>
            </p>
            <blockquote className="evidence-text">{row.text}</blockquote>
            <p className="recurrence-links">
              {row.themes.map((t) => (
                <AppLink
                  key={t.theme_id}
                  params={viewParams('evidence', params, {
                    letter: row.letter_id,
                    theme: t.theme_id,
                  })}
                >
                  {t.label}
                  <span className="visually-hidden">: evidence in this letter</span>
                </AppLink>
              ))}
              <AppLink
                params={viewParams('letter', params, {
                  letter: row.letter_id,
                  finding: row.finding_id,
                })}
              >
                Read it in the letter
                <span className="visually-hidden">
                  {' '}
                  from {row.council_name}, finding {row.position}
                </span>
              </AppLink>
            </p>
          </li>
        ))}
      </ol>
    </section>
  );
}
