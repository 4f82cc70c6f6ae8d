/**
 * A finding's key hashes its text as `keyText` folds it (src/core/corrections.ts), which skips
 * each step where it would change nothing. Keys are published and matched against corrections
 * files, so the shortcut must give the full fold's text for any text at all.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findingKey, keyText } from '@/core/corrections';

/** The fold in full, every step run: NFKC, lower case, quotes, dashes, whitespace. */
function fullFold(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u2018\u2019\u201A\u201B`\u00B4]/g, "'")
    .replace(/[\u201C\u201D\u201E\u201F]/g, '"')
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/\s+/g, ' ')
    .trim();
}

const pieces = [
  'Referrals',
  'are',
  'not',
  'ALWAYS',
  "children's",
  'child’s',
  '`quoted`',
  '“Team”',
  '‘x’',
  '–',
  '—',
  '\u2212',
  '\uFB01le',
  'Ａ',
  'Ⅻ',
  'İ',
  'ß',
  'e\u0301',
  '\u00B4',
  ' ',
  '  ',
  '\t',
  '\n',
  '\r\n',
  '\u00A0',
  '\u2028',
  '\u3000',
  '\uFEFF',
  '.',
];

describe('keyText', () => {
  it('folds a text as the full fold does, for any text', () => {
    const text = fc.oneof(
      fc.array(fc.constantFrom(...pieces), { maxLength: 30 }).map((p) => p.join('')),
      fc.string({ unit: 'grapheme', maxLength: 120 }),
      fc.string({ unit: 'binary', maxLength: 120 }),
      fc.string({ maxLength: 120 }),
    );
    fc.assert(
      fc.property(text, (t) => {
        expect(keyText(t)).toBe(fullFold(t));
      }),
      { numRuns: 3000 },
    );
  });

  it('gives plain findings, typographic ones and spaced-out ones their keys', () => {
    const plain = 'Management oversight is not evident on all case files.';
    expect(keyText(plain)).toBe(plain.toLowerCase());
    const fancy = '  Management\u00A0oversight is “not” evident – on all case files.\n';
    expect(keyText(fancy)).toBe(fullFold(fancy));
    expect(keyText(fancy)).toBe('management oversight is "not" evident - on all case files.');
    expect(findingKey('L1', plain)).toBe(findingKey('L1', plain.toUpperCase()));
    expect(findingKey('L1', plain)).not.toBe(findingKey('L1', `${plain} Again.`));
  });
});
