import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extractFindings } from '@/core/pipeline/extract-findings';
import { findSections } from '@/core/pipeline/find-sections';
import { splitLines } from '@/core/pipeline/lines';
import { normaliseText } from '@/core/pipeline/normalise-text';
import { parseLetter } from '@/core/pipeline/parse-letter';
import { LetterRejection, readMetadata } from '@/core/pipeline/read-metadata';
import { letterFiles, readLetter } from '../helpers/gold';

/** Text made of the pieces letters are made of, so that the generator reaches deep paths. */
const letterish = fc
  .array(
    fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 40 }),
      fc.string({ maxLength: 40 }),
      fc.constantFrom(
        '\n',
        '\n\n',
        '\r\n',
        '\f',
        '\u00A0',
        '• ',
        '- ',
        '\uF0B7 ',
        'o ',
        '2.4. ',
        '**',
        '#### ',
        '<ul style="x">',
        '<li>',
        'Strengths',
        'Areas for development:',
        'Areas for priority action',
        'Satisfactory practice',
        'The service meets the requirements of statutory guidance in the following areas',
        'Page 2 of 4',
        'Yours sincerely',
        'Dear Ms Smith',
        'unannounced inspection of contact, referral and assessment arrangements within Leeds City Council',
        'which was conducted on 30 June and 1 July 2009',
        'on 7th and 8th July 2009',
        'This was an area for development at the previous inspection.',
        'noted as a strength',
        'Her Majesty’s Inspector',
      ),
    ),
    { maxLength: 60 },
  )
  .map((parts) => parts.join(''));

describe('the stages never throw on arbitrary input', () => {
  it('normaliseText, splitLines, findSections and extractFindings', () => {
    fc.assert(
      fc.property(letterish, fc.constantFrom('ofsted_letter', 'council_report'), (raw, kind) => {
        const text = normaliseText(raw);
        expect(text).not.toMatch(/\r/);
        const lines = splitLines(text);
        expect(lines.length).toBeGreaterThan(0);
        const findings = extractFindings(findSections(text, kind as 'ofsted_letter'));
        for (const f of findings) {
          expect(f.charStart).toBeGreaterThanOrEqual(0);
          expect(f.charEnd).toBeLessThanOrEqual(text.length);
          expect(f.charStart).toBeLessThanOrEqual(f.charEnd);
          expect(f.text.trim()).toBe(f.text);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('readMetadata and parseLetter fail only with a LetterRejection', () => {
    fc.assert(
      fc.property(letterish, (raw) => {
        for (const run of [
          () => readMetadata(normaliseText(raw)),
          () => parseLetter(raw, 'x.txt'),
        ]) {
          try {
            run();
          } catch (error) {
            expect(error).toBeInstanceOf(LetterRejection);
          }
        }
      }),
      { numRuns: 400 },
    );
  });

  it('survives real letters cut, spliced and sprinkled with furniture', () => {
    const letters = letterFiles.map(readLetter);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: letters.length - 1 }),
        fc.array(
          fc.tuple(
            fc.nat(),
            fc.constantFrom('\n\n', '\f', '\nPage 3 of 4\n', '', '• ', '\n\n\n\n'),
          ),
          { maxLength: 8 },
        ),
        (which, edits) => {
          let text = letters[which] ?? '';
          for (const [at, insert] of edits) {
            const i = at % (text.length + 1);
            text = insert === '' ? text.slice(0, i) : text.slice(0, i) + insert + text.slice(i);
          }
          try {
            const letter = parseLetter(text, 'spliced.txt');
            for (const f of letter.findings) expect(f.text).not.toMatch(/Page 3 of 4/);
          } catch (error) {
            expect(error).toBeInstanceOf(LetterRejection);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
