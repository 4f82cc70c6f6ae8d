import { describe, expect, it } from 'vitest';
import plainWords from '../data/taxonomy/plain-words.json';
import themesJson from '../data/taxonomy/themes-v1.json';
import { EVIDENCE_SEPARATOR, tagThemes } from '@/core/pipeline/tag-themes';
import {
  TaxonomyError,
  defaultTaxonomy,
  lemmaOf,
  lemmatise,
  loadTaxonomy,
} from '@/core/pipeline/taxonomy';

function ids(text: string): string[] {
  return tagThemes(text, defaultTaxonomy).map((t) => t.themeId);
}

function evidence(text: string, themeId: string): string[] {
  const tag = tagThemes(text, defaultTaxonomy).find((t) => t.themeId === themeId);
  return tag ? tag.evidence.split(EVIDENCE_SEPARATOR) : [];
}

describe('lemmatise', () => {
  it('gives the dictionary form of nouns, verbs and adjectives, lower-cased', () => {
    expect(lemmatise('Children')).toBe('child');
    expect(lemmatise('ascertained')).toBe('ascertain');
    expect(lemmatise('seen')).toBe('see');
    expect(lemmatise('were')).toBe('be');
    expect(lemmatise('assessments')).toBe('assessment');
    expect(lemmatise('undertaken')).toBe('undertake');
    expect(lemmatise('fewer')).toBe('few');
  });

  it('keeps closed-class words that the noun rules would mangle, and possessives', () => {
    expect(lemmatise('does')).toBe('do');
    expect(lemmatise('as')).toBe('as');
    expect(lemmatise('has')).toBe('have');
    expect(lemmatise('police')).toBe('police');
    expect(lemmatise("children's")).toBe("child's");
    expect(lemmatise('ICS')).toBe('ics');
  });

  it('reads a plain word the press uses as the letters’ word, for the tagger only', () => {
    expect(lemmaOf('Kids').form).toBe('child');
    expect(lemmaOf("youngsters'").form).toBe("child's");
    expect(lemmaOf('bosses').form).toBe('manager');
    expect(lemmaOf('Boss').form).toBe('manager');
    expect(lemmaOf('swamped').form).toBe('workload');
    expect(lemmaOf('GPs').form).toBe('health');
    expect(lemmaOf('Kids').id).toBe(lemmaOf('children').id);
    // Search matches the words as written, in dictionary form: "kids" finds kids, not children.
    expect(lemmatise('Kids')).toBe('kid');
    expect(lemmatise('children')).toBe('child');
    // Every plain word's target is a letter's word already in its dictionary form, and no target
    // is itself mapped on (a chain would depend on the order of the list).
    for (const [plain, target] of Object.entries(plainWords.words)) {
      expect(lemmatise(target), plain).toBe(target);
      expect(plainWords.words).not.toHaveProperty(target);
    }
  });
});

describe('plain words', () => {
  it('reach the cues written in dictionary form, with evidence as written', () => {
    const text = 'Toddlers were not always seen by a social worker.';
    expect(ids(text)).toContain('child_voice');
    expect(evidence(text, 'child_voice')).toEqual(['Toddlers were not always seen']);
    const checked = 'Bosses do not routinely check the work of new staff.';
    // Before, only the cue for "bosses" near checking matched, with "Bosses" as its evidence.
    expect(evidence(checked, 'management_oversight')[0]).toMatch(/^Bosses do not routinely check/);
  });
});

describe('cues written in dictionary form', () => {
  it('match the words however they are inflected, with evidence from the finding as written', () => {
    const text = 'Some children were not visited by a social worker for several weeks.';
    expect(ids(text)).toContain('child_voice');
    expect(evidence(text, 'child_voice')).toEqual(['children were not visited']);
    expect(ids('A young person is interviewed alone in every case.')).toContain('child_voice');
    expect(ids("The child's views are not always ascertained.")).toContain('child_voice');
  });

  it('find the volume of assessments in other wordings', () => {
    for (const text of [
      'The number of core assessments undertaken is low compared with similar councils.',
      'The number undertaken is low.',
      'The proportion of referrals that led to an initial assessment is low.',
      'Too few core assessments are initiated.',
    ]) {
      expect(ids(text)).toContain('core_assessment_rate');
    }
  });

  it('does not read a vague quantity as a volume or ethnicity as a minority of cases', () => {
    expect(ids("In a number of assessments the child's views were not sought.")).not.toContain(
      'core_assessment_rate',
    );
    expect(
      ids('Recording is behind in a significant minority of cases, with case notes entered late.'),
    ).not.toContain('equality_diversity');
    expect(ids('Referral rates from minority ethnic families are low.')).toContain(
      'equality_diversity',
    );
  });
});

