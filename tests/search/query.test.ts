import { describe, expect, it } from 'vitest';
import { parseQuery, queryToString, type QueryNode } from '@/core/search/query';

function read(query: string): string {
  const parsed = parseQuery(query);
  if (!parsed.ok) throw new Error(`"${query}" did not parse: ${parsed.error.message}`);
  return queryToString(parsed.query);
}

function errorOf(query: string) {
  const parsed = parseQuery(query);
  if (parsed.ok) throw new Error(`"${query}" parsed as ${queryToString(parsed.query)}`);
  return parsed.error;
}

describe('parseQuery: each construct', () => {
  it('reads words, joined by an implicit AND, folded to lower case', () => {
    expect(read('Late  Assessments')).toBe('late assessments');
    const parsed = parseQuery('late assessments');
    expect(parsed.ok && parsed.query.type).toBe('and');
  });

  it('reads one word as a term, with where it was typed', () => {
    const parsed = parseQuery('  police');
    expect(parsed).toEqual({
      ok: true,
      query: {
        type: 'term',
        word: { text: 'police', prefix: false, start: 2, end: 8 },
        start: 2,
        end: 8,
      },
    });
  });

  it('reads quoted phrases, with straight or typographic quotes', () => {
    expect(read('"not seen alone"')).toBe('"not seen alone"');
    expect(read('\u201cnot seen alone\u201d')).toBe('"not seen alone"');
    expect(read('"Police"')).toBe('police');
    const parsed = parseQuery('"not seen alone"');
    expect(parsed.ok && parsed.query.type).toBe('phrase');
  });

  it('reads OR between words, phrases and groups, binding tighter than AND', () => {
    expect(read('police OR health')).toBe('police OR health');
    expect(read('police OR health referral')).toBe('(police OR health) referral');
    expect(read('"strategy meeting" OR "strategy discussion"')).toBe(
      '"strategy meeting" OR "strategy discussion"',
    );
    expect(read('(late assessments) OR delay')).toBe('(late assessments) OR delay');
    expect(read('a1 OR (b1 OR c1)')).toBe('a1 OR b1 OR c1');
  });

  it('reads a lower-case "or" as a word, and AND as the implicit AND', () => {
    expect(read('police or health')).toBe('police or health');
    expect(read('police AND health')).toBe('police health');
  });

  it('reads a leading "-" as leaving a word, phrase or group out', () => {
    expect(read('threshold -strategy')).toBe('threshold -strategy');
    expect(read('assessment -"core assessment"')).toBe('assessment -"core assessment"');
    expect(read('referral -(police OR health)')).toBe('referral -(police OR health)');
    const parsed = parseQuery('threshold -strategy');
    const children = parsed.ok && parsed.query.type === 'and' ? parsed.query.children : [];
    expect(children.map((c: QueryNode) => c.type)).toEqual(['term', 'not']);
  });

  it('reads "*" at the end of a word as a prefix, in phrases too', () => {
    expect(read('core assess*')).toBe('core assess*');
    expect(read('"core assess*"')).toBe('"core assess*"');
    const parsed = parseQuery('threshold*');
    expect(parsed.ok && parsed.query.type === 'term' && parsed.query.word).toEqual({
      text: 'threshold',
      prefix: true,
      start: 0,
      end: 9,
    });
  });

  it('reads a word with inner punctuation as the phrase of its parts', () => {
    expect(read('multi-agency')).toBe('"multi agency"');
    expect(read("children's")).toBe("children's");
    expect(read('children\u2019s')).toBe("children's");
  });

  it('reads brackets as groups, flattening what needs no brackets', () => {
    expect(read('(police health) referral')).toBe('police health referral');
    expect(read('police (-health)')).toBe('police -health');
  });

  it('reads what is read back the same way', () => {
    for (const q of [
      '(police OR health) -"not seen" assess*',
      'referral -(police OR health) "core assess*"',
      'a1 (b1 OR (c1 d1))',
    ])
      expect(read(read(q))).toBe(read(q));
  });
});

describe('parseQuery: hostile text is only words', () => {
  it('reads SQL as words', () => {
    expect(read("'; DROP TABLE findings; --")).toBe('drop table findings');
    expect(read("x' OR '1'='1")).toBe('x OR "1 1"');
    expect(read('Robert"); DROP TABLE letters;--"')).toBe('robert "drop table letters"');
  });

  it('reads HTML as words', () => {
    expect(read('<script>alert(1)</script>')).toBe('"script alert" 1 script');
    expect(read('<img src=x onerror=alert(1)>')).toBe('img "src x" "onerror alert" 1');
  });

  it('ignores punctuation standing alone', () => {
    expect(read('police & health ; --')).toBe('police health');
  });
});

