/**
 * The tagger's matching step (tag-themes.ts) tries a cue only where a word of the finding begins
 * as the cue's matches must, through a trie of the taxonomy's word beginnings, and finds words
 * without a regular expression. These tests hold it to the plain way: every pattern searched
 * through the whole folded text (or, for cues in dictionary form, through the text with every
 * word as the tagger reads it, `lemmaOf`) with its own global expression, on the hand-labelled findings, the bundled
 * letters, variants of them and arbitrary text.
 */
import { readFileSync, readdirSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchPatterns, tagThemes, wordsOf } from '@/core/pipeline/tag-themes';
import {
  defaultTaxonomy,
  lemmaOf,
  type CompiledPattern,
  type Taxonomy,
} from '@/core/pipeline/taxonomy';
import { parseLetter } from '@/core/pipeline/parse-letter';

interface Span {
  start: number;
  end: number;
}

/** Every compiled pattern of a taxonomy: cues, their contexts, masks and the incidental phrases. */
function allPatterns(taxonomy: Taxonomy): CompiledPattern[] {
  const patterns = new Set<CompiledPattern>(taxonomy.masks);
  for (const theme of taxonomy.themes)
    for (const cue of theme.cues) {
      patterns.add(cue.pattern);
      for (const context of [...cue.near, ...cue.unless]) patterns.add(context.pattern);
    }
  if (taxonomy.incidentalAfter) patterns.add(taxonomy.incidentalAfter);
  return [...patterns];
}

