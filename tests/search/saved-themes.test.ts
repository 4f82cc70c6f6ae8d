import { describe, expect, it } from 'vitest';
import { defaultTaxonomy } from '@/core/pipeline/taxonomy';
import { buildSearchIndex } from '@/core/search/index';
import {
  decodeSavedThemes,
  encodeSavedThemes,
  isUserThemeId,
  MAX_SAVED_THEMES,
  parseSavedThemes,
  parseSavedThemesText,
  savedThemesFile,
  SavedThemesError,
  userThemeIds,
  userThemeRows,
  type SavedTheme,
} from '@/core/search/saved-themes';
import {
  compileUserThemes,
  matchedEvidence,
  matchUserThemes,
  tagWithUserThemes,
} from '@/core/search/user-theme-tags';
import type { FindingThemeRow } from '@/core/schema';
import { useIngestedLetters } from './support';

const data = useIngestedLetters();

const reserved = {
  ids: defaultTaxonomy.themes.map((t) => t.id),
  labels: defaultTaxonomy.themes.map((t) => t.label),
};

/** Hostile text: quotes, SQL, HTML, the URL list's own separators, escapes and emoji. */
const HOSTILE: SavedTheme = {
  name: `Robert'); DROP TABLE themes;-- <img src=x onerror=alert(1)> 50%|a:b "q" 🙂`,
  query: `("domestic violence" OR police) -"<script>" 'x';-- 100%`,
};

/** The reason a value is refused for, or null when it is read. */
function reasonFor(value: unknown): string | null {
  try {
    parseSavedThemes(value, reserved, 'mine.json');
    return null;
  } catch (error) {
    expect(error).toBeInstanceOf(SavedThemesError);
    return (error as Error).message;
  }
}

describe('the saved-themes file', () => {
  it('reads a good file, names and searches trimmed, and writes the same back', () => {
    const themes = parseSavedThemes(
      {
        version: 1,
        themes: [
          { name: '  Thresholds ', query: ' threshold* ' },
          { name: 'DV notifications', query: '"domestic violence" notification*' },
          HOSTILE,
        ],
      },
      reserved,
    );
    expect(themes).toEqual([
      { name: 'Thresholds', query: 'threshold*' },
      { name: 'DV notifications', query: '"domestic violence" notification*' },
      HOSTILE,
    ]);
    expect(savedThemesFile(themes)).toEqual({ version: 1, themes });
    const text = JSON.stringify(savedThemesFile(themes));
    expect(parseSavedThemesText(`\uFEFF${text}`, reserved)).toEqual(themes);
  });

  it('refuses a file that is not one, saying why, whole', () => {
    const cases: Array<[unknown, RegExp]> = [
      [[], /not a JSON object/],
      [null, /not a JSON object/],
      [{ themes: [] }, /says no "version"/],
      [{ version: 2, themes: [] }, /"version" is 2; this page reads version 1/],
      [{ version: 1 }, /"themes" is not a list/],
      [
        { version: 1, themes: [], format: 'ucra-corrections' },
        /fields a saved-themes file has not \(format\)/,
      ],
      [{ version: 1, themes: ['x'] }, /theme 1 is not an object/],
      [{ version: 1, themes: [{ name: 'A' }] }, /theme 1 has no "query" text/],
      [
        { version: 1, themes: [{ name: 'A', query: 'a', colour: 'red' }] },
        /theme 1 has fields .*colour/,
      ],
      [
        { version: 1, themes: [{ name: ' ', query: 'late' }] },
        /Theme 1: A saved theme needs a name/,
      ],
      [{ version: 1, themes: [{ name: 'x'.repeat(81), query: 'late' }] }, /longer than 80/],
      [
        { version: 1, themes: [{ name: 'a\nb', query: 'late' }] },
        /line break or a control character/,
      ],
      [
        { version: 1, themes: [{ name: 'Late', query: '"late' }] },
        /Theme 1 \("Late"\): The search "\\?"late" cannot be read: The quote opened before "late" is never closed/,
      ],
      [{ version: 1, themes: [{ name: 'Late', query: '' }] }, /needs a search/],
      [
        {
          version: 1,
          themes: [
            { name: 'A', query: 'late' },
            { name: ' a ', query: 'delay' },
          ],
        },
        /Theme 2: There is already a saved theme named "a"/,
      ],
      [
        {
          version: 1,
          themes: Array.from({ length: MAX_SAVED_THEMES + 1 }, (_, i) => ({
            name: `t${i}`,
            query: 'late',
          })),
        },
        /at most 50 can be saved/,
      ],
    ];
    for (const [value, reason] of cases) expect(reasonFor(value)).toMatch(reason);
    expect(reasonFor({ version: 1, themes: [] })).toBeNull();
    expect(() => parseSavedThemesText('{"version":1,', reserved, 'cut.json')).toThrow(
      /cut\.json is not a saved-themes file that can be used: it is not JSON/,
    );
  });

  it('refuses a name that is a taxonomy theme’s id or label, case aside', () => {
    const theme = defaultTaxonomy.themes[0]!;
    for (const name of [
      theme.label,
      theme.label.toUpperCase(),
      ` ${theme.id} `,
      theme.id.toUpperCase(),
    ])
      expect(reasonFor({ version: 1, themes: [{ name, query: 'late' }] })).toMatch(
        /is (taken by|the id of) the taxonomy's theme/,
      );
    expect(
      reasonFor({ version: 1, themes: [{ name: `${theme.label}s`, query: 'late' }] }),
    ).toBeNull();
  });
});

