import { FindingActions, tagOrigin } from '@/app/corrections/finding-actions';
import { citation, documentLabel, provenanceLine, sourceOf } from '@/lib/citation';
import { dataVersionLine } from '@/lib/precomputed';
import { useMemo, useState } from 'react';
import { AppLink } from '@/app/app-link';
import { CouncilLink } from '@/app/council-link';
import { FindingLetterLink } from '@/app/finding-letter-link';
import { MissingLetters } from '@/app/missing-letters';
import { navigateWith, useSearchParams, withParams } from '@/app/url-state';
import { useFilterChangePrefetch, useViewFilters, viewQuery } from '@/app/view-filters';
import { ThemeName, WeakThemesNote } from '@/app/weak-themes';
import type { TableColumn } from '@/lib/csv';
import { FindingList } from '@/lib/finding-list';
import { formatCount } from '@/lib/format';
import { evidencePhrases, highlightSegments } from '@/lib/highlight';
import { PanelHead } from '@/lib/panel-head';
import { noRows, QueryState } from '@/lib/query-state';
import { choiceLabel, useWeakThemes, type WeakThemes } from '@/lib/theme-quality';
import {
  EVIDENCE_LIMIT,
  type EvidenceParams,
  type EvidenceRow,
  type EvidenceTheme,
} from './evidence-sql';
import { useEvidence, useEvidenceChoices, evidenceQueryOptions } from './evidence-queries';

