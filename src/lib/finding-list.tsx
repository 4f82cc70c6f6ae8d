import type { ReactNode } from 'react';
import type { Section } from '@/core/schema';
import { AddedBadge } from '@/lib/added-badge';
import { SECTION_LABELS } from '@/lib/filters';
import { formatDate } from '@/lib/format';

/** What {@link FindingList} shows of a finding; each optional field shows only where a row has it. */
export interface FindingListRow {
  finding_id: string;
  council_name: string;
  inspection_start: string;
  section: Section;
  text: string;
  letter_date?: string | null;
  /** The letter was added in this browser session rather than bundled. */
  added?: boolean;
  previously_identified?: boolean;
}

/** Props of {@link FindingList}. */
export interface FindingListProps<Row extends FindingListRow> {
  rows: readonly Row[];
  /** The quoted finding; its plain text by default (the evidence view marks the matched words). */
  quote?: (row: Row) => ReactNode;
  /** What follows the quote: the finding's themes and links. */
  footer: (row: Row) => ReactNode;
  /** The council's name as shown, e.g. a link to its profile; the plain name by default. */
  council?: (row: Row) => ReactNode;
}

/** Findings quoted one under another, each with its council, dates and section. */
export function FindingList<Row extends FindingListRow>({
  rows,
  quote,
  footer,
  council,
}: FindingListProps<Row>) {
  return (
    <ol className="evidence-list">
      {rows.map((row) => (
        <li
          key={row.finding_id}
          className={`evidence-item section-${row.section}`}
          data-finding={row.finding_id}
        >
          <p className="evidence-meta">
            <strong>{council ? council(row) : row.council_name}</strong>
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
          <blockquote className="evidence-text">{quote ? quote(row) : row.text}</blockquote>
          {footer(row)}
        </li>
      ))}
    </ol>
  );
}
