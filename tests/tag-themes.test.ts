import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import themesJson from '../data/taxonomy/themes-v1.json';
import {
  EVIDENCE_SEPARATOR,
  isUncertain,
  tagThemes,
  type ThemeTag,
} from '@/core/pipeline/tag-themes';
import {
  TAXONOMY_V1_THEME_IDS,
  TaxonomyError,
  defaultTaxonomy,
  loadTaxonomy,
} from '@/core/pipeline/taxonomy';

interface LabelledFinding {
  text: string;
  themes: string[];
}

function readJsonl(name: string): LabelledFinding[] {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as LabelledFinding);
}

interface Scores {
  precision: number;
  recall: number;
  f1: number;
  findings: number;
}

/** Micro-averaged, set-based precision, recall and F1 of the tagger against hand labels. */
function evaluate(findings: readonly LabelledFinding[]): Scores {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const finding of findings) {
    const predicted = new Set(tagThemes(finding.text, defaultTaxonomy).map((t) => t.themeId));
    const gold = new Set(finding.themes);
    for (const id of predicted)
      if (gold.has(id)) tp += 1;
      else fp += 1;
    for (const id of gold) if (!predicted.has(id)) fn += 1;
  }
  const precision = tp / (tp + fp);
  const recall = tp / (tp + fn);
  return {
    precision,
    recall,
    f1: (2 * precision * recall) / (precision + recall),
    findings: findings.length,
  };
}

function report(name: string, s: Scores): void {
  console.log(
    `${name}: ${s.findings} findings, precision ${s.precision.toFixed(3)}, recall ${s.recall.toFixed(3)}, F1 ${s.f1.toFixed(3)}`,
  );
}

function ids(text: string): string[] {
  return tagThemes(text, defaultTaxonomy).map((t) => t.themeId);
}

/** Every evidence fragment is a piece of the finding, as the dashboard highlights them. */
function expectEvidenceInText(text: string, tags: readonly ThemeTag[]): void {
  for (const tag of tags) {
    if (tag.evidence === '') continue;
    for (const piece of tag.evidence.split(EVIDENCE_SEPARATOR)) {
      expect(piece.length).toBeGreaterThan(0);
      expect(text).toContain(piece);
    }
  }
}

const gold = readJsonl('gold/findings.jsonl');
const extra = readJsonl('tagger-extra.jsonl');
const knownIds = new Set<string>(TAXONOMY_V1_THEME_IDS);

describe('tagThemes against hand-labelled findings', () => {
  it('reaches F1 0.85 on the gold findings', () => {
    const scores = evaluate(gold);
    report('gold findings', scores);
    expect(gold.length).toBe(97);
    expect(scores.f1).toBeGreaterThanOrEqual(0.85);
  });

  it('reaches F1 0.75 on findings written in other wording', () => {
    const scores = evaluate(extra);
    report('extra findings', scores);
    expect(extra.length).toBeGreaterThanOrEqual(30);
    expect(scores.f1).toBeGreaterThanOrEqual(0.75);
  });

  it('labels every fixture with known theme ids only', () => {
    for (const finding of [...gold, ...extra]) {
      for (const id of finding.themes) expect(knownIds).toContain(id);
    }
  });

  it('gives every finding one to four themes, ranked 1..n, with evidence from its text', () => {
    for (const { text } of [...gold, ...extra]) {
      const tags = tagThemes(text, defaultTaxonomy);
      expect(tags.length).toBeGreaterThanOrEqual(1);
      expect(tags.length).toBeLessThanOrEqual(defaultTaxonomy.scoring.maxThemes);
      expect(tags.map((t) => t.rank)).toEqual(tags.map((_, i) => i + 1));
      expect(new Set(tags.map((t) => t.themeId)).size).toBe(tags.length);
      for (const tag of tags) expect(tag.evidence).not.toBe('');
      expectEvidenceInText(text, tags);
    }
  });

  it('gives the same answer twice', () => {
    for (const { text } of gold) {
      expect(tagThemes(text, defaultTaxonomy)).toEqual(tagThemes(text, defaultTaxonomy));
    }
  });
});

