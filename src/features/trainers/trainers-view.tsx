import { useId, useMemo, useState } from 'react';
import { AppLink } from '@/app/app-link';
import { KIND_LABELS } from '@/app/filter-options';
import { navigateWith, useSearchParams, viewParams } from '@/app/url-state';
import { useFilterChangePrefetch, useViewFilters, viewQuery } from '@/app/view-filters';
import { ThemeName, WeakThemesNote } from '@/app/weak-themes';
import { citation, provenanceLine, sourceOf } from '@/lib/citation';
import type { TableColumn } from '@/lib/csv';
import { DownloadCsvButton } from '@/lib/panel-head';
import { dataVersionLine } from '@/lib/precomputed';
import { WEAKNESS_SECTIONS, type Filters } from '@/lib/filters';
import { formatCount, formatDate, formatPercent } from '@/lib/format';
import { evidencePhrases, highlightSegments } from '@/lib/highlight';
import { noRows, QueryState } from '@/lib/query-state';
import { useWeakThemes } from '@/lib/theme-quality';
import {
  QUOTE_MAX_CHARS,
  QUOTE_MIN_CHARS,
  QUOTES_PER_THEME,
  type TrainerCouncilRow,
  type TrainerQuote,
  type TrainersParams,
  type TrainerThemeRow,
} from './trainers-sql';
import {
  useThemeGroups,
  useTrainerCouncils,
  useTrainerWeaknesses,
  trainerWeaknessesQueryOptions,
} from './trainers-queries';
import {
  councilRef,
  describePack,
  PACK_SECTION_LABELS,
  packChanges,
  parsePack,
  QUOTE_CHOICES,
  resolveCouncils,
  TOP_CHOICES,
  type PackSettings,
} from './trainers-pack';
import './trainers.css';

/**
 * Common weaknesses for trainers: themes ranked by how widely inspectors raised them, quoted; a
 * pack of so many themes and quotes, from one or both weakness sections and some councils, each
 * setting in the URL.
 */
export function TrainersView() {
  const filters = useViewFilters();
  const params = useSearchParams();
  const group = params.get('group') || undefined;
  const pack = useMemo(() => parsePack(params), [params]);
  const [choosing, setChoosing] = useState(false);
  // The councils' list is fetched only when some are asked for or the list is opened.
  const councilChoices = useTrainerCouncils(pack.councils.length > 0 || choosing);
  const resolved = useMemo(
    () => resolveCouncils(pack.councils, councilChoices.data ?? []),
    [pack.councils, councilChoices.data],
  );
  const councilNames = useMemo(() => resolved.found.map((c) => c.council_name), [resolved.found]);
  const councilsKnown = pack.councils.length === 0 || councilChoices.isSuccess;
  const noCouncilFound = councilsKnown && pack.councils.length > 0 && councilNames.length === 0;
  const trainersParams = useMemo<TrainersParams>(
    () => packParams(filters, group, pack, councilNames),
    [filters, group, pack, councilNames],
  );
  const weaknesses = useTrainerWeaknesses(trainersParams, councilsKnown && !noCouncilFound);
  const narrowed = councilNames.length > 0 || pack.sections.length < WEAKNESS_SECTIONS.length;
  useFilterChangePrefetch((next) =>
    councilsKnown && !noCouncilFound
      ? [viewQuery(trainerWeaknessesQueryOptions(packParams(next, group, pack, councilNames)))]
      : [],
  );
  return (
    <div className="view trainers">
      <PackControls
        group={group}
        pack={pack}
        councils={councilChoices.data}
        chosen={resolved.found}
        onOpenCouncils={() => setChoosing(true)}
      />
      <p className="trainers-selection" data-testid="trainers-filters">
        {describeSelection(filters, group)}
      </p>
      {resolved.unknown.length > 0 && councilsKnown && (
        <p className="trainers-unknown" data-testid="trainers-unknown-councils">
          {noCouncilFound ? 'No council in this link is held' : 'Left out, not held'}:{' '}
          {resolved.unknown.join(', ')}. Choose councils with the list above.
        </p>
      )}
      {noCouncilFound ? null : !councilsKnown ? (
        <QueryState query={councilChoices} label="the councils">
          {() => null}
        </QueryState>
      ) : (
        <QueryState
          query={weaknesses}
          label="weaknesses"
          isEmpty={noRows}
          empty={
            <p>
              No weaknesses were raised in the inspections that match these filters
              {group ? ` under ${group}` : ''}
              {narrowed ? ' in the sections and councils the pack is made of' : ''}. Choose another
              group or year{narrowed ? ', other sections or councils' : ''}, or clear the filters.
            </p>
          }
        >
          {(rows) => <TrainerWeaknessList rows={rows} pack={pack} councils={councilNames} />}
        </QueryState>
      )}
    </div>
  );
}

