import { beforeAll, describe, expect, it } from 'vitest';
import {
  buildSearchIndex,
  markText,
  searchText,
  type SearchIndex,
  type SearchResult,
} from '@/core/search/index';
import { lemmaOf } from '@/core/search/lemma';
import { words } from '@/core/search/text';
import { useIngestedLetters } from './support';

const data = useIngestedLetters();
let index: SearchIndex;

beforeAll(() => {
  index = buildSearchIndex(data.findings);
});

function run(query: string): SearchResult {
  const answer = searchText(index, query);
  if (!answer.ok) throw new Error(`"${query}": ${answer.error.message}`);
  return answer.result;
}

function idsOf(result: SearchResult): string[] {
  return Array.from(result.findings, (n) => index.ids[n]!);
}

/** The findings whose lower-cased text matches a SQL condition, counted by DuckDB. */
async function sqlIds(where: string): Promise<string[]> {
  const reader = await data.db.runAndReadAll(
    `SELECT finding_id FROM findings WHERE ${where} ORDER BY letter_id, position`,
  );
  return reader.getRowObjectsJS().map((r) => String(r.finding_id));
}

/** A regexp over lower(text) as a SQL condition; `\b` and `[^a-z0-9]+` are RE2's. */
const re = (pattern: string) => `regexp_matches(lower(text), '${pattern}')`;

// Each search beside an independent SQL condition with its word forms written out by hand.
const CASES: Array<{ query: string; where: string }> = [
  { query: 'assessment', where: re('\\b(assessment|assessments)\\b') },
  { query: 'assessments', where: re('\\b(assessment|assessments)\\b') },
  { query: 'initiated', where: re('\\b(initiate|initiates|initiated|initiating)\\b') },
  { query: 'children', where: re('\\b(child|children)\\b') },
  { query: 'referrals', where: re('\\b(referral|referrals)\\b') },
  { query: 'timely assessments', where: `${re('\\btimely\\b')} AND ${re('\\bassessments?\\b')}` },
  {
    query: 'police OR health',
    where: `${re('\\bpolice\\b')} OR ${re('\\bhealth\\b')}`,
  },
  { query: 'assess*', where: re('\\bassess') },
  { query: 'thresh*', where: re('\\bthresh') },
  {
    query: 'core assess*',
    where: `${re('\\bcore\\b')} AND ${re('\\bassess')}`,
  },
  {
    query: 'threshold* -strategy',
    where: `${re('\\bthreshold')} AND NOT ${re('\\b(strategy|strategies)\\b')}`,
  },
  {
    query: 'assessment -core',
    where: `${re('\\bassessments?\\b')} AND NOT ${re('\\bcores?\\b')}`,
  },
  { query: '"out of hours"', where: re('\\bout[^a-z0-9]+of[^a-z0-9]+hours?\\b') },
  {
    query: '"core assessments"',
    where: re('\\bcore[^a-z0-9]+assessments?\\b'),
  },
  { query: 'multi-agency', where: re('\\bmulti[^a-z0-9]+(agency|agencies)\\b') },
  {
    query: '"assessments are"',
    where: re('\\bassessments?[^a-z0-9]+(is|are|was|were|be|been)\\b'),
  },
  {
    query: '"are undertaken"',
    where: re(
      '\\b(is|are|was|were|be|been)[^a-z0-9]+(undertake|undertakes|undertook|undertaken|undertaking)\\b',
    ),
  },
  { query: 'meeting', where: re('\\b(meet|meets|met|meeting|meetings)\\b') },
  {
    query: '(police OR health) -"strategy discussion"',
    where: `(${re('\\bpolice\\b')} OR ${re('\\bhealth\\b')}) AND NOT ${re(
      '\\bstrategy[^a-z0-9]+discussions?\\b',
    )}`,
  },
  {
    query: '"strategy discuss*" OR "strategy meeting*"',
    where: re('\\bstrategy[^a-z0-9]+(discuss|meeting)'),
  },
];

describe('search matches an independent count made with DuckDB over the same Parquet', () => {
  it.each(CASES)('$query', async ({ query, where }) => {
    const expected = await sqlIds(where);
    expect(expected.length).toBeGreaterThan(0);
    expect(idsOf(run(query))).toEqual(expected);
  });

  it('finds nothing for words the letters never use, and leaves SQL as words', async () => {
    expect(run('zebra').findings.length).toBe(0);
    expect(run("'; DROP TABLE findings; --").findings.length).toBe(0);
    expect(await sqlIds('true')).toHaveLength(index.size);
  });
});

