// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { useQuery } from '@tanstack/react-query';
import { createQueryClient } from '@/app/query-client';
import { EngineStatusBar } from '@/app/engine-status';
import { noRows, QueryState } from '@/lib/query-state';
import { OverviewView } from '@/features/overview/overview-view';
import { HeatmapView } from '@/features/heatmap/heatmap-view';
import { heatmapQueryOptions } from '@/features/heatmap/heatmap-queries';
import { EvidenceView } from '@/features/evidence/evidence-view';
import { EVIDENCE_LIMIT } from '@/features/evidence/evidence-sql';
import {
  evidenceChoicesQueryOptions,
  evidenceQueryOptions,
} from '@/features/evidence/evidence-queries';
import { cleanPageAfterEach, renderWith } from '../support/render-with-client';

cleanPageAfterEach();

describe('loading and error states', () => {
  it('shows each panel loading, then the engine failure in words with a Retry button', async () => {
    // jsdom has no Web Workers, so the real engine start fails: the error path a user would see.
    renderWith(
      createQueryClient(),
      <>
        <EngineStatusBar />
        <OverviewView />
      </>,
    );
    expect(screen.getByText(/Loading headline figures/)).toBeTruthy();
    expect(screen.getByText(/Loading themes raised as weaknesses/)).toBeTruthy();
    expect(
      await screen.findByText(/Could not load headline figures/, {}, { timeout: 20_000 }),
    ).toBeTruthy();
    await waitFor(() => expect(screen.getAllByRole('alert').length).toBeGreaterThanOrEqual(6));
    expect(screen.getByText(/The data could not be loaded/)).toBeTruthy();
    expect(screen.getAllByText(/could not start|Could not download/).length).toBeGreaterThan(0);
    expect(screen.getAllByRole('button', { name: 'Retry' }).length).toBeGreaterThan(0);
    expect(document.documentElement.dataset.duckdb).toBe('error');
  });

  it('Retry re-runs the failed query and then shows its data', async () => {
    let calls = 0;
    function Probe() {
      const query = useQuery({
        queryKey: ['probe'],
        queryFn: async () => {
          calls += 1;
          if (calls === 1)
            throw new Error('letters.parquet is not a readable Parquet file: bad magic');
          return ['row'];
        },
      });
      return (
        <QueryState query={query} label="probe rows" isEmpty={noRows}>
          {(rows) => <p>{rows.length} probe row</p>}
        </QueryState>
      );
    }
    renderWith(createQueryClient(), <Probe />);
    expect(await screen.findByText(/bad magic/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByText('1 probe row')).toBeTruthy();
    expect(calls).toBe(2);
  });
});

describe('empty states', () => {
  it('heatmap says that nothing matches rather than drawing an empty grid', () => {
    window.history.replaceState(null, '', '/?view=heatmap&region=Nowhere');
    const client = createQueryClient();
    client.setQueryData(heatmapQueryOptions({ region: 'Nowhere' }).queryKey, []);
    renderWith(client, <HeatmapView />);
    expect(screen.getByRole('status').textContent).toMatch(
      /No councils and themes match the current filters/,
    );
    expect(screen.queryByRole('table')).toBeNull();
  });

  it('evidence explains how to widen an empty selection', () => {
    window.history.replaceState(null, '', '/?view=evidence&theme=out_of_hours&council=Nowhere');
    const client = createQueryClient();
    client.setQueryData(evidenceChoicesQueryOptions().queryKey, []);
    client.setQueryData(
      evidenceQueryOptions({
        filters: {},
        theme: 'out_of_hours',
        council: 'Nowhere',
        letter: undefined,
        limit: EVIDENCE_LIMIT,
      }).queryKey,
      [],
    );
    renderWith(client, <EvidenceView />);
    expect(screen.getByText(/No findings match this selection/)).toBeTruthy();
    expect((screen.getByLabelText('Council') as HTMLSelectElement).value).toBe('Nowhere');
  });
});