/** The builder's parameters for a pack: defaults left unset, so that the default query is shared. */
function packParams(
  filters: Filters,
  group: string | undefined,
  pack: PackSettings,
  councils: readonly string[],
): TrainersParams {
  const changes = packChanges(pack);
  return {
    filters,
    group,
    ...(changes.top ? { top: pack.top } : {}),
    ...(changes.quotes ? { quotes: pack.quotes } : {}),
    ...(changes.sections ? { sections: pack.sections } : {}),
    ...(councils.length ? { councils } : {}),
  };
}

/** The pack's settings: theme group, how many themes and quotes, which sections and councils. */
function PackControls({
  group,
  pack,
  councils,
  chosen,
  onOpenCouncils,
}: {
  group?: string;
  pack: PackSettings;
  councils: readonly TrainerCouncilRow[] | undefined;
  chosen: readonly TrainerCouncilRow[];
  onOpenCouncils: () => void;
}) {
  const set = (next: Partial<PackSettings>) => navigateWith(packChanges({ ...pack, ...next }));
  const toggleSection = (section: 'development' | 'priority_action', on: boolean) => {
    const next = (['development', 'priority_action'] as const).filter((s) =>
      s === section ? on : pack.sections.includes(s),
    );
    if (next.length > 0) set({ sections: next });
  };
  return (
    <div className="pickers trainers-pack-controls" data-testid="trainers-pack-controls">
      <GroupPicker group={group} />
      <div className="filter">
        <label htmlFor="trainers-top">Themes</label>
        <select
          id="trainers-top"
          value={pack.top === undefined ? '' : String(pack.top)}
          onChange={(e) => set({ top: e.target.value ? Number(e.target.value) : undefined })}
        >
          <option value="">Every theme</option>
          {pack.top !== undefined && !TOP_CHOICES.includes(pack.top) && (
            <option value={pack.top}>The first {pack.top}</option>
          )}
          {TOP_CHOICES.map((n) => (
            <option key={n} value={n}>
              The first {n}
            </option>
          ))}
        </select>
      </div>
      <div className="filter">
        <label htmlFor="trainers-quotes">Quotes per theme</label>
        <select
          id="trainers-quotes"
          value={String(pack.quotes)}
          onChange={(e) => set({ quotes: Number(e.target.value) })}
        >
          {QUOTE_CHOICES.map((n) => (
            <option key={n} value={n}>
              {n === 0 ? 'None' : n}
            </option>
          ))}
        </select>
      </div>
      <fieldset className="checkbox-group trainers-sections">
        <legend>Sections</legend>
        {(['development', 'priority_action'] as const).map((section) => {
          const checked = pack.sections.includes(section);
          return (
            <label key={section} className="checkbox">
              <input
                type="checkbox"
                checked={checked}
                // One section at least: the last one checked cannot be unchecked.
                aria-describedby={
                  checked && pack.sections.length === 1 ? 'trainers-sections-note' : undefined
                }
                onChange={(e) => toggleSection(section, e.target.checked)}
              />{' '}
              {PACK_SECTION_LABELS[section]}
            </label>
          );
        })}
        {pack.sections.length === 1 && (
          <span id="trainers-sections-note" className="trainers-note">
            At least one section stays chosen.
          </span>
        )}
      </fieldset>
      <CouncilChooser
        councils={councils}
        chosen={chosen}
        onOpen={onOpenCouncils}
        onChange={(next) => set({ councils: next.map(councilRef) })}
      />
    </div>
  );
}

