import { describe, expect, it } from 'vitest';
import {
  PRERENDER_GATE_SCRIPT,
  PRERENDER_LOADER_SCRIPT,
  PRERENDER_OFF,
  prerenderFits,
} from '@/app/prerender-gate';
import { CORRECTIONS_STORAGE_KEY } from '@/app/corrections/storage-key';
import { SAVED_THEMES_STORAGE_KEY } from '@/app/saved-themes/storage-key';
import { CONTENT_SECURITY_POLICY, scriptHash } from '../../vite.config';

/**
 * Runs the inline gate as the page would, with this query string, stored corrections and saved
 * themes.
 */
function gateSays(
  search: string,
  stored: string | null | 'refused',
  themes: string | null = null,
): boolean {
  const attributes = new Map<string, string>();
  const document = {
    documentElement: { setAttribute: (name: string, value: string) => attributes.set(name, value) },
  };
  const localStorage = {
    getItem: (key: string) => {
      if (stored === 'refused') throw new Error('SecurityError');
      if (key === SAVED_THEMES_STORAGE_KEY) return themes;
      return key === CORRECTIONS_STORAGE_KEY ? stored : null;
    },
  };
  new Function('document', 'location', 'localStorage', PRERENDER_GATE_SCRIPT)(
    document,
    { search },
    localStorage,
  );
  return attributes.get(PRERENDER_OFF) !== 'off';
}

const SEARCHES = [
  '',
  '?view=overview',
  '?view=heatmap',
  '?region=London',
  '?view=overview&region=London',
  '?tags=sure',
  '?view=overview&tags=sure',
  '?view=letter&letter=x',
  '?view=',
  '?',
];
const STORED = [null, '', '[]', '[{"id":"a","finding_key":"k"}]', 'not json'];
const THEMES = [null, '', '[{"name":"Drift","query":"drift"}]'];

describe('the prerender gate', () => {
  it('fits only the unfiltered overview with no corrections kept in this browser', () => {
    expect(prerenderFits('', null)).toBe(true);
    expect(prerenderFits('?view=overview', '[]')).toBe(true);
    expect(prerenderFits('?view=heatmap', null)).toBe(false);
    expect(prerenderFits('?region=London', null)).toBe(false);
    expect(prerenderFits('?view=overview&tags=sure', null)).toBe(false);
    expect(prerenderFits('', '[{"id":"a","finding_key":"k"}]')).toBe(false);
    expect(prerenderFits('', null, '[{"name":"Drift","query":"drift"}]')).toBe(false);
  });

  it('decides in the inline script exactly as the page’s code does', () => {
    for (const search of SEARCHES)
      for (const stored of STORED)
        for (const themes of THEMES)
          expect([search, stored, themes, gateSays(search, stored, themes)]).toEqual([
            search,
            stored,
            themes,
            prerenderFits(search, stored, themes),
          ]);
    // Storage refused (some private modes): read as nothing stored, as the page's code does.
    expect(gateSays('', 'refused')).toBe(true);
    expect(gateSays('?view=heatmap', 'refused')).toBe(false);
  });

  it('and the loader are the only inline scripts the Content-Security-Policy allows, by hash', () => {
    const scriptSources = /script-src ([^;]+)/.exec(CONTENT_SECURITY_POLICY)?.[1]?.split(' ');
    expect(scriptSources).toEqual([
      "'self'",
      "'wasm-unsafe-eval'",
      scriptHash(PRERENDER_GATE_SCRIPT),
      scriptHash(PRERENDER_LOADER_SCRIPT),
    ]);
    expect(/script-src[^;]*'unsafe-inline'/.test(CONTENT_SECURITY_POLICY)).toBe(false);
  });
});