describe('saved themes in the URL', () => {
  it('go there and back whatever their text holds', () => {
    const themes: SavedTheme[] = [
      { name: 'Thresholds', query: 'threshold*' },
      HOSTILE,
      { name: 'a:b|c%25', query: '"x:y" OR z|w' },
    ];
    const value = encodeSavedThemes(themes);
    expect(value.split('|')).toHaveLength(3);
    // Through a real query string, as the page's address carries it.
    const params = new URLSearchParams({ mine: value });
    const back = decodeSavedThemes(new URLSearchParams(params.toString()).get('mine')!);
    expect(back).toEqual({ themes, problems: [] });
  });

  it('leave out what cannot be read, saying why, and keep the rest', () => {
    const { themes, problems } = decodeSavedThemes(
      'Good:late|no query|Bad:%zz|Late:"late|good:delay',
    );
    expect(themes).toEqual([{ name: 'Good', query: 'late' }]);
    expect(problems).toEqual([
      'Saved theme 2 in the link has no search after its name.',
      'Saved theme 3 in the link cannot be read (a "%" not followed by two hex digits).',
      expect.stringMatching(/^Saved theme 4 in the link: The search "\\?"late" cannot be read/),
      'Saved theme 5 in the link: There is already a saved theme named "good".',
    ]);
    expect(decodeSavedThemes('')).toEqual({ themes: [], problems: [] });
  });
});

describe('saved themes as theme rows', () => {
  it('get ids of their own, the same every time, never a taxonomy theme’s', () => {
    const themes: SavedTheme[] = [
      { name: 'Domestic violence', query: 'domestic' },
      { name: 'Domestic-violence!', query: 'violence' },
      { name: '🙂', query: 'late' },
      { name: 'Child voice', query: 'voice' },
    ];
    const taken = new Set(['user_child_voice', ...reserved.ids]);
    const ids = userThemeIds(themes, taken);
    expect(ids).toEqual([
      'user_domestic_violence',
      'user_domestic_violence_2',
      'user_theme',
      'user_child_voice_2',
    ]);
    expect(userThemeIds(themes, taken)).toEqual(ids);
    expect(ids.every(isUserThemeId)).toBe(true);
    expect(reserved.ids.some(isUserThemeId)).toBe(false);
    const rows = userThemeRows(themes, ids, { taxonomyVersion: '1', labelSuffix: ' (yours)' });
    expect(rows[0]).toEqual({
      theme_id: 'user_domestic_violence',
      label: 'Domestic violence (yours)',
      group_label: 'User-defined themes',
      description: 'Findings that match the search domestic',
      taxonomy_version: '1',
      user_defined: true,
    });
  });

  it('take the matched words as evidence, each run once', () => {
    const text = 'Thresholds are unclear; the threshold document and Thresholds guidance differ.';
    const index = buildSearchIndex([{ finding_id: 'a', text }]);
    const [matches] = matchUserThemes(
      index,
      compileUserThemes([{ name: 'T', query: 'threshold*' }], ['user_t']),
    );
    expect(matchedEvidence(text, [])).toBe('');
    expect(matches!.evidence).toEqual(['Thresholds … threshold']);
  });
});

describe('tagging findings with saved themes', () => {
  const themes: SavedTheme[] = [
    { name: 'Thresholds', query: 'threshold*' },
    { name: 'Police or health', query: 'police OR health -strategy' },
    { name: 'Not seen alone', query: '"not seen alone" OR "seen alone"' },
  ];
  const ids = userThemeIds(themes);

  it('letter by letter, as the ingest does, gives what one index of every finding gives', () => {
    const compiled = compileUserThemes(themes, ids);
    // Every finding at once (the page's search worker).
    const index = buildSearchIndex(data.findings);
    const whole = new Set<string>();
    matchUserThemes(index, compiled).forEach((m, t) =>
      m.findings.forEach((doc, k) =>
        whole.add(`${index.ids[doc]}\u0000${ids[t]}\u0000${m.evidence[k]}`),
      ),
    );
    expect(whole.size).toBeGreaterThan(0);
    // Letter by letter, the rows of each letter after the tagger's.
    const byLetter = new Map<string, typeof data.findings>();
    for (const f of data.findings) {
      const letter = f.finding_id.slice(0, f.finding_id.lastIndexOf('#'));
      byLetter.set(letter, [...(byLetter.get(letter) ?? []), f]);
    }
    const perLetter = new Set<string>();
    for (const findings of byLetter.values()) {
      const own: FindingThemeRow[] = findings.map((f) => ({
        finding_id: f.finding_id,
        theme_id: 'other',
        rank: 1,
        evidence: '',
        confidence: 1,
        uncertain: false,
        source: 'tagger',
      }));
      const rows = tagWithUserThemes(findings, own, compiled);
      // The finding's own rows first, then the saved themes' in their order, ranked after.
      for (const f of findings) {
        const mine = rows.filter((r) => r.finding_id === f.finding_id);
        expect(mine[0]!.theme_id).toBe('other');
        expect(mine.map((r) => r.rank)).toEqual(mine.map((_, i) => i + 1));
        const order = mine.slice(1).map((r) => ids.indexOf(r.theme_id));
        expect(order).toEqual([...order].sort((a, b) => a - b));
      }
      for (const r of rows.filter((x) => x.source === 'user')) {
        expect(r).toMatchObject({ confidence: 1, uncertain: false });
        perLetter.add(`${r.finding_id}\u0000${r.theme_id}\u0000${r.evidence}`);
      }
    }
    expect([...perLetter].sort()).toEqual([...whole].sort());
  });

  it('counts what an independent SQL condition counts', async () => {
    const compiled = compileUserThemes(themes.slice(0, 1), ids.slice(0, 1));
    const [matches] = matchUserThemes(buildSearchIndex(data.findings), compiled);
    const reader = await data.db.runAndReadAll(
      `SELECT count(*)::INTEGER AS n FROM findings WHERE regexp_matches(lower(text), '\\bthreshold')`,
    );
    expect(matches!.findings.length).toBe(Number(reader.getRowObjectsJS()[0]!.n));
  });
});
