import { describe, expect, it } from 'vitest';
import {
  applyCorrections,
  CorrectionsError,
  CORRECTIONS_FORMAT,
  findingKey,
  parseCorrections,
  parseCorrectionsText,
  type Correction,
} from '@/core/corrections';
import { parseLetter } from '@/core/pipeline/parse-letter';
import { correctLetterRows, toRows, type ContractRows } from '@/core/pipeline/to-rows';
import { defaultTaxonomy } from '@/core/pipeline/taxonomy';
import { letterFiles, readLetter } from '../helpers/gold';

const THEMES = new Set(defaultTaxonomy.themes.map((t) => t.id));

function seedRows(order: readonly string[] = letterFiles): ContractRows {
  return toRows(
    order.map((name) => parseLetter(readLetter(name), name)),
    defaultTaxonomy,
  );
}

const file = (corrections: unknown[]) => ({
  format: CORRECTIONS_FORMAT,
  version: 1,
  corrections,
});

describe('finding keys', () => {
  it('are the same whenever the same letters are read, whatever their order, and unique', () => {
    const once = seedRows();
    const again = seedRows([...letterFiles].reverse());
    const keysOf = (rows: ContractRows) =>
      new Map(rows.findings.map((f) => [f.finding_id, f.finding_key]));
    expect(keysOf(again)).toEqual(keysOf(once));
    const keys = once.findings.map((f) => f.finding_key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const f of once.findings) expect(f.finding_key?.startsWith(`${f.letter_id}:`)).toBe(true);
  });

  it('follow the text, not its case, spacing or quotes, and number a text said twice', () => {
    const a = findingKey('leeds-2009-08-12', 'Children’s  views are\nnot recorded.');
    expect(findingKey('leeds-2009-08-12', "children's views are not recorded.")).toBe(a);
    expect(findingKey('leeds-2009-08-12', 'Children’s views are recorded.')).not.toBe(a);
    expect(findingKey('leeds-2010-08-12', 'Children’s views are not recorded.')).not.toBe(a);
    expect(findingKey('leeds-2009-08-12', 'Children’s views are not recorded.', 2)).toBe(`${a}-2`);
  });
});

describe('parseCorrections', () => {
  const rows = seedRows();
  const key = rows.findings[0]!.finding_key!;

  it('takes a valid file', () => {
    const parsed = parseCorrections(
      file([{ action: 'add_theme', theme_id: 'child_voice', finding_key: key, reason: 'r' }]),
      THEMES,
    );
    expect(parsed.corrections).toHaveLength(1);
  });

  it('refuses a file that is not JSON, not a corrections file, or names unknown themes', () => {
    expect(() => parseCorrectionsText('{nope', THEMES, 'mine.json')).toThrow(
      /mine\.json: not a usable corrections file: not JSON/,
    );
    expect(() =>
      parseCorrections({ format: 'other', version: 1, corrections: [] }, THEMES),
    ).toThrow(CorrectionsError);
    expect(() =>
      parseCorrections(
        file([{ action: 'add_theme', theme_id: 'made_up', finding_key: key, reason: 'r' }]),
        THEMES,
      ),
    ).toThrow(/"made_up" is not a theme of the taxonomy/);
    expect(() =>
      parseCorrections(
        file([{ action: 'move_section', section: 'nowhere', finding_key: key, reason: 'r' }]),
        THEMES,
      ),
    ).toThrow(/corrections\.0\.section/);
    expect(() =>
      parseCorrections(
        file([{ action: 'remove_theme', theme_id: 'child_voice', finding_key: key, reason: ' ' }]),
        THEMES,
      ),
    ).toThrow(/needs a reason/);
    expect(() =>
      parseCorrections(
        file([{ action: 'remove_theme', theme_id: 'child_voice', finding_key: 'x', reason: 'r' }]),
        THEMES,
      ),
    ).toThrow(/is not a finding key/);
  });
});

describe('applyCorrections', () => {
  const rows = seedRows();
  const tagged = rows.findings.find(
    (f) => rows.finding_themes.filter((t) => t.finding_id === f.finding_id).length >= 2,
  )!;
  const itsThemes = rows.finding_themes.filter((t) => t.finding_id === tagged.finding_id);
  const key = tagged.finding_key!;
  const absent = [...THEMES].find((t) => !itsThemes.some((x) => x.theme_id === t))!;

  it('removes a theme and closes up the ranks, adds one as reviewed, moves a finding', () => {
    const removed = itsThemes[0]!.theme_id;
    const corrections: Correction[] = [
      { action: 'remove_theme', theme_id: removed, finding_key: key, reason: 'said in passing' },
      { action: 'add_theme', theme_id: absent, finding_key: key, reason: 'what it is about' },
      { action: 'move_section', section: 'priority_action', finding_key: key, reason: 'heading' },
    ];
    const out = applyCorrections(rows.findings, rows.finding_themes, corrections);
    expect(out.unapplied).toEqual([]);
    expect(out.applied).toEqual(corrections);
    const mine = out.findingThemes.filter((t) => t.finding_id === tagged.finding_id);
    expect(mine.map((t) => t.theme_id)).toEqual([
      ...itsThemes.slice(1).map((t) => t.theme_id),
      absent,
    ]);
    expect(mine.map((t) => t.rank)).toEqual(mine.map((_, i) => i + 1));
    expect(mine.at(-1)).toMatchObject({ source: 'reviewed', confidence: 1, uncertain: false });
    expect(mine.slice(0, -1).every((t) => t.source === 'tagger')).toBe(true);
    expect(out.findings.find((f) => f.finding_id === tagged.finding_id)!.section).toBe(
      'priority_action',
    );
    // Nothing else changed, and the input rows were not touched.
    expect(out.findingThemes.length).toBe(rows.finding_themes.length);
    expect(tagged.section).not.toBe('priority_action');
    expect(rows.finding_themes.filter((t) => t.finding_id === tagged.finding_id)).toEqual(
      itsThemes,
    );
  });

  it('reports corrections whose finding is gone or that change nothing, and applies the rest', () => {
    const gone = `${tagged.letter_id}:0123456789abcdef`;
    const out = applyCorrections(rows.findings, rows.finding_themes, [
      { action: 'remove_theme', theme_id: absent, finding_key: gone, reason: 'r' },
      { action: 'remove_theme', theme_id: absent, finding_key: key, reason: 'r' },
      { action: 'move_section', section: tagged.section, finding_key: key, reason: 'r' },
      { action: 'add_theme', theme_id: absent, finding_key: key, reason: 'r' },
    ]);
    expect(out.unapplied.map((u) => [u.index, u.reason])).toEqual([
      [0, expect.stringContaining(gone)],
      [1, expect.stringContaining(`no theme ${absent}`)],
      [2, expect.stringContaining('already under')],
    ]);
    expect(out.applied).toHaveLength(1);
  });

  it('brings has_priority_actions in line when a finding moves', () => {
    const letter = rows.letters.find((l) => !l.has_priority_actions)!;
    const finding = rows.findings.find((f) => f.letter_id === letter.letter_id)!;
    const mine = {
      letter,
      findings: rows.findings.filter((f) => f.letter_id === letter.letter_id),
      findingThemes: rows.finding_themes.filter((t) =>
        t.finding_id.startsWith(`${letter.letter_id}#`),
      ),
    };
    const { rows: corrected } = correctLetterRows(mine, [
      {
        action: 'move_section',
        section: 'priority_action',
        finding_key: finding.finding_key!,
        reason: 'r',
      },
    ]);
    expect(corrected.letter.has_priority_actions).toBe(true);
  });
});
