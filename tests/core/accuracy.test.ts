import { describe, expect, it } from 'vitest';
import { parseAccuracy, type Accuracy } from '@/core/accuracy';
import { measureAccuracyFile } from '../helpers/measure-accuracy';

const good: Accuracy = {
  gold_findings: 97,
  matched_findings: 95,
  theme_precision: 0.91,
  theme_recall: 0.88,
  theme_f1: 0.894,
  taxonomy_version: '1',
};

describe('parseAccuracy', () => {
  it('reads the file the build writes (scripts/measure-accuracy.ts)', () => {
    const json = measureAccuracyFile();
    const accuracy = parseAccuracy(json);
    expect(accuracy).toMatchObject(json as object);
    expect(accuracy.matched_findings).toBeLessThanOrEqual(accuracy.gold_findings);
  });

  it('accepts the shape with or without a date and drops unknown keys', () => {
    expect(parseAccuracy({ ...good, extra: 'ignored' })).toEqual(good);
    const bare: Accuracy = { ...good };
    delete bare.taxonomy_version;
    expect(parseAccuracy(bare)).toEqual(bare);
    expect(parseAccuracy({ ...good, measured_at: '2025-01-31' }).measured_at).toBe('2025-01-31');
  });

  it('names every field that is wrong', () => {
    expect(() =>
      parseAccuracy({ ...good, gold_findings: -1, theme_f1: 1.5, measured_at: 'yesterday' }),
    ).toThrow(
      'accuracy.json: gold_findings must be a whole number ≥ 0; theme_f1 must be a number from 0 to 1; measured_at must be an ISO 8601 date',
    );
    expect(() => parseAccuracy({ ...good, theme_recall: '0.9' })).toThrow(/theme_recall/);
    expect(() => parseAccuracy({ ...good, taxonomy_version: 1 })).toThrow(/taxonomy_version/);
    expect(() => parseAccuracy({ ...good, matched_findings: 98 })).toThrow(
      /matched_findings cannot exceed gold_findings/,
    );
  });

  it('rejects what is not an object', () => {
    for (const value of [null, [], 'x', 3]) {
      expect(() => parseAccuracy(value)).toThrow('accuracy.json must hold a JSON object');
    }
  });
});

describe('scoreThemeSet with confidence', () => {
  it('tallies sure and uncertain tags apart and scores the set without the uncertain ones', async () => {
    const { scoreThemeSet } = await import('../../scripts/lib/accuracy');
    const score = scoreThemeSet(
      ['a'],
      [
        { gold: ['x'], predicted: ['x', 'y'], uncertain: ['y'] },
        { gold: ['y', 'z'], predicted: ['y', 'z'], uncertain: ['z'] },
        { gold: ['x'], predicted: ['z'], uncertain: [] },
      ],
      10,
      0.6,
    );
    const c = score.confidence!;
    expect(c.threshold).toBe(0.6);
    // Sure: x (right), y (right), z (wrong); uncertain: y (wrong), z (right).
    expect(c.sure).toEqual({ tags: 3, right: 2, precision: 0.667 });
    expect(c.uncertain).toEqual({ tags: 2, right: 1, precision: 0.5 });
    // Without uncertain tags: 3 given, 2 right, 4 gold → P 2/3, R 1/2.
    expect(c.sure_only.theme_precision).toBe(0.667);
    expect(c.sure_only.theme_recall).toBe(0.5);
    expect(c.sure_only.theme_f1).toBe(0.571);
    expect(
      parseAccuracy({ ...parseAccuracy(measureAccuracyFile()), kept_back: score }).kept_back!
        .confidence,
    ).toEqual(c);
  });

  it('refuses confidence figures that do not add up', () => {
    const file = measureAccuracyFile() as Accuracy;
    const broken = {
      ...file,
      kept_back: {
        ...file.kept_back!,
        confidence: { ...file.kept_back!.confidence!, sure: { tags: 1, right: 2, precision: 1 } },
      },
    };
    expect(() => parseAccuracy(broken)).toThrow(/kept_back\.confidence\.sure/);
  });

  it('reads the separate author’s figure, and names it when it is broken', () => {
    const file = measureAccuracyFile() as Accuracy;
    expect(parseAccuracy(file).held_out).toEqual(file.held_out);
    const broken = { ...file, held_out: { ...file.held_out!, theme_f1: 'high' } };
    expect(() => parseAccuracy(broken)).toThrow(/held_out/);
  });
});
