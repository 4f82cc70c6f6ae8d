import { describe, expect, it } from 'vitest';
import { parseLetter } from '@/core/pipeline/parse-letter';
import { letterFiles, readLetter } from '../helpers/gold';
import { hardWrap, ROMAN } from '../helpers/rewrite';

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
    'A. Strengths',
    'I. Strengths',
    'Section 1: Strengths',
    '| Strengths |',
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
    'C. Areas for development',
    'Part 3 – Areas for development',
    '| Areas for development |',
  ],
  'Areas for priority action': [
    'Priority areas for action',
    'Areas requiring immediate action',
    'Areas for urgent action',
    'AREAS FOR PRIORITY ACTION',
  ],
};

/**
 * Item marks other letters use, `#` standing for the item's number, `%i` for it as a lower-case
 * roman numeral and `%a` as a letter; and a markdown table's row, as PDF-to-markdown draws one.
 */
const BULLETS = [
  '- ',
  '* ',
  'o ',
  '➢ ',
  '▪ ',
  '– ',
  '\uf0b7 ',
  '#) ',
  '(#) ',
  '%i. ',
  '(%i) ',
  '%a. ',
  '| ',
];

/** An item's mark for its number `n` (from 1), numbered afresh in each section as Word does. */
const markFor = (mark: string, n: number) =>
  mark
    .replace('#', String(n))
    .replace('%i', ROMAN[(n - 1) % ROMAN.length]!)
    .replace('%a', 'abcdefgh'.charAt((n - 1) % 8));

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
        const text = raw
          .split(/^(?=Strengths$|Satisfactory practice$|Areas for)/m)
          .map((part) => {
            n = 0;
            return part.replace(new RegExp(`^\\${bullet} (.*)$`, 'gm'), (_line, item: string) =>
              mark === '| ' ? `| ${item} |` : `${markFor(mark, (n += 1))}${item}`,
            );
          })
          .join('');
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

describe('a letter whose words were set by a typesetter', () => {
  // Each seed letter with its words as text taken from a PDF can give them: the findings, and
  // so the words the tagger and the search read, must be the letter's own.
  for (const name of letterFiles) {
    const raw = readLetter(name);
    it(`${name}: ligatures ("ﬁles", "staﬃng") and soft hyphens read as the letters they stand for`, () => {
      const ligatures = raw
        .replace(/ffi/g, '\ufb03')
        .replace(/fi/g, '\ufb01')
        .replace(/fl/g, '\ufb02')
        .replace(/ff/g, '\ufb00');
      const softHyphens = raw.replace(
        /\b(assess|refer|manage|inspect)(ment|ral|ion)/g,
        '$1\u00ad$2',
      );
      expect(ligatures).not.toBe(raw);
      expect(softHyphens).not.toBe(raw);
      expect(shape(ligatures, name)).toEqual(shape(raw, name));
      expect(shape(softHyphens, name)).toEqual(shape(raw, name));
    });

    it(`${name}: a word broken at a line's end by a hyphen is whole again where the letter uses it whole`, () => {
      // Break a long word that the letter uses at least twice, once, in the middle: no compound.
      const counts = new Map<string, number>();
      for (const word of raw.toLowerCase().match(/[a-z]+/g) ?? [])
        counts.set(word, (counts.get(word) ?? 0) + 1);
      const broken = new Set<string>();
      const breakWord = (word: string) => {
        if (!/^[a-z]{9,}$/.test(word) || (counts.get(word) ?? 0) < 2 || broken.has(word)) return 0;
        broken.add(word);
        return Math.floor(word.length / 2);
      };
      const wrapped = hardWrap(raw, 72, breakWord);
      expect(wrapped).toMatch(/[a-z]-\n[a-z]/);
      expect(shape(wrapped, name)).toEqual(shape(raw, name));
      // The letter's own compounds broken after their hyphen keep it ("multi-" + "agency"),
      // at whichever width breaks one.
      const breakCompound = (word: string) =>
        /^[a-z]+-[a-z]+/i.test(word) ? word.indexOf('-') + 1 : 0;
      const compounds = [60, 64, 68, 72, 76, 80]
        .map((width) => hardWrap(raw, width, breakCompound))
        .filter((text) => /[a-z]-\n[a-z]/i.test(text));
      expect(compounds.length).toBeGreaterThan(0);
      for (const text of compounds) expect(shape(text, name)).toEqual(shape(raw, name));
    });
  }
});
