// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { fireEvent, screen } from '@testing-library/react';
import { createQueryClient } from '@/app/query-client';
import { EvidenceView } from '@/features/evidence/evidence-view';
import { EVIDENCE_LIMIT, type EvidenceRow } from '@/features/evidence/evidence-sql';
import {
  evidenceChoicesQueryOptions,
  evidenceQueryOptions,
} from '@/features/evidence/evidence-queries';
import {
  PreviouslyIdentifiedSection,
  RecurrenceSection,
} from '@/features/recurrence/recurrence-view';
import type {
  PreviouslyIdentifiedFindingRow,
  RecurrenceInstanceRow,
} from '@/features/recurrence/recurrence-sql';
import { cleanPageAfterEach, renderWith } from '../support/render-with-client';

// Lists that can hold tens of thousands of rows at a million findings show their first page and
// say how many there are; these tests give the views such answers directly (jsdom has no engine).

cleanPageAfterEach();

function evidenceRows(count: number, total: number): EvidenceRow[] {
  return Array.from({ length: count }, (_, i) => ({
    finding_id: `f-${i}`,
    letter_id: `l-${i % 7}`,
    council_name: `Council ${i % 7}`,
    region: 'London',
    reporting_year: '2010-11',
    letter_date: null,
    inspection_start: '2010-06-01',
    document_kind: 'ofsted_letter',
    section: 'development',
    position: i + 1,
    text: `Finding number ${i + 1} about assessments.`,
    previously_identified: false,
    themes: [],
    total_matches: total,
    added: false,
    source_file: `letter-${i % 7}.pdf`,
    page: 1,
    section_position: i + 1,
    finding_key: `l-${i % 7}:${String(i).padStart(16, '0')}`,
  }));
}

describe('evidence lists a page at a time', () => {
  it('says how many match, shows the first page, and "Show more" adds the next', () => {
    window.history.replaceState(null, '', '/?view=evidence');
    const client = createQueryClient();
    client.setQueryData(evidenceChoicesQueryOptions().queryKey, []);
    const base = { filters: {}, theme: undefined, council: undefined, letter: undefined };
    const total = EVIDENCE_LIMIT * 2 + 17;
    client.setQueryData(
      evidenceQueryOptions({ ...base, limit: EVIDENCE_LIMIT }).queryKey,
      evidenceRows(EVIDENCE_LIMIT, total),
    );
    client.setQueryData(
      evidenceQueryOptions({ ...base, limit: EVIDENCE_LIMIT * 2 }).queryKey,
      evidenceRows(EVIDENCE_LIMIT * 2, total),
    );
    const { container } = renderWith(client, <EvidenceView />);
    const heading = screen.getByTestId('evidence-count');
    expect(heading.getAttribute('data-value')).toBe(String(total));
    expect(heading.textContent).toContain(`first ${EVIDENCE_LIMIT} shown`);
    expect(container.querySelectorAll('.evidence-item')).toHaveLength(EVIDENCE_LIMIT);

    fireEvent.click(screen.getByRole('button', { name: `Show ${EVIDENCE_LIMIT} more` }));
    expect(container.querySelectorAll('.evidence-item')).toHaveLength(EVIDENCE_LIMIT * 2);
    // The last page holds what is left.
    expect(screen.getByRole('button', { name: 'Show 17 more' })).toBeTruthy();
  });

  it('offers no "Show more" when every match is listed', () => {
    window.history.replaceState(null, '', '/?view=evidence');
    const client = createQueryClient();
    client.setQueryData(evidenceChoicesQueryOptions().queryKey, []);
    client.setQueryData(
      evidenceQueryOptions({
        filters: {},
        theme: undefined,
        council: undefined,
        letter: undefined,
        limit: EVIDENCE_LIMIT,
      }).queryKey,
      evidenceRows(3, 3),
    );
    renderWith(client, <EvidenceView />);
    expect(screen.queryByRole('button', { name: /more/ })).toBeNull();
  });
});

describe('recurrence lists the first ones and counts them all', () => {
  it('names the total of recurrences and of findings marked as raised before, and offers them all as CSV', () => {
    const instances: RecurrenceInstanceRow[] = [1, 2].map((i) => ({
      council_name: `Council ${i}`,
      theme_id: 'supervision',
      label: 'Supervision and staff support',
      earlier_letter_id: `a-${i}`,
      earlier_start: '2009-06-01',
      later_letter_id: `b-${i}`,
      later_start: '2010-06-01',
      later_number: 2,
      total_instances: 4321,
    }));
    const findings: PreviouslyIdentifiedFindingRow[] = [1, 2, 3].map((i) => ({
      finding_id: `f-${i}`,
      letter_id: `b-${i}`,
      council_name: `Council ${i}`,
      inspection_start: '2010-06-01',
      reporting_year: '2010-11',
      section: 'development',
      position: i,
      text: `Supervision was raised at the previous inspection (${i}).`,
      themes: [{ theme_id: 'supervision', label: 'Supervision and staff support' }],
      total_findings: 987,
      total_letters: 600,
      document_kind: 'ofsted_letter',
      letter_date: null,
      source_file: `b-${i}.pdf`,
      page: null,
      section_position: i,
      added: false,
    }));
    const letterIds = Array.from({ length: 12 }, (_, i) => `b-${i}`);
    renderWith(
      createQueryClient(),
      <>
        <RecurrenceSection
          filters={{}}
          yearFiltered={false}
          data={{
            summary: { inspections: 10, councils: 5, councils_with_repeat: 2, pairs: 5 },
            themes: [],
            instances,
          }}
        />
        <PreviouslyIdentifiedSection
          filters={{}}
          data={{
            themes: [
              {
                theme_id: 'supervision',
                label: 'Supervision and staff support',
                group_label: 'Management',
                findings: 987,
                weakness_findings: 900,
                other_findings: 87,
                letters: 40,
                letter_ids: letterIds,
                council_names: letterIds.map((id) => `Council ${id}`),
              },
            ],
            findings,
          }}
        />
      </>,
    );
    const recurrences = screen.getByTestId('recurrence-instances-count');
    expect(recurrences.getAttribute('data-value')).toBe('4321');
    expect(recurrences.textContent).toContain('4,321 recurrences');
    expect(screen.getByText(/the first 2 of 4,321 are listed/)).toBeTruthy();

    const marked = screen.getByTestId('previously-identified-count');
    expect(marked.getAttribute('data-value')).toBe('987');
    expect(screen.getByText(/the first 3 of 987 are listed/)).toBeTruthy();
    expect(screen.getByText(/987 findings in 600 letters/)).toBeTruthy();
    expect(screen.getAllByRole('button', { name: 'Download all as CSV' })).toHaveLength(2);
  });
});