describe('words in passing', () => {
  it('counts an agency named after a preposition outside the subject for less', () => {
    const passing =
      'Social workers respond promptly and decisions are made about referrals from the police.';
    expect(ids(passing)).not.toContain('multi_agency_working');
    // In the subject it is what the finding is about.
    expect(ids('Referrals from the police and schools are of good quality.')).toContain(
      'multi_agency_working',
    );
  });

  it('reads agencies named as the users of the common assessment framework as early help', () => {
    const cuesOnly = loadTaxonomy(themesJson);
    for (const text of [
      'Nurseries have been slow to take up the CAF.',
      'Use of the common assessment framework is now well established across partner agencies.',
    ]) {
      for (const taxonomy of [cuesOnly, defaultTaxonomy]) {
        const got = tagThemes(text, taxonomy).map((t) => t.themeId);
        expect(got, text).toContain('early_help_caf');
        expect(got, text).not.toContain('multi_agency_working');
      }
    }
    // Agencies working together stay joint work, the framework named or not.
    const together =
      'Partner agencies share information well when a common assessment is stepped up to a referral.';
    expect(ids(together)).toEqual(
      expect.arrayContaining(['multi_agency_working', 'early_help_caf']),
    );
    expect(ids('Partner agencies contribute well to strategy discussions.')).toContain(
      'multi_agency_working',
    );
  });

  it('does not give the front door to a finding that names it as a place in passing', () => {
    const text =
      'The ethnicity and first language of children are not routinely recorded at the point of referral.';
    expect(ids(text)).toContain('equality_diversity');
    expect(ids(text)).not.toContain('referral_response');
    expect(
      ids('The first point of contact is the contact centre, which responds promptly.'),
    ).toContain('referral_response');
  });

  it('reads "child protection procedures" as procedures', () => {
    const tags = ids('Local child protection procedures are up to date and accessible to staff.');
    expect(tags).toContain('procedures_guidance');
    expect(tags).not.toContain('child_protection_enquiries');
  });
});

describe('what a word belongs to', () => {
  it('reads variation between teams as no transfer, and a move between teams as one', () => {
    expect(
      ids('Practice varies between teams and thresholds are applied inconsistently.'),
    ).not.toContain('case_transfer');
    expect(
      ids(
        'There are clear arrangements for children to move from the assessment teams to the longer-term teams.',
      ),
    ).toContain('case_transfer');
  });

  it('gives a 24-hour timescale to what it times', () => {
    expect(ids('Decisions on referrals are made within 24 hours.')).toContain('referral_response');
    expect(ids('Strategy discussions are held within 24 hours.')).not.toContain(
      'referral_response',
    );
  });

  it('weighs the subject of the first sentence, up to its verb', () => {
    const tags = ids(
      'Supervision is regular and recorded, although managers are not always visible.',
    );
    expect(tags[0]).toBe('supervision');
  });
});

describe('the taxonomy file', () => {
  it('accepts lemma and incidental cues and the scoring rules that use them', () => {
    expect(() => loadTaxonomy(themesJson)).not.toThrow();
    expect(defaultTaxonomy.incidentalAfter).not.toBeNull();
    expect(defaultTaxonomy.themes.some((t) => t.cues.some((c) => c.pattern.lemma))).toBe(true);
  });

  it('compiles phrases written again for several cues once', () => {
    const patterns = defaultTaxonomy.themes.flatMap((t) =>
      t.cues.flatMap((c) =>
        [c.pattern, ...c.near, ...c.unless].map((x) => ('pattern' in x ? x.pattern : x)),
      ),
    );
    const bySource = new Map<string, Set<unknown>>();
    for (const p of patterns) {
      const key = `${p.lemma}/${p.regex.flags}/${p.regex.source}`;
      bySource.set(key, (bySource.get(key) ?? new Set()).add(p));
    }
    // Joint work's cues share their contexts (referrals from an agency; the framework's users).
    expect([...bySource.values()].filter((set) => set.size > 1)).toEqual([]);
    expect(patterns.length).toBeGreaterThan(bySource.size);
    expect(defaultTaxonomy.patternCount).toBe(defaultTaxonomy.patterns.length);
  });

  it('rejects an incidental rule without phrases', () => {
    const broken = structuredClone(themesJson) as { scoring: Record<string, unknown> };
    broken.scoring.incidental = { factor: 0.5, after: [], within: 2 };
    expect(() => loadTaxonomy(broken)).toThrow(TaxonomyError);
  });

  it('tags the same way twice, lemma cache warm or cold', () => {
    const text = 'Children are not always seen alone and their wishes are not recorded.';
    expect(tagThemes(text, defaultTaxonomy)).toEqual(tagThemes(text, defaultTaxonomy));
  });
});
