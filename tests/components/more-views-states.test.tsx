// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import { createQueryClient } from '@/app/query-client';
import { CompareView } from '@/features/compare/compare-view';
import {
  compareQueryOptions,
  councilChoicesQueryOptions,
} from '@/features/compare/compare-queries';
import { RecurrenceView } from '@/features/recurrence/recurrence-view';
import {
  previouslyIdentifiedQueryOptions,
  recurrenceQueryOptions,
} from '@/features/recurrence/recurrence-queries';
import { CoOccurrenceView } from '@/features/co-occurrence/co-occurrence-view';
import { coOccurrenceQueryOptions } from '@/features/co-occurrence/co-occurrence-queries';
import type { CouncilChoiceRow } from '@/features/compare/compare-sql';
import { cleanPageAfterEach, renderWith } from '../support/render-with-client';

cleanPageAfterEach();

const CHOICES: CouncilChoiceRow[] = [
  {
    dfe_la_code: 815,
    council_name: 'North Yorkshire',
    region: 'Yorkshire',
    la_type: 'County',
    letters: 1,
  },
  { dfe_la_code: 340, council_name: "King's Lynn", region: 'East', la_type: 'County', letters: 0 },
];

describe('compare, recurrence and co-occurrence: loading and error', () => {
  it('show each part loading, then the engine failure in words with a Retry button', async () => {
    window.history.replaceState(null, '', '/?view=compare&councils=815');
    // jsdom has no Web Workers, so the real engine start fails: the error path a user would see.
    renderWith(
      createQueryClient(),
      <>
        <CompareView />
        <RecurrenceView />
        <CoOccurrenceView />
      </>,
    );
    expect(screen.getByText(/Loading the list of councils/)).toBeTruthy();
    expect(screen.getByText(/Loading the comparison/)).toBeTruthy();
    expect(screen.getByText(/Loading themes raised again/)).toBeTruthy();
    expect(screen.getByText(/Loading findings marked as raised before/)).toBeTruthy();
    expect(screen.getByText(/Loading themes raised together/)).toBeTruthy();
    expect(
      await screen.findByText(/Could not load the comparison/, {}, { timeout: 20_000 }),
    ).toBeTruthy();
    await waitFor(() => expect(screen.getAllByRole('alert')).toHaveLength(5));
    expect(screen.getByText(/Could not load themes raised again/)).toBeTruthy();
    expect(screen.getByText(/Could not load themes raised together/)).toBeTruthy();
    expect(screen.getAllByRole('button', { name: 'Retry' })).toHaveLength(5);
  });
});

describe('compare, recurrence and co-occurrence: empty states', () => {
  it('compare asks for councils when none is chosen, and offers those with letters', () => {
    window.history.replaceState(null, '', '/?view=compare');
    const client = createQueryClient();
    client.setQueryData(councilChoicesQueryOptions({}).queryKey, CHOICES);
    client.setQueryData(compareQueryOptions({ filters: {}, councils: [] }).queryKey, {
      groups: [],
      shares: [],
    });
    renderWith(client, <CompareView />);
    expect(screen.getByText(/Choose up to five councils above/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Compare North Yorkshire' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: "Compare King's Lynn" })).toBeNull();
    expect(screen.getByRole('combobox', { name: 'Add a council' })).toBeTruthy();
  });

  it('compare says when a link names no known council', () => {
    window.history.replaceState(null, '', "/?view=compare&councils=999,1');DROP");
    const client = createQueryClient();
    client.setQueryData(councilChoicesQueryOptions({}).queryKey, CHOICES);
    client.setQueryData(compareQueryOptions({ filters: {}, councils: [999] }).queryKey, {
      groups: [],
      shares: [],
    });
    renderWith(client, <CompareView />);
    expect(screen.getByText(/None of the council numbers in this link \(999\)/)).toBeTruthy();
    expect(screen.queryByRole('table')).toBeNull();
  });

  it('recurrence says plainly that there are no repeat inspections yet', () => {
    window.history.replaceState(null, '', '/?view=recurrence');
    const client = createQueryClient();
    client.setQueryData(recurrenceQueryOptions({}).queryKey, {
      summary: { inspections: 5, councils: 5, councils_with_repeat: 0, pairs: 0 },
      themes: [],
      instances: [],
    });
    client.setQueryData(previouslyIdentifiedQueryOptions({}).queryKey, {
      themes: [],
      findings: [],
    });
    renderWith(client, <RecurrenceView />);
    const empty = screen.getByTestId('recurrence-empty');
    expect(empty.textContent).toMatch(/No repeat inspections yet/);
    expect(empty.textContent).toMatch(/5 letters held come from 5 councils, one inspection each/);
    expect(
      screen.getByText(/No finding under the current filters says it was raised/),
    ).toBeTruthy();
  });

  it('co-occurrence says there is nothing to pair rather than drawing an empty grid', () => {
    window.history.replaceState(null, '', '/?view=co-occurrence');
    const client = createQueryClient();
    client.setQueryData(coOccurrenceQueryOptions({}).queryKey, []);
    renderWith(client, <CoOccurrenceView />);
    expect(screen.getByRole('status').textContent).toMatch(/nothing to pair/);
    expect(screen.queryByRole('table')).toBeNull();
  });
});