/** The evidence view: pickers for theme and council, then the matching findings. */
export function EvidenceView() {
  const filters = useViewFilters();
  const params = useSearchParams();
  const theme = params.get('theme') ?? undefined;
  const council = params.get('council') ?? undefined;
  const letter = params.get('letter') ?? undefined;
  // "Show more" lengthens the list of this selection only; a new selection starts at one page.
  const selection = JSON.stringify([filters, theme, council, letter]);
  const [shown, setShown] = useState({ selection, limit: EVIDENCE_LIMIT });
  const limit = shown.selection === selection ? shown.limit : EVIDENCE_LIMIT;
  const evidenceParams = useMemo<EvidenceParams>(
    () => ({ filters, theme, council, letter, limit }),
    [filters, theme, council, letter, limit],
  );
  const evidence = useEvidence(evidenceParams);
  // A filter change starts a new selection, at one page.
  useFilterChangePrefetch((next) => [
    viewQuery(
      evidenceQueryOptions({ filters: next, theme, council, letter, limit: EVIDENCE_LIMIT }),
    ),
  ]);
  const showMore = () => setShown({ selection, limit: limit + EVIDENCE_LIMIT });
  return (
    <div className="view evidence">
      <EvidencePickers theme={theme} council={council} letter={letter} />
      {letter && <MissingLetters ids={[letter]} />}
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
        {(rows) => (
          <EvidenceList
            rows={rows}
            theme={theme}
            onShowMore={evidence.isPlaceholderData ? undefined : showMore}
          />
        )}
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
  const weak = useWeakThemes();
  const set = (key: string, value: string) => navigateWith({ [key]: value || undefined });
  const options = (kind: 'theme' | 'council', current?: string) => {
    const list = (choices.data ?? []).filter((c) => c.kind === kind);
    const known = list.some((c) => c.value === current);
    return (
      <>
        <option value="">{kind === 'theme' ? 'All themes' : 'All councils'}</option>
        {current && !known && <option value={current}>{current}</option>}
        {list.map((c) => (
          <option key={c.value} value={c.value}>
            {kind === 'theme' ? choiceLabel(c.label, c.value, weak) : c.label}
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

/** A finding as the CSV gives it: its themes, and each theme's confidence, as text. */
type EvidenceCsvRow = Omit<EvidenceRow, 'themes'> & {
  themes: string[];
  theme_confidence: string[];
  document: string;
  provenance: string;
  citation: string;
  data_version: string;
};

const CSV_COLUMNS: TableColumn<EvidenceCsvRow>[] = [
  { key: 'document', label: 'Document' },
  { key: 'council_name', label: 'Council' },
  { key: 'region', label: 'Region' },
  { key: 'reporting_year', label: 'Reporting year' },
  { key: 'inspection_start', label: 'Inspection start' },
  { key: 'letter_date', label: 'Letter date' },
  { key: 'section', label: 'Section' },
  { key: 'text', label: 'Finding' },
  { key: 'themes', label: 'Themes' },
  { key: 'theme_confidence', label: 'Theme confidence' },
  { key: 'previously_identified', label: 'Raised before' },
  { key: 'finding_id', label: 'Finding id' },
  { key: 'provenance', label: 'Source' },
  { key: 'citation', label: 'Citation' },
  { key: 'source_file', label: 'File' },
  { key: 'page', label: 'Page' },
  { key: 'data_version', label: 'Data version' },
];

/** The matching findings, each with its council, dates, section, themes and highlighted words. */
export function EvidenceList({
  rows,
  theme,
  onShowMore,
}: {
  rows: readonly EvidenceRow[];
  theme?: string;
  /** Lists the next page of findings; unset while it loads (the button is then disabled). */
  onShowMore?: () => void;
}) {
  const params = useSearchParams();
  const weak = useWeakThemes();
  const total = rows[0]?.total_matches ?? 0;
  const choices = useEvidenceChoices();
  const allThemes = (choices.data ?? [])
    .filter((c) => c.kind === 'theme')
    .map((c) => ({ theme_id: c.value, label: c.label }));
  const version = dataVersionLine();
  const csvRows: EvidenceCsvRow[] = rows.map((r) => ({
    ...r,
    document: documentLabel(r),
    provenance: provenanceLine(sourceOf(r)),
    citation: citation(sourceOf(r)),
    data_version: version,
    themes: r.themes.map((t) => `${t.label} (${t.evidence ?? ''})`),
    theme_confidence: r.themes.map(
      (t) =>
        `${t.label}: ${t.confidence === null ? 'not given' : formatConfidence(t.confidence)}${t.uncertain ? ' (uncertain)' : ''}`,
    ),
  }));
  return (
    <section className="panel" aria-labelledby="evidence-heading">
      <PanelHead fileName="evidence" rows={csvRows} columns={CSV_COLUMNS}>
        <h2 id="evidence-heading" data-testid="evidence-count" data-value={total}>
          {formatCount(total)} {total === 1 ? 'finding' : 'findings'}
          {rows.length < total && `, first ${formatCount(rows.length)} shown`}
        </h2>
      </PanelHead>
      <FindingList
        rows={rows}
        council={(row) => <CouncilLink name={row.council_name} params={params} />}
        quote={(row) => {
          const chosen = row.themes.filter((t) => !theme || t.theme_id === theme);
          const segments = highlightSegments(
            row.text,
            evidencePhrases(chosen.map((t) => t.evidence)),
          );
          return segments.map((s, i) =>
            s.marked ? <mark key={i}>{s.text}</mark> : <span key={i}>{s.text}</span>,
          );
        }}
        footer={(row) => (
          <>
            <ul className="theme-tags" aria-label="Themes">
              {row.themes.map((t) => (
                <ThemeTag key={t.theme_id} tag={t} current={t.theme_id === theme} weak={weak} />
              ))}
            </ul>
            <p className="finding-provenance" data-testid="finding-provenance">
              {provenanceLine(sourceOf(row))}
            </p>
            <FindingLetterLink finding={row} params={params} />
            <FindingActions
              finding={{
                ...sourceOf(row),
                finding_key: row.finding_key,
                text: row.text,
                themes: row.themes,
              }}
              allThemes={allThemes}
            />
          </>
        )}
      />
      <WeakThemesNote weak={weak} themes={rows.flatMap((r) => r.themes)} />
      {rows.length < total && (
        <p className="show-more">
          <button
            type="button"
            className="button button-secondary"
            disabled={!onShowMore}
            onClick={onShowMore}
          >
            {onShowMore
              ? `Show ${formatCount(Math.min(EVIDENCE_LIMIT, total - rows.length))} more`
              : 'Loading more…'}
          </button>
        </p>
      )}
    </section>
  );
}

/** A tag's confidence as the data give it, in hundredths: `0.45`. */
function formatConfidence(confidence: number): string {
  return confidence.toFixed(2);
}

/**
 * One theme on a finding: its name (marked when the theme is weak), "uncertain" in words when
 * the tagger was unsure of it, with the confidence in a tooltip and for screen readers, and the
 * words that triggered it.
 */
function ThemeTag({
  tag,
  current,
  weak,
}: {
  tag: EvidenceTheme;
  current: boolean;
  weak: WeakThemes;
}) {
  const confidence = tag.confidence === null ? null : formatConfidence(tag.confidence);
  const classes = ['theme-tag', current && 'current', tag.uncertain && 'uncertain'];
  return (
    <li
      className={classes.filter(Boolean).join(' ')}
      data-theme={tag.theme_id}
      data-uncertain={tag.uncertain ? 'true' : undefined}
      data-confidence={confidence ?? undefined}
      title={
        confidence === null
          ? undefined
          : tag.uncertain
            ? `uncertain (confidence ${confidence})`
            : `confidence ${confidence}`
      }
    >
      <ThemeName label={tag.label} themeId={tag.theme_id} weak={weak} />
      {tagOrigin(tag.source) && <span className="tag-origin"> ({tagOrigin(tag.source)})</span>}
      {tag.uncertain && (
        <span className="uncertain-mark">
          {' '}
          (uncertain
          {confidence !== null && (
            <span className="visually-hidden">, confidence {confidence}</span>
          )}
          )
        </span>
      )}
      {tag.evidence && <span className="theme-evidence"> — “{tag.evidence}”</span>}
    </li>
  );
}
