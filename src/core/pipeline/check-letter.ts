import { SECTION_HEADINGS } from '../schema';
import type { ParsedLetter } from './parse-letter';
import { MONTH_NAMES } from './read-metadata';

/**
 * What a letter that was read right looks like, from the labelled letters (the five seeds and
 * the seven of letters-more): 12 to 21 findings, 4 to 134 words each and none over 4.4 times its
 * letter's median, inspections of two days in 2009-11, letters dated 22 to 37 days after the
 * inspection began. Each limit leaves room beyond that, so that only a letter far from the usual
 * is flagged.
 */
export interface LetterLimits {
  /** A finding longer than this (in words) is flagged: the longest real one has 134. */
  longFindingWords: number;
  /**
   * A finding of at least `outlierWords` words and `outlierRatio` times its letter's median is
   * flagged too: a list of a few items run together. The real ones of 99 words or more stand at
   * most 3.8 times their letter's median (North Yorkshire 2009: 134 words, median 35.5).
   */
  outlierWords: number;
  outlierRatio: number;
  /** A finding shorter than this (in words) is flagged: the shortest real one has 4. */
  shortFindingWords: number;
  /** Fewer findings than this are flagged. */
  fewFindings: number;
  /** More findings than this are flagged. */
  manyFindings: number;
  /** The usual number of findings, quoted in the warning. */
  usualFindings: readonly [number, number];
  /** The calendar years the inspections ran in; a start outside them is flagged. */
  inspectionYears: readonly [number, number];
  /** An inspection longer than this (in days, first to last) is flagged: they took two. */
  inspectionDays: number;
  /** A letter dated more than this many days after the inspection began is flagged. */
  letterDaysAfter: number;
}

/** The limits `checkLetter` uses unless given others. */
export const LETTER_LIMITS: LetterLimits = {
  longFindingWords: 200,
  outlierWords: 150,
  outlierRatio: 4.5,
  shortFindingWords: 3,
  fewFindings: 6,
  manyFindings: 45,
  usualFindings: [8, 30],
  inspectionYears: [2009, 2013],
  inspectionDays: 7,
  letterDaysAfter: 120,
};

// Bullet glyphs that splitLines peels from the start of a line: inside a finding they mean that
// list items were joined into it (U+F0B7 and U+F0A7 are Word's Symbol-font bullets).
const INNER_BULLET_RE = /\s[•●▪■◦○►➢✓\uF0B7\uF0A7]\s/gu;

// Text decoded with the wrong encoding: U+FFFD for bytes that were not UTF-8, C1 controls for
// Windows-1252 punctuation read as Latin-1, and UTF-8 read as Windows-1252 ("â€™", "Ã©").
const MISDECODED_RE = /\uFFFD|[\u0080-\u009F]|â€.|Ã[\u00A0-\u00BF]/gu;

