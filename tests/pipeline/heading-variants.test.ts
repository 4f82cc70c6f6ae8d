import { describe, expect, it } from 'vitest';
import { parseLetter } from '@/core/pipeline/parse-letter';
import { letterFiles, readLetter } from '../helpers/gold';

// Other councils' letters name the same sections with other words, and mark items with other
// bullets. Each seed letter is rewritten with its headings or bullets as other letters word them;
// it must give the same findings, in the same sections, as the letter as written.

/** Each seed heading, and other wordings of it seen in letters and council reports. */
const HEADINGS: Record<string, string[]> = {
  Strengths: [
    'Areas of good practice',
    'Good practice',
    'What is working well',
    'Key strengths',
    'Strengths:',
    'STRENGTHS',
    '1. Strengths',
    '**Strengths**',
    '## Strengths',
    'Strengths (see paragraph 3)',
    'What the council does well',
    'The following strengths were identified.',
    'What is working well?',
  ],
  'Satisfactory practice': [
    'Areas of satisfactory practice',
    'Areas of adequate practice',
    'Practice that is satisfactory',
    'Meets requirements',
    'SATISFACTORY PRACTICE',
  ],
  'Areas for development': [
    'Areas for improvement',
    'Areas that need further development',
    'Areas in need of improvement',
    'Areas where improvement is needed',
    'Development needs',
    'Recommendations for improvement',
    'AREAS FOR DEVELOPMENT',
    '3. Areas for development',
    'Areas for development (continued)',
    'Weaknesses',
    'Areas of weakness',
    'What the council needs to improve',
    'The following areas for development were identified.',
    'Inspectors identified the following areas for development.',
    'The inspection identified the following areas for development.',
    'The following areas require development.',
    'Inspectors found the following weaknesses:',
  ],
  'Areas for priority action': [
    'Priority areas for action',
    'Areas requiring immediate action',
    'Areas for urgent action',
    'AREAS FOR PRIORITY ACTION',
  ],
};

/** Item marks other letters use, `#` standing for the item's number. */
const BULLETS = ['- ', '* ', 'o ', '➢ ', '▪ ', '– ', '\uf0b7 ', '#) ', '(#) '];

const shape = (text: string, name: string) =>
  parseLetter(text, name).findings.map((f) => ({ section: f.section, text: f.text }));

describe('a letter whose sections and items are marked in other words', () => {
  for (const name of letterFiles) {
    const raw = readLetter(name);
    const cases: [string, string][] = [];
    for (const [heading, others] of Object.entries(HEADINGS)) {
      const line = new RegExp(`^${heading}$`, 'm');
      if (!line.test(raw)) continue;
      for (const other of others) cases.push([`"${other}"`, raw.replace(line, other)]);
    }
    // Each heading run into its first item's line: "Strengths: The council …".
    const runIn = raw.replace(
      new RegExp(`^(${Object.keys(HEADINGS).join('|')})\\n+[•\u2022●▪-] `, 'gm'),
      '$1: ',
    );
    if (runIn !== raw) cases.push(['headings run into their first item', runIn]);
    const bullet = raw.match(/^([•\u2022●▪-]) /m)?.[1];
    if (bullet !== undefined)
      for (const mark of BULLETS) {
        let n = 0;
        const text = raw.replace(new RegExp(`^\\${bullet} `, 'gm'), () =>
          mark.replace('#', String((n += 1))),
        );
        cases.push([`items marked "${mark.trim()}"`, text]);
      }
    if (cases.length === 0) continue;
    it(`${name}: gives the letter's own findings under ${cases.length} other wordings`, () => {
      const expected = shape(raw, name);
      expect(expected.length).toBeGreaterThan(0);
      for (const [label, text] of cases) expect(shape(text, name), label).toEqual(expected);
    });
  }
});