// The tagger's folding of typographic variants, one code unit for one (data/taxonomy/README.md).
const FOLDS: [RegExp, string][] = [
  [/[\u201C\u201D\u201E\u201F\u2033]/g, '"'],
  [/[\u2010-\u2015\u2212]/g, '-'],
  [/[\u00A0\u2007\u202F]/g, ' '],
  [/[\u2018\u2019\u201A\u201B\u2032\u0060\u00B4]/g, "'"],
];
const WORD_RE = /[\p{L}\p{N}]+(?:'[\p{L}\p{N}]+)*/gu;

/** A pattern's matches in `text` by a global search from the start, trimmed as the tagger does. */
function plainSearch(pattern: CompiledPattern, text: string): Span[] {
  const regex = new RegExp(pattern.regex.source, pattern.regex.flags);
  const spans: Span[] = [];
  for (let m = regex.exec(text); m !== null; m = regex.exec(text)) {
    if (m[0].length === 0) {
      regex.lastIndex += 1;
      continue;
    }
    const lead = /^[\s-]*/.exec(m[0])?.[0].length ?? 0;
    const trail = /[\s-]*$/.exec(m[0].slice(lead))?.[0].length ?? 0;
    if (m[0].length - lead - trail > 0)
      spans.push({ start: m.index + lead, end: m.index + m[0].length - trail });
  }
  return spans;
}

/** Where each pattern matches `text`, found the plain way. */
function reference(text: string, patterns: readonly CompiledPattern[]): Span[][] {
  let folded = text;
  for (const [re, to] of FOLDS) folded = folded.replace(re, to);
  // The text in dictionary form, and for each word where it stands in both.
  let lemma = '';
  let last = 0;
  const words: { from: number; to: number; lemmaFrom: number; lemmaTo: number }[] = [];
  for (const m of folded.matchAll(WORD_RE)) {
    lemma += folded.slice(last, m.index);
    const lemmaFrom = lemma.length;
    // The form the tagger reads a word as: its dictionary form, or the letters' word for a plain one.
    lemma += lemmaOf(m[0]).form;
    words.push({ from: m.index, to: m.index + m[0].length, lemmaFrom, lemmaTo: lemma.length });
    last = m.index + m[0].length;
  }
  lemma += folded.slice(last);
  const original = (pos: number): number => {
    const word = words.filter((w) => w.lemmaFrom <= pos).at(-1);
    if (!word) return pos;
    if (pos >= word.lemmaTo) return word.to + (pos - word.lemmaTo);
    return Math.min(word.from + (pos - word.lemmaFrom), word.to);
  };
  return patterns.map((pattern) =>
    pattern.lemma
      ? plainSearch(pattern, lemma).map((s) => ({ start: original(s.start), end: original(s.end) }))
      : plainSearch(pattern, folded),
  );
}

function readTexts(): string[] {
  const texts: string[] = [];
  const fixtures = new URL('./fixtures/', import.meta.url);
  const files = [
    'gold/findings.jsonl',
    'gold-more/findings.jsonl',
    ...readdirSync(fixtures).filter((name) => /^tagger-extra.*\.jsonl$/.test(name)),
  ];
  for (const file of files)
    for (const line of readFileSync(new URL(file, fixtures), 'utf8').split('\n'))
      if (line.trim() !== '') texts.push((JSON.parse(line) as { text: string }).text);
  const letters = new URL('../data/letters/', import.meta.url);
  for (const name of readdirSync(letters))
    for (const finding of parseLetter(readFileSync(new URL(name, letters), 'utf8'), name).findings)
      texts.push(finding.text);
  return texts;
}

const patterns = allPatterns(defaultTaxonomy);
const texts = readTexts();

/** Compares the tagger's words and matching with the plain ways on one text, naming the pattern. */
function expectSameMatches(text: string): void {
  const words = [...text.matchAll(WORD_RE)].map((m) => ({
    start: m.index,
    end: m.index + m[0].length,
  }));
  if (JSON.stringify(wordsOf(text)) !== JSON.stringify(words))
    expect({ text, words: wordsOf(text) }).toEqual({ text, words });
  const fast = matchPatterns(text, defaultTaxonomy, patterns);
  const plain = reference(text, patterns);
  patterns.forEach((pattern, i) => {
    if (JSON.stringify(fast[i]) !== JSON.stringify(plain[i]))
      expect({ text, pattern: pattern.regex.source, spans: fast[i] }).toEqual({
        text,
        pattern: pattern.regex.source,
        spans: plain[i],
      });
  });
}

describe('the tagger matching cues where words begin', () => {
  it('covers cues with word beginnings of one letter or digit, and the rest', () => {
    // The pre-check (taxonomy.ts) takes beginnings of one character too: "s.47", "a minority".
    const checked = patterns.filter((p) => p.anyOf !== null);
    expect(checked.some((p) => p.anyOf?.some((b) => b.length === 1))).toBe(true);
    expect(checked.length).toBeGreaterThan(patterns.length * 0.9);
    expect(patterns.some((p) => p.lemma)).toBe(true);
  });

  it('finds what a search of the whole text finds, on the labelled findings and the letters', () => {
    expect(texts.length).toBeGreaterThan(500);
    for (const text of texts) expectSameMatches(text);
  });

  it('finds the same in variants: case, typography, hyphens, words dropped or swapped', () => {
    const variants = texts
      .filter((_, i) => i % 2 === 0)
      .flatMap((text, i) => {
        const words = text.split(' ');
        const swapped = [...words];
        const a = (i * 7) % words.length;
        const b = (i * 13) % words.length;
        [swapped[a], swapped[b]] = [swapped[b] ?? '', swapped[a] ?? ''];
        return [
          text.toUpperCase(),
          text.toLowerCase(),
          text.replace(/'/g, '\u2019').replace(/-/g, '\u2013').replace(/ /g, '\u00A0'),
          text.replace(/ /g, '-'),
          text.replace(/-/g, ' ').replace(/ /g, '  '),
          words.filter((_, k) => (k + i) % 5 !== 0).join(' '),
          swapped.join(' '),
          `${text} ${texts[(i + 1) % texts.length]}`,
        ];
      });
    for (const text of variants) expectSameMatches(text);
  });

  it('finds the same in arbitrary text, cue words and odd characters mixed', () => {
    const cueWords = [
      ...new Set(patterns.flatMap((p) => p.regex.source.match(/[A-Za-z]{2,}/g) ?? [])),
    ].slice(0, 800);
    const pieces = [
      ...cueWords,
      ...["children's", "child's", 'childrens’', "'s", "o'clock", "'", "''", 'don’t'],
      ...["parents'", "carers' views", "'quoted'", "a'", "'b"],
      ...['s.47', 'S47', 's 47', 'section 47', '7', '10', 'e-CAF', 'eCAF', 'CAF', 'IT systems'],
      ...[
        '_',
        'snake_case',
        'x_1',
        'Ａ',
        'é',
        'naïve',
        'ſ',
        'K',
        '\u{1D400}',
        '\u{1F600}',
        '\uD800',
      ],
      ...[
        '.',
        ',',
        ';',
        '(',
        ')',
        '"',
        '“',
        '”',
        '–',
        '—',
        '-',
        '\u00A0',
        '\n',
        '  ',
        '\t',
        '\u2028',
      ],
    ];
    const text = fc.oneof(
      fc
        .array(fc.constantFrom(...pieces), { maxLength: 50 })
        .chain((words) => fc.constantFrom(' ', '-', '', '  ').map((joint) => words.join(joint))),
      fc.string({ unit: 'grapheme', maxLength: 200 }),
      fc.string({ unit: 'binary', maxLength: 200 }),
    );
    fc.assert(
      fc.property(text, (t) => {
        expectSameMatches(t);
      }),
      { numRuns: 1500 },
    );
  });

  it('tags a text the same however often and in whatever order texts come', () => {
    // The matching keeps buffers from one finding to the next: nothing may carry over.
    const once = texts.slice(0, 100).map((t) => tagThemes(t, defaultTaxonomy));
    const backwards = texts
      .slice(0, 100)
      .reverse()
      .map((t) => tagThemes(t, defaultTaxonomy))
      .reverse();
    expect(backwards).toEqual(once);
  });
});