/** "1,240" for 1240: digits grouped the same on every machine. */
function formatNumber(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** "12 August 2009" for "2009-08-12". */
function formatDate(iso: string): string {
  const [year, month, day] = iso.split('-').map(Number);
  return `${day} ${MONTH_NAMES[(month ?? 1) - 1]} ${year}`;
}

/** Whole days from one ISO date to another. */
function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** A text quoted on one line, cut short when long. */
function quote(text: string, max = 60): string {
  const clean = text
    .replace(/\s+/g, ' ')
    .replace(/[*_#]+/g, '')
    .trim();
  return `"${clean.length > max ? `${clean.slice(0, max - 1).trimEnd()}…` : clean}"`;
}

/** "1 finding", "1,240 findings". */
function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatNumber(n)} ${n === 1 ? one : many}`;
}

/** Warnings about what the letter says of itself: council, dates and signatory. */
function checkMetadata(letter: ParsedLetter, limits: LetterLimits): string[] {
  const m = letter.metadata;
  const warnings: string[] = [];
  const isLetter = m.documentKind === 'ofsted_letter';
  if (m.council === null)
    warnings.push(
      `council ${quote(m.councilName)} not recognised (not in the reference table): no ONS code, DfE number or region`,
    );
  if (!m.inspectionDatesFound) {
    warnings.push(
      `no inspection date found: the letter's date (${formatDate(m.inspectionStart)}) stands in for it, so the inspection year and the letter's id may be a few weeks out`,
    );
  } else {
    const [first, last] = limits.inspectionYears;
    if (m.inspectionYear < first || m.inspectionYear > last)
      warnings.push(
        `the inspection date, ${formatDate(m.inspectionStart)}, is outside the years these inspections ran (${first}-${last}): a date may have been misread`,
      );
    const span = daysBetween(m.inspectionStart, m.inspectionEnd);
    if (span < 0)
      warnings.push(
        `the inspection ends (${formatDate(m.inspectionEnd)}) before it starts (${formatDate(m.inspectionStart)}): a date may have been misread`,
      );
    else if (span + 1 > limits.inspectionDays)
      warnings.push(
        `the inspection runs ${formatNumber(span + 1)} days, ${formatDate(m.inspectionStart)} to ${formatDate(m.inspectionEnd)} (inspections took two days): a date may have been misread`,
      );
    if (m.letterDate !== null) {
      const after = daysBetween(m.inspectionStart, m.letterDate);
      if (m.letterDate < m.inspectionEnd)
        warnings.push(
          `the letter is dated ${formatDate(m.letterDate)}, before the inspection ended (${formatDate(m.inspectionEnd)}): a date may have been misread`,
        );
      else if (after > limits.letterDaysAfter)
        warnings.push(
          `the letter is dated ${formatDate(m.letterDate)}, ${formatNumber(after)} days after the inspection began (letters came within about five weeks): a date may have been misread`,
        );
    }
  }
  // A council's own report carries neither (data-contract.md): only Ofsted's letters are flagged.
  if (isLetter && m.letterDate === null) warnings.push('no letter date found');
  if (isLetter && m.inspector === null) warnings.push('no signatory found');
  return warnings;
}

/** Warnings about the letter's sections and how many findings it gave. */
function checkStructure(letter: ParsedLetter, limits: LetterLimits): string[] {
  const warnings: string[] = [];
  const count = letter.findings.length;
  if (letter.headings.length === 0 && letter.metadata.documentKind === 'ofsted_letter')
    warnings.push(`${plural(count, 'finding')} but no section headings recognised`);
  for (const heading of letter.headings) {
    if (heading.findings + heading.notes > 0) continue;
    const name = heading.text.length <= 60 ? heading.text : SECTION_HEADINGS[heading.section];
    warnings.push(
      `the section ${quote(name.replace(/[\s:.]+$/, ''))} has a heading but no findings`,
    );
  }
  const [usualLow, usualHigh] = limits.usualFindings;
  if (count < limits.fewFindings)
    warnings.push(
      `only ${plural(count, 'finding')} (letters usually have ${usualLow}-${usualHigh}): a list may have run together or a heading been missed`,
    );
  else if (count > limits.manyFindings)
    warnings.push(
      `${plural(count, 'finding')} (letters usually have ${usualLow}-${usualHigh}): lines that are not findings may have been read as findings`,
    );
  return warnings;
}

/** The number of words (runs of characters other than spaces and controls) in a text. */
function countWords(text: string): number {
  let count = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i += 1) {
    const space = text.charCodeAt(i) <= 32;
    if (!space && !inWord) count += 1;
    inWord = !space;
  }
  return count;
}

/** The middle value of a list of numbers (the mean of the middle two for an even count). */
function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? 0)
    : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** Warnings about single findings: far too long, far too short, or holding a list's bullets. */
function checkFindings(letter: ParsedLetter, limits: LetterLimits): string[] {
  const warnings: string[] = [];
  const lengths = letter.findings.map((finding) => countWords(finding.text));
  const middle = median(lengths);
  for (const [i, finding] of letter.findings.entries()) {
    const words = lengths[i] ?? 0;
    if (words > limits.longFindingWords)
      warnings.push(
        `finding ${finding.position} is ${formatNumber(words)} words long (real findings are under ${limits.longFindingWords}): a list may have run together`,
      );
    else if (words >= limits.outlierWords && words >= limits.outlierRatio * middle)
      warnings.push(
        `finding ${finding.position} is ${formatNumber(words)} words long, ${(words / middle).toFixed(1)} times this letter's median of ${formatNumber(Math.round(middle))}: a list may have run together`,
      );
    else if (words < limits.shortFindingWords)
      warnings.push(
        `finding ${finding.position} is only ${plural(words, 'word')} long (${quote(finding.text)}): a heading or page furniture may have been read as a finding`,
      );
    const bullets = finding.text.match(INNER_BULLET_RE)?.length ?? 0;
    if (bullets > 0)
      warnings.push(
        `finding ${finding.position} holds ${plural(bullets, 'bullet mark')} inside it: a list may have run together`,
      );
  }
  return warnings;
}

/** A warning when the text holds characters that look decoded with the wrong encoding. */
function checkText(letter: ParsedLetter): string[] {
  const matches = letter.sourceText.match(MISDECODED_RE);
  if (!matches) return [];
  const first = matches[0] ?? '';
  // A C1 control cannot be seen: it is named by its code point.
  const example = /^[\u0080-\u009F]$/.test(first)
    ? `U+${first.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`
    : `"${first}"`;
  return [
    `wrongly decoded text in ${plural(matches.length, 'place')} (e.g. ${example}): the file's encoding may have been misread`,
  ];
}

/**
 * One-line warnings, in plain English with the figures, about a letter that was read but looks
 * wrong: a heading with nothing under it, a finding longer than any real one, dates missing or
 * out of place, counts far from the usual. None for a letter that looks as real ones do.
 */
export function checkLetter(letter: ParsedLetter, limits: LetterLimits = LETTER_LIMITS): string[] {
  return [
    ...checkMetadata(letter, limits),
    ...checkStructure(letter, limits),
    ...checkFindings(letter, limits),
    ...checkText(letter),
  ];
}