describe('rules of thumb from the taxonomy', () => {
  const police =
    'Strong working relationships with the police result in timely and high quality investigations';

  it('tags what the police example is about, and oversight only when it is said', () => {
    const without = ids(`${police}.`);
    expect(without).toEqual(
      expect.arrayContaining(['child_protection_enquiries', 'multi_agency_working']),
    );
    expect(without).not.toContain('management_oversight');
    expect(without).not.toContain('assessment_quality');

    const withOversight = ids(`${police} with good management oversight and decision-making.`);
    expect(withOversight).toEqual(
      expect.arrayContaining([
        'child_protection_enquiries',
        'multi_agency_working',
        'management_oversight',
      ]),
    );
    // Management decision-making is oversight, not thresholds.
    expect(withOversight).not.toContain('thresholds_decisions');
  });

  it('puts "delays" under the work they hold up', () => {
    const assessment = ids('There are delays in completing initial assessments.');
    expect(assessment).toContain('assessment_timeliness');
    expect(assessment).not.toContain('unallocated_cases');
    expect(assessment).not.toContain('case_transfer');

    const allocation = ids('There are delays in allocating cases to social workers.');
    expect(allocation).toContain('unallocated_cases');
    expect(allocation).not.toContain('assessment_timeliness');
    expect(allocation).not.toContain('case_transfer');

    const transfer = ids('There are delays in the transfer of cases to the long-term teams.');
    expect(transfer).toContain('case_transfer');
    expect(transfer).not.toContain('assessment_timeliness');
    expect(transfer).not.toContain('unallocated_cases');
  });

  it('does not read assessment quality into every mention of an assessment', () => {
    expect(ids('Children are seen alone as part of their assessments.')).toEqual(['child_voice']);
    expect(
      ids('The common assessment framework is well embedded across partner agencies.'),
    ).toEqual(expect.not.arrayContaining(['assessment_quality', 'assessment_timeliness']));
    expect(ids('The referral and assessment team is fully staffed.')).toEqual([
      'staffing_capacity',
    ]);
    expect(ids('The quality of initial assessments is variable.')).toEqual(['assessment_quality']);
  });

  it('ranks the subject of the first sentence first', () => {
    const tags = ids(
      'Supervision is regular and recorded. Some newly qualified social workers also attend training.',
    );
    expect(tags[0]).toBe('supervision');
    expect(tags).toContain('training_development');
  });

  it('matches British and American spellings and hyphenation', () => {
    expect(ids('Assessments are overly focussed on the parents.')).toContain('assessment_quality');
    expect(ids('Assessments are overly focused on the parents.')).toContain('assessment_quality');
    expect(ids('The out of hours service is effective.')).toEqual(['out_of_hours']);
    expect(ids('The out‑of‑hours service is effective.')).toEqual(['out_of_hours']);
    expect(ids('Multiagency working is strong.')).toEqual(['multi_agency_working']);
  });

  it('keeps the triggering words as evidence, in text order', () => {
    const text = 'Caseloads are high and 40 cases are unallocated.';
    const tags = tagThemes(text, defaultTaxonomy);
    expect(tags.find((t) => t.themeId === 'staffing_capacity')?.evidence).toBe('Caseloads');
    expect(tags.find((t) => t.themeId === 'unallocated_cases')?.evidence).toBe('unallocated');
  });

  it('falls back to the best weak cue, then to the default theme', () => {
    const weak = tagThemes('Some social workers were interviewed.', defaultTaxonomy);
    expect(weak).toMatchObject([
      { themeId: 'staffing_capacity', rank: 1, evidence: 'social workers' },
    ]);

    const nothing = tagThemes('Lorem ipsum dolor amet.', defaultTaxonomy);
    expect(nothing).toEqual([
      { themeId: defaultTaxonomy.defaultThemeId, rank: 1, evidence: '', confidence: 0 },
    ]);
  });

  describe('confidence', () => {
    const tag = (text: string, theme: string) =>
      tagThemes(text, defaultTaxonomy).find((t) => t.themeId === theme);

    it('is high for a theme named in the subject and said twice over', () => {
      const t = tag(
        'Core assessments are not completed within timescales and many core assessments are late.',
        'assessment_timeliness',
      );
      expect(t?.confidence).toBeGreaterThanOrEqual(0.9);
      expect(isUncertain(t?.confidence ?? 0, defaultTaxonomy)).toBe(false);
    });

    it('is lower for a second theme than for the theme the finding is about', () => {
      const tags = tagThemes(
        'Initial assessments are not completed within timescales, including for referrals from the police.',
        defaultTaxonomy,
      );
      expect(tags.length).toBeGreaterThan(0);
      for (const later of tags.slice(1))
        expect(later.confidence).toBeLessThan((tags[0] as { confidence: number }).confidence);
    });

    it('leaves a weak-tier tag uncertain and gives the default theme 0', () => {
      const weak = tagThemes('Some social workers were interviewed.', defaultTaxonomy)[0];
      expect(isUncertain(weak?.confidence ?? 1, defaultTaxonomy)).toBe(true);
      expect(tagThemes('Lorem ipsum dolor amet.', defaultTaxonomy)[0]?.confidence).toBe(0);
    });

    it('lies between 0 and 1 in hundredths for every tag of the gold findings', () => {
      const lines = readFileSync('tests/fixtures/gold/findings.jsonl', 'utf8')
        .split('\n')
        .filter((l) => l.trim());
      for (const line of lines) {
        const { text } = JSON.parse(line) as { text: string };
        for (const t of tagThemes(text, defaultTaxonomy)) {
          expect(t.confidence).toBeGreaterThanOrEqual(0);
          expect(t.confidence).toBeLessThanOrEqual(1);
          expect(Math.round(t.confidence * 100) / 100).toBe(t.confidence);
        }
      }
    });
  });

  it('gives blank text no theme', () => {
    expect(tagThemes('', defaultTaxonomy)).toEqual([]);
    expect(tagThemes(' \n\t\u00A0', defaultTaxonomy)).toEqual([]);
  });
});