describe('word forms', () => {
  it('matches by dictionary form in both directions', () => {
    for (const [a, b] of [
      ['assessment', 'assessments'],
      ['initiated', 'initiate'],
      ['child', 'children'],
      ["children's", 'children'],
      ['undertaken', 'undertake'],
    ])
      expect(idsOf(run(a!)), `${a} / ${b}`).toEqual(idsOf(run(b!)));
  });

  it('finds "initiated" when asked for "initiate", and "assessments" for "assessment"', () => {
    const texts = (q: string) => Array.from(run(q).findings, (n) => index.texts[n]!);
    expect(texts('initiate').some((t) => /\binitiated\b/i.test(t))).toBe(true);
    expect(texts('assessment').some((t) => /\bassessments\b/i.test(t))).toBe(true);
  });

  it('matches a prefix on the words as written or on their dictionary form', () => {
    // "childr*" matches "children" (written so), not "child" (its dictionary form only).
    const childr = run('childr*');
    for (let k = 0; k < childr.findings.length; k++) {
      const spans = childr.spans(k);
      expect(spans.length).toBeGreaterThan(0);
      for (const [s, e] of spans)
        expect(index.texts[childr.findings[k]!]!.slice(s, e)).toMatch(/^childr/i);
    }
    expect(childr.findings.length).toBeLessThan(run('child').findings.length);
  });
});

describe('highlight spans', () => {
  it('point at every matched word and nothing else', () => {
    const result = run('assessment');
    expect(result.findings.length).toBeGreaterThan(10);
    for (let k = 0; k < result.findings.length; k++) {
      const text = index.texts[result.findings[k]!]!;
      const spans = result.spans(k);
      expect(spans.map(([s, e]) => text.slice(s, e).toLowerCase())).toEqual(
        [...text.toLowerCase().matchAll(/\bassessments?\b/g)].map((m) => m[0]),
      );
    }
  });

  it('cover the words of a phrase, in order, and of each side of an OR', () => {
    const phrase = run('"core assessments"');
    for (let k = 0; k < phrase.findings.length; k++) {
      const text = index.texts[phrase.findings[k]!]!;
      const marked = phrase.spans(k).map(([s, e]) => text.slice(s, e).toLowerCase());
      expect(marked.length % 2).toBe(0);
      for (let i = 0; i < marked.length; i += 2) {
        expect(marked[i]).toBe('core');
        expect(marked[i + 1]).toMatch(/^assessments?$/);
      }
      expect(markText(text, phrase.spans(k))).toMatch(/\[\[core assessments?\]\]/i);
    }
    const either = run('police OR health');
    for (let k = 0; k < either.findings.length; k++) {
      const text = index.texts[either.findings[k]!]!;
      for (const [s, e] of either.spans(k))
        expect(text.slice(s, e).toLowerCase()).toMatch(/^(police|health)$/);
    }
  });

  it('never mark a word left out, and mark each matched word by its lemma', () => {
    const result = run('assessment -core');
    for (let k = 0; k < result.findings.length; k++) {
      const text = index.texts[result.findings[k]!]!;
      const marked = result.spans(k).map(([s, e]) => lemmaOf(text.slice(s, e).toLowerCase()));
      expect(new Set(marked)).toEqual(new Set(['assessment']));
    }
    const positions = run('initiated');
    const text = index.texts[positions.findings[0]!]!;
    const all = words(text);
    expect(Array.from(positions.positions(0), (p) => lemmaOf(all[p]!.word))).toEqual(
      positions.spans(0).map(() => 'initiate'),
    );
  });

  it('marks runs of matched words with [[ ]] in text', () => {
    expect(
      markText('a core assessment, late', [
        [2, 6],
        [7, 17],
      ]),
    ).toBe('a [[core assessment]], late');
    expect(
      markText('multi-agency work', [
        [0, 5],
        [6, 12],
      ]),
    ).toBe('[[multi-agency]] work');
    expect(
      markText('police and health', [
        [0, 6],
        [11, 17],
      ]),
    ).toBe('[[police]] and [[health]]');
  });
});

describe('the index on made-up findings', () => {
  const made = buildSearchIndex([
    { finding_id: 'a', text: 'More and more and more referrals.' },
    { finding_id: 'b', text: 'Café staff’s naïve reports; no ASSESSMENTS' },
    { finding_id: 'c', text: '' },
    { finding_id: 'd', text: 'Assessed, assessing and re-assessed.' },
  ]);
  const ids = (q: string) => {
    const answer = searchText(made, q);
    if (!answer.ok) throw new Error(answer.error.message);
    return Array.from(answer.result.findings, (n) => made.ids[n]);
  };

  it('folds case and accents, and keeps overlapping phrase matches once', () => {
    expect(ids('cafe naive')).toEqual(['b']);
    expect(ids('assessment')).toEqual(['b']);
    expect(ids('assess')).toEqual(['d']);
    expect(ids('assess*')).toEqual(['b', 'd']);
    expect(ids('"re assessed"')).toEqual(['d']);
    expect(ids('staff')).toEqual(['b']);
    const answer = searchText(made, '"more and more"');
    expect(answer.ok && Array.from(answer.result.positions(0))).toEqual([0, 1, 2, 3, 4]);
  });
});
