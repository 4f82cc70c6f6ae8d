import { useEffect, type ReactNode } from 'react';
import { hrefFor, navigate, useSearchParams, withParams } from '@/app/url-state';
import { AddedBadge } from '@/lib/added-badge';
import { SECTION_LABELS } from '@/lib/filters';
import { formatDate } from '@/lib/format';
import { ParseWarnings } from '@/lib/parse-warnings';
import { noRows, QueryState } from '@/lib/query-state';
import type { LetterDetailRow, LetterSpanRow } from './letter-sql';
import { useLetter, useLetterList } from './letter-queries';

/** The letter view: pick a letter, then read it with every finding marked and labelled. */
export function LetterView() {
  const params = useSearchParams();
  const letterId = params.get('letter') ?? undefined;
  const focus = params.get('finding') ?? undefined;
  const list = useLetterList();
  const letter = useLetter(letterId);
  return (
    <div className="view letter">
      <QueryState query={list} label="letters" isEmpty={noRows}>
        {(rows) => (
          <div className="pickers">
            <div className="filter">
              <label htmlFor="letter-pick">Letter</label>
              <select
                id="letter-pick"
                value={letterId ?? ''}
                onChange={(e) =>
                  navigate(
                    hrefFor(withParams(params, { letter: e.target.value, finding: undefined })),
                  )
                }
              >
                <option value="">Choose a letter…</option>
                {rows.map((r) => (
                  <option key={r.letter_id} value={r.letter_id}>
                    {r.council_name}, inspected {formatDate(r.inspection_start)} ({r.finding_count}{' '}
                    findings){r.added && ' – added by you'}
                    {r.warning_count > 0 &&
                      ` – ${r.warning_count} ${r.warning_count === 1 ? 'warning' : 'warnings'}`}
                  </option>
                ))}
              </select>
            </div>
          </div>
        )}
      </QueryState>
      {letterId ? (
        <QueryState
          query={letter}
          label="the letter"
          isEmpty={(d) => d.letter === null}
          empty={<p>No letter has the id “{letterId}”.</p>}
        >
          {(data) => <LetterText letter={data.letter!} spans={data.spans} focus={focus} />}
        </QueryState>
      ) : (
        <p className="state state-empty">Choose a letter to read it with its findings marked.</p>
      )}
    </div>
  );
}

/** A letter's whole text with each finding's span marked and labelled by section and themes. */
export function LetterText({
  letter,
  spans,
  focus,
}: {
  letter: LetterDetailRow;
  spans: readonly LetterSpanRow[];
  focus?: string;
}) {
  useEffect(() => {
    if (!focus) return;
    const target = document.getElementById(`finding-${focus}`);
    target?.scrollIntoView({ block: 'center' });
    target?.focus({ preventScroll: true });
  }, [focus, letter.letter_id]);

  const text = letter.source_text;
  const parts: ReactNode[] = [];
  let cursor = 0;
  for (const span of spans) {
    // Spans come from the pipeline; a bad or overlapping one is shown unmarked rather than twice.
    if (span.char_start < cursor || span.char_end <= span.char_start || span.char_end > text.length)
      continue;
    if (span.char_start > cursor) parts.push(text.slice(cursor, span.char_start));
    const label = `${SECTION_LABELS[span.section]}${span.theme_labels.length ? ': ' + span.theme_labels.join(', ') : ''}${span.previously_identified ? ' (raised at the previous inspection)' : ''}`;
    parts.push(
      <mark
        key={span.finding_id}
        id={`finding-${span.finding_id}`}
        tabIndex={-1}
        className={`letter-span section-${span.section}${span.finding_id === focus ? ' focused' : ''}`}
        data-finding={span.finding_id}
      >
        <span className="span-label">
          {span.position}. {label}
        </span>
        {text.slice(span.char_start, span.char_end)}
      </mark>,
    );
    cursor = span.char_end;
  }
  parts.push(text.slice(cursor));
  return (
    <article className="panel letter-article" aria-labelledby="letter-heading">
      <h2 id="letter-heading">
        {letter.council_name}, inspected {formatDate(letter.inspection_start)}
        {letter.inspection_end !== letter.inspection_start &&
          ` to ${formatDate(letter.inspection_end)}`}
        {letter.added && <AddedBadge />}
      </h2>
      <dl className="letter-meta">
        <div>
          <dt>Document</dt>
          <dd>
            {letter.document_kind === 'council_report' ? "Council's own report" : 'Ofsted letter'}
          </dd>
        </div>
        <div>
          <dt>Letter date</dt>
          <dd>{formatDate(letter.letter_date)}</dd>
        </div>
        <div>
          <dt>Reporting year</dt>
          <dd>{letter.reporting_year}</dd>
        </div>
        <div>
          <dt>Region</dt>
          <dd>{letter.region ?? 'not recognised'}</dd>
        </div>
        <div>
          <dt>Inspector</dt>
          <dd>{letter.inspector ?? '–'}</dd>
        </div>
        <div>
          <dt>Findings</dt>
          <dd data-testid="letter-findings">{spans.length}</dd>
        </div>
      </dl>
      <ParseWarnings
        warnings={letter.warnings}
        title={`Read with care: the reader flagged ${letter.warnings.length === 1 ? 'a problem' : `${letter.warnings.length} problems`} in ${letter.source_file}, so findings or dates may be missing or wrong`}
      />
      <div className="letter-text">{parts}</div>
    </article>
  );
}
