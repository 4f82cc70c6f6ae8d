import { provenanceLine } from '@/lib/citation';
import { AppLink } from '@/app/app-link';
import { CouncilLink } from '@/app/council-link';
import { FindingLetterLink } from '@/app/finding-letter-link';
import { hrefFor, navigate, useSearchParams, viewParams } from '@/app/url-state';
import { useFilterChangePrefetch, useViewFilters, viewQuery } from '@/app/view-filters';
import { ThemeName, WeakThemesNote } from '@/app/weak-themes';
import type { Filters } from '@/lib/filters';
import { ChartWithTable } from '@/lib/chart-with-table';
import { COLORS } from '@/lib/colors';
import type { TableColumn } from '@/lib/csv';
import { DataTable } from '@/lib/data-table';
import { FindingList } from '@/lib/finding-list';
import { formatCount, formatDate, formatPercent } from '@/lib/format';
import { shareWords } from '@/lib/share-words';
import { HorizontalCountChart } from '@/lib/horizontal-count-chart';
import { PanelHead } from '@/lib/panel-head';
import { QueryState } from '@/lib/query-state';
import { markedLabel, useWeakThemes } from '@/lib/theme-quality';
import type {
  PreviouslyIdentifiedFindingRow,
  PreviouslyIdentifiedThemeRow,
  RecurrenceInstanceRow,
  RecurrenceThemeRow,
} from './recurrence-sql';
import {
  fetchAllPreviouslyIdentifiedFindings,
  fetchAllRecurrenceInstances,
  usePreviouslyIdentified,
  useRecurrence,
  type PreviouslyIdentifiedData,
  type RecurrenceData,
  recurrenceQueryOptions,
  previouslyIdentifiedQueryOptions,
} from './recurrence-queries';
import './recurrence.css';

function plural(n: number, one: string, many: string): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** Recurrence: themes raised again at a council's next inspection, and findings marked as such. */
export function RecurrenceView() {
  const filters = useViewFilters();
  useFilterChangePrefetch((next) => [
    viewQuery(recurrenceQueryOptions(next)),
    viewQuery(previouslyIdentifiedQueryOptions(next)),
  ]);
  return (
    <div className="view recurrence">
      <RecurrencePart filters={filters} />
      <PreviouslyIdentifiedPart filters={filters} />
    </div>
  );
}

// Each part holds its own query, so that the answer of one renders that part alone.
function RecurrencePart({ filters }: { filters: Filters }) {
  const recurrence = useRecurrence(filters);
  return (
    <QueryState query={recurrence} label="themes raised again">
      {(data) => (
        <RecurrenceSection data={data} filters={filters} yearFiltered={Boolean(filters.year)} />
      )}
    </QueryState>
  );
}

function PreviouslyIdentifiedPart({ filters }: { filters: Filters }) {
  const previous = usePreviouslyIdentified(filters);
  return (
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
      {(data) => <PreviouslyIdentifiedSection data={data} filters={filters} />}
    </QueryState>
  );
}

