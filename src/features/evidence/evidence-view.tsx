import { useMemo } from 'react';
import { AppLink } from '@/app/app-link';
import { hrefFor, navigate, useSearchParams, viewParams, withParams } from '@/app/url-state';
import { useViewFilters } from '@/app/view-filters';
import { AddedBadge } from '@/lib/added-badge';
import { downloadCsv, type TableColumn } from '@/lib/csv';
import { SECTION_LABELS } from '@/lib/filters';
import { formatCount, formatDate } from '@/lib/format';
import { evidencePhrases, highlightSegments } from '@/lib/highlight';
import { noRows, QueryState } from '@/lib/query-state';
import type { EvidenceParams, EvidenceRow } from './evidence-sql';
import { useEvidence, useEvidenceChoices } from './evidence-queries';

/** The evidence view: pickers for theme and council, then the matching findings. */
export function EvidenceView() {
  const filters = useViewFilters();
  const params = useSearchParams();
  const theme = params.get('theme') ?? undefined;
  const council = params.get('council') ?? undefined;
  const letter = params.get('letter') ?? undefined;
  const evidenceParams = useMemo<EvidenceParams>(
    () => ({ filters, theme, council, letter }),
    [filters, theme, council, letter],
  );
  const evidence = useEvidence(evidenceParams);
  return (
    <div className="view evidence">
      <EvidencePickers theme={theme} council={council} letter={letter} />
      <QueryState
        query={evidence}
        label="findings"
        isEmpty={noRows}
        empty={
          <p>
            No findings match this selection. Try another theme, council or section, or clear the
            filters.
          </p>
        }
      >
        {(rows) => <EvidenceList rows={rows} theme={theme} />}
      </QueryState>
    </div>
  );
}

function EvidencePickers({
  theme,
  council,
  letter,
}: {
  theme?: string;
  council?: string;
  letter?: string;
}) {
  const params = useSearchParams();
  const choices = useEvidenceChoices();
  const set = (key: string, value: string) =>
    navigate(hrefFor(withParams(params, { [key]: value || undefined })));
  const options = (kind: 'theme' | 'council', current?: string) => {
    const list = (choices.data ?? []).filter((c) => c.kind === kind);
    const known = list.some((c) => c.value === current);
    return (
      <>
        <option value="">{kind === 'theme' ? 'All themes' : 'All councils'}</option>
        {current && !known && <option value={current}>{current}</option>}
        {list.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </>
    );
  };
  return (
    <div className="pickers">
      <div className="filter">
        <label htmlFor="evidence-theme">Theme</label>
        <select
          id="evidence-theme"
          value={theme ?? ''}
          onChange={(e) => set('theme', e.target.value)}
        >
          {options('theme', theme)}
        </select>
      </div>
      <div className="filter">
        <label htmlFor="evidence-council">Council</label>
        <select
          id="evidence-council"
          value={council ?? ''}
          onChange={(e) => set('council', e.target.value)}
        >
          {options('council', council)}
        </select>
      </div>
      {letter && (
        <p className="picker-note">
          One letter only ({letter}).{' '}
          <AppLink params={withParams(params, { letter: undefined })}>Show all letters</AppLink>
        </p>
      )}
    </div>
  );
}

const CSV_COLUMNS: TableColumn<EvidenceRow>[] = [
  { key: 'council_name', label: 'Council' },
  { key: 'inspection_start', label: 'Inspection start' },
  { key: 'letter_date', label: 'Letter date' },
  { key: 'section', label: 'Section' },
  { key: 'text', label: 'Finding' },
  { key: 'themes', label: 'Themes' },
  { key: 'previously_identified', label: 'Raised before' },
  { key: 'finding_id', label: 'Finding id' },
];

/** The matching findings, each with its council, dates, section, themes and highlighted words. */
export function EvidenceList({ rows, theme }: { rows: readonly EvidenceRow[]; theme?: string }) {
  const params = useSearchParams();
  const total = rows[0]?.total_matches ?? 0;
  const csvRows = rows.map((r) => ({
    ...r,
    themes: r.themes.map((t) => `${t.label} (${t.evidence ?? ''})`),
  })) as unknown as EvidenceRow[];
  return (
    <section className="panel" aria-labelledby="evidence-heading">
      <div className="panel-head">
        <h2 id="evidence-heading" data-testid="evidence-count" data-value={total}>
          {formatCount(total)} {total === 1 ? 'finding' : 'findings'}
          {rows.length < total && `, first ${formatCount(rows.length)} shown`}
        </h2>
        <div className="panel-tools">
          <button
            type="button"
            className="button button-secondary"
            onClick={() => downloadCsv('evidence', csvRows, CSV_COLUMNS)}
          >
            Download CSV
          </button>
        </div>
      </div>
      <ol className="evidence-list">
        {rows.map((row) => {
          const chosen = row.themes.filter((t) => !theme || t.theme_id === theme);
          const segments = highlightSegments(
            row.text,
            evidencePhrases(chosen.map((t) => t.evidence)),
          );
          return (
            <li
              key={row.finding_id}
              className={`evidence-item section-${row.section}`}
              data-finding={row.finding_id}
            >
              <p className="evidence-meta">
                <strong>{row.council_name}</strong>
                {row.added && <AddedBadge />}
                <span>inspected {formatDate(row.inspection_start)}</span>
                {row.letter_date && <span>letter {formatDate(row.letter_date)}</span>}
                <span className={`section-tag section-tag-${row.section}`}>
                  {SECTION_LABELS[row.section]}
                </span>
                {row.previously_identified && (
                  <span className="tag">Raised at the previous inspection</span>
                )}
              </p>
              <blockquote className="evidence-text">
                {segments.map((s, i) =>
                  s.marked ? <mark key={i}>{s.text}</mark> : <span key={i}>{s.text}</span>,
                )}
              </blockquote>
              <ul className="theme-tags" aria-label="Themes">
                {row.themes.map((t) => (
                  <li
                    key={t.theme_id}
                    className={t.theme_id === theme ? 'theme-tag current' : 'theme-tag'}
                  >
                    {t.label}
                    {t.evidence && <span className="theme-evidence"> — “{t.evidence}”</span>}
                  </li>
                ))}
              </ul>
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
            </li>
          );
        })}
      </ol>
    </section>
  );
}
