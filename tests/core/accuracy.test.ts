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
