import { describe, expect, it } from 'vitest';
import { buildSearchIndex } from '@/core/search/index';
import { similarFindings } from '@/core/search/similar';
import { lemmaOf } from '@/core/search/lemma';
import { words } from '@/core/search/text';
import { isStopLemma } from '@/core/search/weighting';
import { useIngestedLetters } from './support';

const data = useIngestedLetters();

/** A near-duplicate: the same finding with one word changed and one added, as another letter might say it. */
function nearDuplicate(text: string): string {
  return `${text.replace(/\bthe\b/, 'a')} in practice`;
}

/** TF-IDF cosine between every pair, computed the slow way, straight from the definition. */
function bruteForce(texts: string[], of: number): Array<{ doc: number; score: number }> {
  const bags = texts.map((t) => {
    const bag = new Map<string, number>();
    for (const w of words(t)) {
      const lemma = lemmaOf(w.word);
      if (!isStopLemma(lemma)) bag.set(lemma, (bag.get(lemma) ?? 0) + 1);
    }
    return bag;
  });
  const df = new Map<string, number>();
  for (const bag of bags) for (const lemma of bag.keys()) df.set(lemma, (df.get(lemma) ?? 0) + 1);
  const n = texts.length;
  const vector = (bag: Map<string, number>) =>
    new Map(
      [...bag].map(([lemma, tf]) => [lemma, (1 + Math.log(tf)) * Math.log(n / df.get(lemma)!)]),
    );
  const vectors = bags.map(vector);
  const norm = (v: Map<string, number>) =>
    Math.sqrt([...v.values()].reduce((s, w) => s + w * w, 0));
  const q = vectors[of]!;
  return vectors
    .map((v, doc) => {
      let dot = 0;
      for (const [lemma, w] of q) dot += w * (v.get(lemma) ?? 0);
      return { doc, score: dot === 0 ? 0 : dot / (norm(q) * norm(v)) };
    })
    .filter((r) => r.doc !== of && r.score > 0)
    .sort((a, b) => b.score - a.score || a.doc - b.doc);
}

describe('similar findings', () => {
  it("ranks a finding's own near-duplicate first", () => {
    const findings = data.findings;
    for (const of of [0, 10, 40, findings.length - 1]) {
      const copy = { finding_id: 'near-duplicate', text: nearDuplicate(findings[of]!.text) };
      const index = buildSearchIndex([...findings, copy]);
      const similar = similarFindings(index, of, 5);
      expect(similar[0]!.finding_id).toBe('near-duplicate');
      expect(similar[0]!.score).toBeGreaterThan(0.7);
      expect(similar[0]!.shared.length).toBeGreaterThan(0);
      expect(similar.map((s) => s.finding)).not.toContain(of);
    }
  });

  it('gives scores in [0, 1], best first, with the words both findings share', () => {
    const index = buildSearchIndex(data.findings);
    for (let of = 0; of < index.size; of += 7) {
      const similar = similarFindings(index, of, 10);
      expect(similar.length).toBeGreaterThan(0);
      expect(similar.length).toBeLessThanOrEqual(10);
      for (let i = 0; i < similar.length; i++) {
        const s = similar[i]!;
        expect(s.score).toBeGreaterThan(0);
        expect(s.score).toBeLessThanOrEqual(1);
        if (i > 0) expect(s.score).toBeLessThanOrEqual(similar[i - 1]!.score);
        expect(s.shared.length).toBeGreaterThan(0);
        const lemmasOf = (t: string) => new Set(words(t).map((w) => lemmaOf(w.word)));
        const mine = lemmasOf(index.texts[of]!);
        const theirs = lemmasOf(index.texts[s.finding]!);
        for (const word of s.shared) {
          expect(mine.has(word) && theirs.has(word), word).toBe(true);
          expect(isStopLemma(word)).toBe(false);
        }
      }
    }
  });

  it('agrees with the cosine computed straight from its definition', () => {
    const index = buildSearchIndex(data.findings);
    for (const of of [3, 20, 50, 90]) {
      const expected = bruteForce(index.texts as string[], of).slice(0, 8);
      const got = similarFindings(index, of, 8);
      expect(got.map((s) => s.finding)).toEqual(expected.map((e) => e.doc));
      got.forEach((s, i) => expect(s.score).toBeCloseTo(expected[i]!.score, 5));
    }
  });

  it('returns nothing for a finding of stop words only, and refuses a finding not there', () => {
    const index = buildSearchIndex([
      { finding_id: 'a', text: 'It is not as it was.' },
      { finding_id: 'b', text: 'It is what it is.' },
    ]);
    expect(similarFindings(index, 0)).toEqual([]);
    expect(() => similarFindings(index, 2)).toThrow(RangeError);
  });
});