describe('loadTaxonomy', () => {
  const clone = (): { themes: Record<string, unknown>[] } & Record<string, unknown> =>
    structuredClone(themesJson) as unknown as { themes: Record<string, unknown>[] } & Record<
      string,
      unknown
    >;

  function problemsOf(json: unknown): string {
    try {
      loadTaxonomy(json);
    } catch (error) {
      expect(error).toBeInstanceOf(TaxonomyError);
      return (error as Error).message;
    }
    throw new Error('the taxonomy was accepted');
  }

  it('loads the shipped file with the 25 themes of the design, in its order', () => {
    expect(defaultTaxonomy.version).toBe('1');
    expect(defaultTaxonomy.themes.map((t) => t.id)).toEqual([...TAXONOMY_V1_THEME_IDS]);
    expect(defaultTaxonomy.groups).toHaveLength(7);
    const assessment = defaultTaxonomy.themes.find((t) => t.id === 'assessment_timeliness');
    expect(assessment?.groupLabel).toBe('Assessment');
    expect(assessment?.label).toBe('Assessment timeliness');
  });

  it('rejects a duplicate theme id', () => {
    const json = clone();
    (json.themes[1] as { id: string }).id = 'referral_response';
    const message = problemsOf(json);
    expect(message).toContain('duplicate theme id "referral_response"');
    expect(message).toContain('version 1 lacks thresholds_decisions');
  });

  it('rejects a cue that does not compile, naming the theme and the phrase', () => {
    const json = clone();
    const cues = (json.themes[3] as { cues: { match: string[] }[] }).cues;
    (cues[0] as { match: string[] }).match = ['(unclosed group'];
    const message = problemsOf(json);
    expect(message).toMatch(
      /themes\[3\] \(assessment_timeliness\)\.cues\[0\]\.match\[0\]: cue "\(unclosed group" does not compile/,
    );
  });

  it('rejects unknown fields, a theme without cues, unknown references and empty-matching cues', () => {
    const json = clone();
    json.colour = 'blue';
    (json.themes[0] as { cues: unknown[] }).cues = [];
    (json.themes[2] as { group: string }).group = 'nowhere';
    const cues = (json.themes[4] as { cues: { match: string[]; hides?: string[] }[] }).cues;
    (cues[0] as { hides?: string[] }).hides = ['no_such_theme'];
    (cues[1] as { match: string[] }).match = ['/x*/'];
    let message = problemsOf(json);
    expect(message).toContain('Unrecognized key: "colour"');
    expect(message).toContain('themes[0] (referral_response).cues: a theme needs at least one cue');

    delete json.colour;
    (json.themes[0] as { cues: unknown[] }).cues = [{ weight: 1, match: ['x'], fallback: true }];
    message = problemsOf(json);
    expect(message).toContain('a theme needs at least one cue that is not a fallback');
    expect(message).toContain('themes[2] (early_help_caf).group: unknown group "nowhere"');
    expect(message).toContain('hides: unknown theme "no_such_theme"');
    expect(message).toContain('can match empty text');
  });

  it('rejects a "*" after a group with a hint', () => {
    const json = clone();
    const cues = (json.themes[5] as { cues: { match: string[] }[] }).cues;
    (cues[0] as { match: string[] }).match = ['reorgani(s|z)*'];
    expect(problemsOf(json)).toContain('"*" ends a word, use "?" for a group');
  });
});

describe('tagThemes on arbitrary input', () => {
  const words = [
    ...['assessment', 'referral', 'delays', 'police', 'CAF', 'caseloads', 'supervision'],
    ...['the', 'of', 'and', 'not', '.', ',', '-', '(', ')', "'", '’', '“', '\u00A0', '\n'],
  ];
  const texts = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 400 }),
    fc.string({ unit: 'grapheme', maxLength: 400 }),
    fc.array(fc.constantFrom(...words), { maxLength: 60 }).map((w) => w.join(' ')),
  );

  it('never throws, and gives any non-blank text one to four known themes', () => {
    fc.assert(
      fc.property(texts, (text) => {
        const tags = tagThemes(text, defaultTaxonomy);
        if (text.trim() === '') {
          expect(tags).toEqual([]);
          return;
        }
        expect(tags.length).toBeGreaterThanOrEqual(1);
        expect(tags.length).toBeLessThanOrEqual(defaultTaxonomy.scoring.maxThemes);
        for (const tag of tags) expect(knownIds).toContain(tag.themeId);
        expectEvidenceInText(text, tags);
      }),
      { numRuns: 400 },
    );
  });
});