describe('parseQuery: errors in plain words', () => {
  it('names the word after an unclosed quote', () => {
    expect(errorOf('referral "late assessments')).toEqual({
      message: 'The quote opened before "late" is never closed.',
      start: 9,
      end: 26,
    });
    expect(errorOf('referral "').message).toBe('The quote after "referral" is never closed.');
    expect(errorOf('"').message).toBe('The quote is never closed.');
  });

  it('refuses a lone "-"', () => {
    for (const q of ['-', 'police - health', 'police -', '(police -)']) {
      expect(errorOf(q).message).toBe(
        'A "-" must be followed straight by the word or phrase to leave out, as in -strategy (no space after the "-").',
      );
    }
    expect(errorOf('police - health')).toMatchObject({ start: 7, end: 8 });
  });

  it('refuses OR and AND at an end or twice', () => {
    expect(errorOf('OR police').message).toBe('"OR" needs a word or phrase before it.');
    expect(errorOf('police OR').message).toBe('"OR" needs a word or phrase after it.');
    expect(errorOf('police OR OR health').message).toBe('"OR" needs a word or phrase after it.');
    expect(errorOf('(OR police)').message).toBe('"OR" needs a word or phrase before it.');
    expect(errorOf('(police OR)').message).toBe('"OR" needs a word or phrase after it.');
    expect(errorOf('AND police').message).toBe('"AND" needs a word or phrase before it.');
    expect(errorOf('police AND').message).toBe('"AND" needs a word or phrase after it.');
  });

  it('refuses an empty query', () => {
    for (const q of ['', '   ', '&&', '--'])
      expect(errorOf(q).message).toBe('Type a word or a phrase to search for.');
  });

  it('refuses empty quotes and brackets, and unmatched brackets', () => {
    expect(errorOf('police ""').message).toBe(
      'The quotes have nothing to search for between them.',
    );
    expect(errorOf('police ()').message).toBe(
      'The brackets have nothing to search for between them.',
    );
    expect(errorOf('(police OR health').message).toBe(
      'The bracket opened before "police" is never closed.',
    );
    expect(errorOf('police)').message).toBe(
      'The bracket ")" closes nothing: there is no "(" before it.',
    );
  });

  it('refuses a search that only leaves words out', () => {
    const message =
      'Add a word or phrase to look for: a search cannot only leave words out ("-" before every word).';
    expect(errorOf('-strategy').message).toBe(message);
    expect(errorOf('-strategy -"core assessment"').message).toBe(message);
    expect(errorOf('police OR (-health)').message).toContain('cannot be one side of "OR"');
    expect(errorOf('police OR -health').message).toBe(
      'A word left out ("-health") cannot be one side of "OR": write it without "OR" to leave it out of every finding.',
    );
    expect(errorOf('police -(-health)').message).toBe(
      'A "-" cannot leave out what is already left out: write the word without either "-".',
    );
  });

  it('refuses a "*" anywhere but at the end of a word of two letters or more', () => {
    expect(errorOf('as*sess').message).toBe('A "*" can only end a word, as in assess*.');
    expect(errorOf('*').message).toBe(
      'A "*" must come straight after the start of a word, as in assess*.',
    );
    expect(errorOf('assess **').message).toBe(
      'A "*" must come straight after the start of a word, as in assess*.',
    );
    expect(errorOf('a*').message).toBe(
      'A word ending in "*" needs at least 2 letters before the "*", as in assess*.',
    );
  });

  it('never throws, whatever is typed', () => {
    const alphabet = ['"', '-', '(', ')', '*', ' ', 'OR', 'AND', 'a1', 'bc', '\u201c', "'", ';'];
    let seed = 7;
    for (let i = 0; i < 3000; i++) {
      let q = '';
      const length = 1 + (i % 9);
      for (let j = 0; j < length; j++) {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        q += alphabet[seed % alphabet.length];
      }
      const parsed = parseQuery(q);
      if (parsed.ok) expect(read(queryToString(parsed.query))).toBe(queryToString(parsed.query));
      else {
        expect(parsed.error.message.length).toBeGreaterThan(10);
        expect(parsed.error.start).toBeGreaterThanOrEqual(0);
        expect(parsed.error.end).toBeLessThanOrEqual(q.length);
      }
    }
  });
});