function GroupPicker({ group }: { group?: string }) {
  const groups = useThemeGroups();
  const list = groups.data ?? [];
  const known = list.some((g) => g.group_label === group);
  return (
    <div className="filter">
      <label htmlFor="trainers-group">Theme group</label>
      <select
        id="trainers-group"
        value={group ?? ''}
        onChange={(e) => navigateWith({ group: e.target.value || undefined })}
      >
        <option value="">All groups</option>
        {group && !known && <option value={group}>{group}</option>}
        {list.map((g) => (
          <option key={g.group_label} value={g.group_label}>
            {g.group_label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** Some councils only: a list to filter by name and tick, opened on demand. */
function CouncilChooser({
  councils,
  chosen,
  onOpen,
  onChange,
}: {
  councils: readonly TrainerCouncilRow[] | undefined;
  chosen: readonly TrainerCouncilRow[];
  onOpen: () => void;
  onChange: (next: readonly TrainerCouncilRow[]) => void;
}) {
  const [filter, setFilter] = useState('');
  const [open, setOpen] = useState(false);
  const filterId = useId();
  const wanted = filter.trim().toLowerCase();
  const shown = (councils ?? []).filter(
    (c) =>
      !wanted ||
      c.council_name.toLowerCase().includes(wanted) ||
      (c.region ?? '').toLowerCase().includes(wanted),
  );
  const isChosen = (c: TrainerCouncilRow) => chosen.some((d) => d.council_name === c.council_name);
  return (
    <details
      className="trainers-councils"
      onToggle={(e) => {
        setOpen(e.currentTarget.open);
        if (e.currentTarget.open) onOpen();
      }}
    >
      <summary>
        Councils:{' '}
        {chosen.length === 0
          ? 'every council'
          : chosen.length <= 2
            ? chosen.map((c) => c.council_name).join(', ')
            : `${chosen.length} chosen`}
      </summary>
      {open && (
        <div className="trainers-councils-body">
          {chosen.length > 0 && (
            <button type="button" className="button button-link" onClick={() => onChange([])}>
              Every council again
            </button>
          )}
          <label htmlFor={filterId}>Find a council or region</label>
          <input
            id={filterId}
            type="search"
            value={filter}
            autoComplete="off"
            onChange={(e) => setFilter(e.target.value)}
          />
          {!councils ? (
            <p role="status">Loading the councils…</p>
          ) : (
            <fieldset className="trainers-councils-list">
              <legend className="visually-hidden">Councils to take the pack from</legend>
              {shown.length === 0 && <p>No council held matches “{filter}”.</p>}
              {shown.map((c) => (
                <label key={c.council_name} className="checkbox">
                  <input
                    type="checkbox"
                    checked={isChosen(c)}
                    onChange={(e) =>
                      onChange(
                        e.target.checked
                          ? [...chosen, c]
                          : chosen.filter((d) => d.council_name !== c.council_name),
                      )
                    }
                  />{' '}
                  {c.council_name}{' '}
                  <span className="trainers-council-n">
                    ({c.letters} {c.letters === 1 ? 'letter' : 'letters'})
                  </span>
                </label>
              ))}
            </fieldset>
          )}
        </div>
      )}
    </details>
  );
}

/** The filters in words, printed above the list so that a handout says what it covers. */
export function describeSelection(filters: Filters, group?: string): string {
  const parts = [
    filters.year && `reporting year ${filters.year}`,
    filters.region && `region ${filters.region}`,
    filters.laType && `council type ${filters.laType}`,
    filters.kind && `documents: ${KIND_LABELS[filters.kind] ?? filters.kind}`,
    group && `theme group ${group}`,
  ].filter(Boolean);
  const covers =
    parts.length === 0
      ? 'Covers every inspection held and every theme group.'
      : `Covers ${parts.join(', ')}.`;
  return filters.tags === 'sure'
    ? `${covers} Counts only the theme tags the program was sure of.`
    : covers;
}

/**
 * One row of the CSV export: a ranked theme with its quotes side by side (`quote_1`, `source_1`,
 * …, then `citation_1`, …, as many as the pack takes).
 */
type TrainerCsvRow = {
  rank: number;
  label: string;
  group_label: string;
  letters_with_theme: number;
  letters_total: number;
  share: number;
  weakness_findings: number;
  priority_findings: number;
  data_version: string;
} & Record<`${'quote' | 'source' | 'citation'}_${number}`, string>;

/** The CSV's columns for a pack of `quotes` quotes per theme. */
export function trainerCsvColumns(quotes: number): TableColumn<TrainerCsvRow>[] {
  const numbers = Array.from({ length: quotes }, (_, i) => i + 1);
  return [
    { key: 'rank', label: 'Rank' },
    { key: 'label', label: 'Theme' },
    { key: 'group_label', label: 'Group' },
    { key: 'letters_with_theme', label: 'Inspections raising it' },
    { key: 'letters_total', label: 'Inspections' },
    { key: 'share', label: 'Share of inspections' },
    { key: 'weakness_findings', label: 'Weakness findings' },
    { key: 'priority_findings', label: 'of which priority action' },
    ...numbers.flatMap((n): TableColumn<TrainerCsvRow>[] => [
      { key: `quote_${n}`, label: `Quote ${n}` },
      { key: `source_${n}`, label: `Quote ${n} source` },
    ]),
    ...numbers.map((n): TableColumn<TrainerCsvRow> => ({
      key: `citation_${n}`,
      label: `Quote ${n} citation`,
    })),
    { key: 'data_version', label: 'Data version' },
  ];
}

/**
 * How a quote is cited in one line: whose words (a council's report is the council's), council,
 * date, section and number, page and file.
 */
export function quoteSource(quote: TrainerQuote): string {
  return provenanceLine(sourceOf(quote));
}

/** The ranked list as CSV rows, one per theme with up to `quotes` quotes and their sources. */
export function toTrainerCsvRows(
  rows: readonly TrainerThemeRow[],
  quotes: number = QUOTES_PER_THEME,
): TrainerCsvRow[] {
  return rows.map((row) => {
    const out: Record<string, string | number> = {
      rank: row.rank,
      label: row.label,
      group_label: row.group_label,
      letters_with_theme: row.letters_with_theme,
      letters_total: row.letters_total,
      share: row.share,
      weakness_findings: row.weakness_findings,
      priority_findings: row.priority_findings,
      data_version: dataVersionLine(),
    };
    for (let i = 0; i < quotes; i += 1) {
      const q = row.quotes[i];
      out[`quote_${i + 1}`] = q?.text ?? '';
      out[`source_${i + 1}`] = q ? quoteSource(q) : '';
      out[`citation_${i + 1}`] = q ? citation(sourceOf(q)) : '';
    }
    return out as TrainerCsvRow;
  });
}

/** The ranked weaknesses, each with its figures, a share bar, its quotes and a link to evidence. */
export function TrainerWeaknessList({
  rows,
  pack = { quotes: QUOTES_PER_THEME, sections: WEAKNESS_SECTIONS, councils: [] },
  councils = [],
}: {
  rows: readonly TrainerThemeRow[];
  /** The pack's settings (the default pack when unset). */
  pack?: PackSettings;
  /** The names of the councils the pack is made of; every council when empty. */
  councils?: readonly string[];
}) {
  const params = useSearchParams();
  const weak = useWeakThemes();
  const total = rows[0]?.letters_total ?? 0;
  const quotesShown = rows.reduce((n, r) => n + r.quotes.length, 0);
  const builtFrom = describePack(pack, councils, {
    themes: rows.length,
    themesInList: rows[0]?.themes_in_list,
    quotes: quotesShown,
    inspections: total,
  });
  // Evidence behind a theme: the pack's sections, and its council when it is of one.
  const section = pack.sections.length === 1 ? (pack.sections[0] as string) : ('weakness' as const);
  const evidenceOf = (themeId: string) =>
    viewParams('evidence', params, {
      theme: themeId,
      section,
      council: councils.length === 1 ? councils[0] : undefined,
    });
  const sectionsInWords =
    pack.sections.length === 1
      ? `under ${PACK_SECTION_LABELS[pack.sections[0] as keyof typeof PACK_SECTION_LABELS].toLowerCase()}`
      : 'under areas for development or priority action';
  return (
    <section className="panel trainers-panel" aria-labelledby="trainers-heading">
      <div className="panel-head">
        <div>
          <h2 id="trainers-heading" data-testid="trainers-count" data-value={rows.length}>
            {formatCount(rows.length)} {rows.length === 1 ? 'theme' : 'themes'} raised as weaknesses
            in {formatCount(total)} {total === 1 ? 'inspection' : 'inspections'}
          </h2>
          <p className="panel-description">
            Ranked by the share of inspections with at least one finding on the theme{' '}
            {sectionsInWords}.{' '}
            {pack.quotes === 0
              ? 'No quotes, as the pack asks.'
              : `Up to ${pack.quotes} ${pack.quotes === 1 ? 'quote' : 'quotes'} each: findings of ${QUOTE_MIN_CHARS} to ${QUOTE_MAX_CHARS} characters first, one council at a time, findings mainly about the theme first, then the shortest. Highlighted words are those that placed the finding under the theme.`}
          </p>
        </div>
        <div className="panel-tools">
          <button type="button" className="button" onClick={() => window.print()}>
            Print / save as PDF
          </button>
          <DownloadCsvButton
            fileName="common-weaknesses"
            title="Common weaknesses, with quotes"
            rows={toTrainerCsvRows(rows, pack.quotes)}
            columns={trainerCsvColumns(pack.quotes)}
          />
        </div>
      </div>
      <WeakThemesNote themes={rows} weak={weak} />
      <p className="trainers-pack" data-testid="trainers-pack">
        {builtFrom}
      </p>
      <p className="trainers-made" data-testid="trainers-made">
        Made on {formatDate(new Date().toISOString().slice(0, 10))}
        {dataVersionLine() ? ` from ${dataVersionLine().replace(/^Data: /, 'data ')}` : ''}. Each
        quote gives its source; the CSV gives a citation to paste for each.
      </p>
      <ol className="trainer-list">
        {rows.map((row) => (
          <li key={row.theme_id} className="trainer-theme" data-theme={row.theme_id}>
            <div className="trainer-theme-head">
              <h3>
                <span className="trainer-rank" data-testid="trainer-rank">
                  {row.rank}
                </span>{' '}
                <AppLink params={evidenceOf(row.theme_id)}>
                  <ThemeName label={row.label} themeId={row.theme_id} weak={weak} />
                </AppLink>
              </h3>
              <p className="trainer-figures">
                <span className="trainer-group">{row.group_label}</span>
                <span data-testid="trainer-share" data-value={row.share}>
                  Raised in {formatCount(row.letters_with_theme)} of{' '}
                  {formatCount(row.letters_total)} inspections ({formatPercent(row.share)})
                </span>
                <span data-testid="trainer-findings" data-value={row.weakness_findings}>
                  {formatCount(row.weakness_findings)}{' '}
                  {row.weakness_findings === 1 ? 'finding' : 'findings'} at{' '}
                  {formatCount(row.councils)} {row.councils === 1 ? 'council' : 'councils'}
                  {row.priority_findings > 0 &&
                    `, ${formatCount(row.priority_findings)} as priority action`}
                </span>
              </p>
              <div className="trainer-bar" aria-hidden="true">
                <span style={{ width: `${Math.round(row.share * 100)}%` }} />
              </div>
            </div>
            <ul className="trainer-quotes" aria-label={`Quotes on ${row.label}`}>
              {row.quotes.map((quote) => (
                <li key={quote.finding_id} data-finding={quote.finding_id}>
                  <TrainerQuoteBlock quote={quote} />
                </li>
              ))}
            </ul>
            <p className="trainer-more">
              <AppLink params={evidenceOf(row.theme_id)}>
                {row.weakness_findings === 1
                  ? 'This finding in Evidence'
                  : `All ${formatCount(row.weakness_findings)} weakness findings in Evidence`}
                <span className="visually-hidden"> on {row.label}</span>
              </AppLink>
            </p>
          </li>
        ))}
      </ol>
    </section>
  );
}

function TrainerQuoteBlock({ quote }: { quote: TrainerQuote }) {
  const params = useSearchParams();
  const segments = highlightSegments(quote.text, evidencePhrases([quote.evidence]));
  return (
    <figure className={`trainer-quote section-${quote.section}`}>
      <blockquote>
        {segments.map((s, i) =>
          s.marked ? <mark key={i}>{s.text}</mark> : <span key={i}>{s.text}</span>,
        )}
      </blockquote>
      <figcaption>
        <cite>{quoteSource(quote)}</cite>
        {quote.previously_identified && (
          <>
            {' · '}
            <strong>raised at the previous inspection</strong>
          </>
        )}{' '}
        <AppLink
          className="trainer-letter-link"
          params={viewParams('letter', params, {
            letter: quote.letter_id,
            finding: String(quote.position),
          })}
        >
          Read it in the letter
          <span className="visually-hidden"> from {quote.council_name}</span>
        </AppLink>
      </figcaption>
    </figure>
  );
}
