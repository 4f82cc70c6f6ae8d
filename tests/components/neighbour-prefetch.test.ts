import { describe, expect, it } from 'vitest';
import { neighbourSearches } from '@/app/neighbour-prefetch';
import { FILTER_PARAMS, type FilterKey } from '@/lib/filters';

const CHOICES: Record<string, readonly string[]> = {
  year: ['2009-10', '2010-11', '2011-12'],
  region: ['East Midlands', 'London', 'North West'],
  laType: ['County', 'Unitary authority'],
  kind: ['ofsted_letter'],
  section: ['strength', 'development'],
};
const choices = (key: string) => CHOICES[key] ?? [];
const ALL_KEYS: readonly FilterKey[] = FILTER_PARAMS.map((f) => f.key);

/** The neighbours as query strings, for reading. */
function neighbours(search: string, keys: readonly FilterKey[] = ALL_KEYS): string[] {
  return neighbourSearches(new URLSearchParams(search), keys, choices).map((p) => p.toString());
}

describe('the filter states one change away, nearest first', () => {
  it('gives every other choice of every filter the view uses, each once, and nothing else', () => {
    const found = neighbours('view=overview&region=London');
    // year: 3 choices; region: All and 2 others; la_type 2; kind 1; section 2.
    expect(found).toHaveLength(3 + 3 + 2 + 1 + 2);
    expect(new Set(found).size).toBe(found.length);
    expect(found).not.toContain('view=overview&region=London');
    for (const search of found) {
      const params = new URLSearchParams(search);
      expect(params.get('view')).toBe('overview');
      // One filter changed: the others as they were.
      const changed = ['year', 'region', 'la_type', 'kind', 'section'].filter(
        (p) => (params.get(p) ?? '') !== (p === 'region' ? 'London' : ''),
      );
      expect(changed).toHaveLength(1);
    }
    expect(found.some((s) => !s.includes('source=') && !s.includes('tags='))).toBe(true);
    expect(found.every((s) => !s.includes('source=') && !s.includes('tags='))).toBe(true);
  });

  it('puts first the choices next to the present one, in the filter bar’s order', () => {
    const found = neighbours('view=overview&region=London');
    expect(found.slice(0, 6)).toEqual([
      'view=overview&region=London&year=2009-10',
      'view=overview&region=North+West',
      'view=overview&region=East+Midlands',
      'view=overview&region=London&la_type=County',
      'view=overview&region=London&kind=ofsted_letter',
      'view=overview&region=London&section=strength',
    ]);
    // From the last region the next is none, the one before is the only near one.
    expect(neighbours('view=overview&region=North+West', ['region'])[0]).toBe(
      'view=overview&region=London',
    );
  });

  it('leaves alone the filters the view does not use', () => {
    const found = neighbours('view=trainers&year=2010-11', ['year', 'region']);
    expect(found.every((s) => !/la_type|kind|section/.test(s))).toBe(true);
    expect(found).toContain('view=trainers');
    expect(found).toContain('view=trainers&year=2010-11&region=London');
  });

  it('treats a value not among the choices as far from all of them', () => {
    const found = neighbours('view=overview&year=2008-09', ['year']);
    expect(found).toEqual([
      'view=overview',
      'view=overview&year=2009-10',
      'view=overview&year=2010-11',
      'view=overview&year=2011-12',
    ]);
  });
});