/** The across-inspections part: an empty state in words when no council has a later inspection. */
export function RecurrenceSection({
  data,
  filters,
  yearFiltered,
}: {
  data: RecurrenceData;
  filters: Filters;
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
      <RecurrenceInstancesPanel rows={instances} filters={filters} />
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
  const weak = useWeakThemes();
  const evidence = (row: RecurrenceThemeRow) =>
    viewParams('evidence', params, { theme: row.theme_id, section: 'weakness' });
  const columns: TableColumn<RecurrenceThemeRow>[] = [
    {
      key: 'label',
      label: 'Theme',
      render: (row) => <ThemeName label={row.label} themeId={row.theme_id} weak={weak} />,
    },
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
      note={<WeakThemesNote themes={rows} weak={weak} />}
    >
      {rows.length === 0 ? (
        <p className="state state-empty" role="status">
          {intro} No weakness theme was raised at any of the earlier inspections.
        </p>
      ) : (
        <HorizontalCountChart
          rows={rows}
          categoryKey="label"
          category={(row) => markedLabel(row.label, row.theme_id, weak)}
          scale="count"
          rightMargin={48}
          label="Weakness themes by the pairs of consecutive inspections raising them at the earlier inspection and again at the next; the table view lists the figures."
          series={[
            {
              key: 'pairs_raised_before',
              name: 'Weakness at the earlier inspection',
              color: '#f4b5a3',
              stroke: COLORS.weakness,
            },
            {
              key: 'pairs_raised_again',
              name: 'Weakness again at the next',
              color: COLORS.weakness,
              endLabel: { key: 'share_raised_again', format: formatPercent },
              describe: (row) =>
                shareWords(row.pairs_raised_again, row.pairs_raised_before, 'pair', 'pairs'),
              onSelect: (row) => navigate(hrefFor(evidence(row))),
            },
          ]}
        />
      )}
    </ChartWithTable>
  );
}

/** "the first 100 of 2,345 shown" when a capped list holds fewer rows than there are. */
function shownNote(shown: number, total: number): string {
  return shown < total
    ? `; the first ${formatCount(shown)} of ${formatCount(total)} are listed`
    : '';
}

function RecurrenceInstancesPanel({
  rows,
  filters,
}: {
  rows: readonly RecurrenceInstanceRow[];
  filters: Filters;
}) {
  const params = useSearchParams();
  const weak = useWeakThemes();
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
    {
      key: 'label',
      label: 'Theme',
      render: (row) => <ThemeName label={row.label} themeId={row.theme_id} weak={weak} />,
    },
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
  const total = rows[0]!.total_instances;
  return (
    <section className="panel" aria-labelledby="recurrence-instances-heading">
      <PanelHead
        fileName="recurrence-instances"
        rows={rows}
        columns={columns}
        fetchRows={rows.length < total ? () => fetchAllRecurrenceInstances(filters) : undefined}
      >
        <div>
          <h2
            id="recurrence-instances-heading"
            data-testid="recurrence-instances-count"
            data-value={total}
          >
            Each theme raised again: {plural(total, 'recurrence', 'recurrences')}
          </h2>
          <p className="panel-description">
            A council, a theme, and the two consecutive inspections that both raised it as a
            weakness, by council and date{shownNote(rows.length, total)}; each date opens that
            inspection&rsquo;s findings on the theme.
          </p>
        </div>
      </PanelHead>
      <DataTable caption="Themes raised again, by council" rows={rows} columns={columns} />
      <WeakThemesNote themes={rows} weak={weak} />
    </section>
  );
}

/** The findings letters themselves mark as raised at the previous inspection, by theme. */
export function PreviouslyIdentifiedSection({
  data,
  filters,
}: {
  data: PreviouslyIdentifiedData;
  filters: Filters;
}) {
  const params = useSearchParams();
  const weak = useWeakThemes();
  const { themes, findings } = data;
  const total = findings[0]?.total_findings ?? 0;
  const letters = findings[0]?.total_letters ?? 0;
  const evidence = (row: PreviouslyIdentifiedThemeRow, i: number) =>
    viewParams('evidence', params, { letter: row.letter_ids[i], theme: row.theme_id });
  const openEvidence = (row: PreviouslyIdentifiedThemeRow) => navigate(hrefFor(evidence(row, 0)));
  const columns: TableColumn<PreviouslyIdentifiedThemeRow>[] = [
    {
      key: 'label',
      label: 'Theme',
      render: (row) => <ThemeName label={row.label} themeId={row.theme_id} weak={weak} />,
    },
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
          {row.letters > row.letter_ids.length && (
            <span>and {formatCount(row.letters - row.letter_ids.length)} more</span>
          )}
        </span>
      ),
    },
  ];
  return (
    <>
      <ChartWithTable
        title="Findings marked as raised at the previous inspection"
        description={`Findings whose letter says the issue was an area for development at the previous inspection: ${plural(total, 'finding', 'findings')} in ${plural(letters, 'letter', 'letters')}, counted under each of their themes. A finding now under satisfactory practice or strengths shows progress on an old weakness. Select a bar to read the findings.`}
        rows={themes}
        columns={columns}
        fileName="previously-identified-by-theme"
        note={<WeakThemesNote themes={themes} weak={weak} />}
      >
        <HorizontalCountChart
          rows={themes}
          categoryKey="label"
          category={(row) => markedLabel(row.label, row.theme_id, weak)}
          scale="count"
          rightMargin={32}
          label="Themes of the findings marked as raised at the previous inspection, split into those still a weakness and those now satisfactory or a strength; the table view lists the figures."
          series={[
            {
              key: 'weakness_findings',
              name: 'Still a weakness',
              color: COLORS.weakness,
              stack: 'marked',
              onSelect: openEvidence,
            },
            {
              key: 'other_findings',
              name: 'Now satisfactory or a strength',
              color: COLORS.satisfactory,
              stack: 'marked',
              onSelect: openEvidence,
            },
          ]}
        />
      </ChartWithTable>
      <PreviouslyIdentifiedList rows={findings} filters={filters} />
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

/** The rows as the CSV gives them: each finding's themes by label. */
function findingCsvRows(
  rows: readonly PreviouslyIdentifiedFindingRow[],
): PreviouslyIdentifiedFindingRow[] {
  return rows.map((r) => ({
    ...r,
    themes: r.themes.map((t) => t.label),
  })) as unknown as PreviouslyIdentifiedFindingRow[];
}

function PreviouslyIdentifiedList({
  rows,
  filters,
}: {
  rows: readonly PreviouslyIdentifiedFindingRow[];
  filters: Filters;
}) {
  const params = useSearchParams();
  const weak = useWeakThemes();
  const total = rows[0]?.total_findings ?? 0;
  return (
    <section className="panel" aria-labelledby="previously-identified-heading">
      <PanelHead
        fileName="previously-identified-findings"
        rows={findingCsvRows(rows)}
        columns={FINDING_CSV}
        fetchRows={
          rows.length < total
            ? async () => findingCsvRows(await fetchAllPreviouslyIdentifiedFindings(filters))
            : undefined
        }
      >
        <div>
          <h2
            id="previously-identified-heading"
            data-testid="previously-identified-count"
            data-value={total}
          >
            The {plural(total, 'finding', 'findings')} marked as raised before
          </h2>
          <p className="panel-description">
            In inspection order, with their themes{shownNote(rows.length, total)}.
          </p>
        </div>
      </PanelHead>
      <FindingList
        rows={rows}
        council={(row) => <CouncilLink name={row.council_name} params={params} />}
        footer={(row) => (
          <p className="recurrence-links">
            {row.themes.map((t) => (
              <AppLink
                key={t.theme_id}
                params={viewParams('evidence', params, {
                  letter: row.letter_id,
                  theme: t.theme_id,
                })}
              >
                <ThemeName label={t.label} themeId={t.theme_id} weak={weak} />
                <span className="visually-hidden">: evidence in this letter</span>
              </AppLink>
            ))}
            <FindingLetterLink finding={row} params={params} />
            <span className="finding-provenance"> {provenanceLine({ ...row })}</span>
          </p>
        )}
      />
      <WeakThemesNote themes={rows.flatMap((r) => r.themes)} weak={weak} />
    </section>
  );
}
