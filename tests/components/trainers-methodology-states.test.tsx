// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import { createQueryClient } from '@/app/query-client';
import { TrainersView } from '@/features/trainers/trainers-view';
import {
  themeGroupsQueryOptions,
  trainerWeaknessesQueryOptions,
} from '@/features/trainers/trainers-queries';
import { MethodologyView } from '@/features/methodology/methodology-view';
import {
  accuracyQueryOptions,
  caveatsQueryOptions,
  taxonomyQueryOptions,
} from '@/features/methodology/methodology-queries';
import type { CaveatsRow } from '@/features/methodology/methodology-sql';
import { cleanPageAfterEach, renderWith } from '../support/render-with-client';

cleanPageAfterEach();

describe('trainers view', () => {
  it('says that no weakness matches, keeps the group filter, and offers no print or export', () => {
    window.history.replaceState(null, '', '/?view=trainers&year=2011-12&group=Workforce');
    const client = createQueryClient();
    client.setQueryData(themeGroupsQueryOptions().queryKey, [
      { group_label: 'Workforce', themes: 4 },
      { group_label: 'Assessment', themes: 6 },
    ]);
    client.setQueryData(
      trainerWeaknessesQueryOptions({ filters: { year: '2011-12' }, group: 'Workforce' }).queryKey,
      [],
    );
    renderWith(client, <TrainersView />);
    expect(screen.getByRole('status').textContent).toMatch(
      /No weaknesses were raised in the inspections that match these filters under Workforce/,
    );
    expect((screen.getByLabelText('Theme group') as HTMLSelectElement).value).toBe('Workforce');
    expect(screen.getByTestId('trainers-filters').textContent).toBe(
      'Covers reporting year 2011-12, theme group Workforce.',
    );
    expect(screen.queryByRole('list')).toBeNull();
    expect(screen.queryByRole('button', { name: /Print/ })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Download CSV' })).toBeNull();
  });
});

describe('methodology view', () => {
  it('says plainly when this build has no accuracy figures, and shows the computed caveats', () => {
    window.history.replaceState(null, '', '/?view=methodology');
    const caveats: CaveatsRow = {
      letters: 5,
      findings: 97,
      theme_tags: 169,
      councils_total: 152,
      councils_covered: 5,
      letters_unmatched: 0,
      council_reports: 1,
      years: [
        { reporting_year: '2009-10', letters: 2 },
        { reporting_year: '2010-11', letters: 3 },
      ],
      missing_years: ['2011-12'],
      first_inspection: '2009-06-30',
      last_inspection: '2011-03-30',
      councils_short_neighbours: 9,
      synthetic_letters: 0,
      findings_default_theme: 0,
      previously_identified: 5,
    };
    const client = createQueryClient();
    client.setQueryData(accuracyQueryOptions().queryKey, null);
    client.setQueryData(caveatsQueryOptions().queryKey, caveats);
    client.setQueryData(taxonomyQueryOptions().queryKey, []);
    renderWith(client, <MethodologyView />);
    expect(screen.getByTestId('accuracy-missing').textContent).toMatch(
      /^Not measured in this build\./,
    );
    const councils = screen.getByTestId('caveat-councils');
    expect(councils.textContent).toMatch(/5 of the 152 councils have a letter here \(3%\)/);
    expect(councils.textContent).toMatch(/The other 147 were inspected too/);
    expect(councils.textContent).toMatch(/1 is a council’s own report/);
    expect(screen.getByTestId('caveat-years').textContent).toMatch(
      /2 of the 3 reporting years of the programme \(2009-10 to 2011-12\) have letters: 2009-10 \(2\), 2010-11 \(3\)\. None is held from 2011-12\./,
    );
    expect(screen.getByTestId('caveat-neighbours').textContent).toMatch(/April 2021 model/);
    expect(screen.getByTestId('caveat-synthetic').textContent).toMatch(
      /None of the letters here is synthetic/,
    );
    const tagging = screen.getByTestId('caveat-tagging');
    expect(tagging.textContent).toMatch(/97 findings 169 theme tags/);
    expect(within(tagging).getByRole('link', { name: 'evidence' })).toBeTruthy();
    expect(screen.getByText(/holds no themes/)).toBeTruthy();
  });
});
