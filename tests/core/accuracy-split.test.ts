import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAccuracy } from '@/core/accuracy';
import { tagThemes } from '@/core/pipeline/tag-themes';
import { defaultTaxonomy } from '@/core/pipeline/taxonomy';
import { themeScores } from '../../scripts/lib/accuracy';
import { readSplit, sideOf } from '../../scripts/lib/accuracy-split';
import { ROOT } from '../helpers/gold';
import { measureAccuracyFile } from '../helpers/measure-accuracy';

// Floors, not targets: the tagger's figures as they stood when issue 14's first part landed
// (tuned on F1 0.943, kept back 0.828), so that no change can lose ground unnoticed. The issue's
// target on the letters kept back is 0.85. Sessions 8 and 9 added 80 harder findings each to the
// tuning side (tests/fixtures/tagger-extra-2.jsonl, -3.jsonl): the whole side's floor is lower,
// and the side as it was keeps its own. Session 9 raised the floors to its figures less a margin
// (kept back 0.834; the whole tuning side, with 160 harder findings, 0.919).
const FLOOR = { tune: 0.91, tuneBefore: 0.94, kept_back: 0.83 };
/**
 * The tuning side as it stood when the first floor was set; every batch written since (in
 * tests/fixtures/tagger-extra-2.jsonl and after) joined it later.
 */
const FIRST_TUNED = new Set([
  'tests/fixtures/gold/findings.jsonl',
  'tests/fixtures/gold-more/findings.jsonl',
  'tests/fixtures/tagger-extra.jsonl',
]);

describe('the tagger on the split of the labelled letters', () => {
  it('keeps its ground on the letters tuned on and on the letters kept back', () => {
    const accuracy = parseAccuracy(measureAccuracyFile());
    expect(accuracy.tune!.theme_f1).toBeGreaterThanOrEqual(FLOOR.tune);
    expect(accuracy.kept_back!.theme_f1).toBeGreaterThanOrEqual(FLOOR.kept_back);
  });

  it('keeps its ground on the tuning side as it stood before findings were added to it', async () => {
    const { tune } = await readSplit();
    const { findings } = await sideOf(
      Object.fromEntries(Object.entries(tune).filter(([file]) => FIRST_TUNED.has(file))),
    );
    const pairs = findings.map((r) => ({
      gold: r.themes,
      predicted: tagThemes(r.text, defaultTaxonomy).map((t) => t.themeId),
    }));
    expect(pairs.length).toBe(273);
    expect(themeScores(pairs).f1).toBeGreaterThanOrEqual(FLOOR.tuneBefore);
  });

  it('keeps no letter on both sides of the split', () => {
    const split = JSON.parse(
      readFileSync(path.join(ROOT, 'tests/fixtures/accuracy-split.json'), 'utf8'),
    ) as Record<'tune' | 'kept_back', Record<string, string[] | 'all'>>;
    const names = (side: 'tune' | 'kept_back') =>
      Object.values(split[side]).flatMap((v) => (v === 'all' ? [] : v));
    const tuned = new Set(names('tune'));
    expect(names('kept_back').filter((n) => tuned.has(n))).toEqual([]);
    expect(names('kept_back').length).toBeGreaterThan(0);
  });

  it("keeps the findings held out, a separate author's, off the tuning side", async () => {
    const split = await readSplit();
    const heldOut = Object.keys(split.held_out ?? {});
    expect(heldOut.length).toBeGreaterThan(0);
    expect(heldOut.filter((file) => file in split.tune)).toEqual([]);
    // Nor any of their wording under another file name.
    const tuned = new Set((await sideOf(split.tune)).findings.map((f) => f.text));
    const { findings } = await sideOf(split.held_out ?? {});
    expect(findings.length).toBeGreaterThanOrEqual(40);
    expect(findings.filter((f) => tuned.has(f.text)).map((f) => f.text)).toEqual([]);
  });

  it('tunes on no finding that is one kept back or held out, whatever its case, spacing or punctuation', async () => {
    const split = await readSplit();
    const words = (text: string) =>
      text
        .toLowerCase()
        .replace(/[^\p{L}\p{N}]+/gu, ' ')
        .trim();
    const tuned = new Set((await sideOf(split.tune)).findings.map((f) => words(f.text)));
    const unseen = [
      ...(await sideOf(split.kept_back)).findings,
      ...(await sideOf(split.held_out ?? {})).findings,
    ];
    expect(unseen.length).toBeGreaterThanOrEqual(107);
    expect(unseen.filter((f) => tuned.has(words(f.text))).map((f) => f.text)).toEqual([]);
  });
});
