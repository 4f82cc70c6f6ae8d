import type { DocumentKind } from '../schema';
import {
  type CouncilMatcher,
  type ReferenceCouncil,
  buildCouncilMatcher,
  councilKey,
  plainCouncilName,
  stripCouncilAffixes,
} from './match-council';
import { collapseWhitespace, foldForMatching } from './normalise-text';

/** What a letter says about itself, before its findings are read. */
export interface LetterMetadata {
  documentKind: DocumentKind;
  councilName: string;
  /** The matched reference row; null when the council is not recognised. */
  council: ReferenceCouncil | null;
  letterDate: string | null;
  inspectionStart: string;
  inspectionEnd: string;
  /** False when the text gives no inspection dates and the letter's own date stands in for them. */
  inspectionDatesFound: boolean;
  inspectionYear: number;
  reportingYear: string;
  inspector: string | null;
}

/** Why a document cannot be read as a letter; the CLI reports it with the file name. */
export class LetterRejection extends Error {
  override name = 'LetterRejection';
}

/** The months' names, January first. */
export const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const MONTH =
  '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?';
const DAY = '(\\d{1,2})(?:st|nd|rd|th)?';
const YEAR = '((?:19|20)\\d{2})';
const JOIN = '\\s*(?:and|to|until|till|-|&|/)\\s*';
// "30 June and 1 July 2009", "7th and 8th July 2009", "11 and 12 May 2010", "30-31 March 2011",
// "30 June 2009 to 1 July 2009", "5 May 2010".
const RANGE_RE = new RegExp(
  `${DAY}(?:\\s+${MONTH})?(?:,?\\s+${YEAR})?${JOIN}${DAY}\\s+${MONTH},?\\s+${YEAR}`,
  'gi',
);
const SINGLE_RE = new RegExp(`${DAY}\\s+(?:of\\s+)?${MONTH},?\\s+${YEAR}`, 'gi');
// "June 30 and July 1, 2009": an American order occasionally seen in transcriptions.
const US_SINGLE_RE = new RegExp(`${MONTH}\\s+${DAY},?\\s+${YEAR}`, 'gi');

/** Month number (1-12) of a month name or abbreviation. */
function monthNumber(name: string): number {
  const key = name.toLowerCase().replace('.', '').slice(0, 3);
  return MONTH_NAMES.findIndex((m) => m.toLowerCase().startsWith(key)) + 1;
}

/** An ISO date, or null when the parts do not make a real calendar date. */
function isoDate(year: number, month: number, day: number): string | null {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || day < 1) return null;
  return date.toISOString().slice(0, 10);
}

/** A pair of dates found in a text, with where the match starts. */
interface DateSpan {
  start: string;
  end: string;
  index: number;
}

/** Every date or date range written in a text, in order. */
export function findDates(text: string): DateSpan[] {
  const folded = foldForMatching(text);
  const spans: DateSpan[] = [];
  const covered: [number, number][] = [];
  for (const m of folded.matchAll(RANGE_RE)) {
    const [, d1, m1, y1, d2, m2, y2] = m;
    const endYear = Number(y2);
    const endMonth = monthNumber(m2 ?? '');
    const startMonth = m1 ? monthNumber(m1) : endMonth;
    const startYear = y1 ? Number(y1) : startMonth > endMonth ? endYear - 1 : endYear;
    const start = isoDate(startYear, startMonth, Number(d1));
    const end = isoDate(endYear, endMonth, Number(d2));
    if (start && end && start <= end) {
      spans.push({ start, end, index: m.index });
      covered.push([m.index, m.index + m[0].length]);
    }
  }
  for (const re of [SINGLE_RE, US_SINGLE_RE]) {
    for (const m of folded.matchAll(re)) {
      if (covered.some(([s, e]) => m.index >= s && m.index < e)) continue;
      const us = re === US_SINGLE_RE;
      const day = Number(us ? m[2] : m[1]);
      const month = monthNumber((us ? m[1] : m[2]) ?? '');
      const date = isoDate(Number(m[3]), month, day);
      if (date) {
        spans.push({ start: date, end: date, index: m.index });
        covered.push([m.index, m.index + m[0].length]);
      }
    }
  }
  return spans.sort((a, b) => a.index - b.index);
}

/** The inspection's dates: the range next to "conducted on", "took place … on" and the like. */
function readInspectionDates(text: string): DateSpan | null {
  const folded = foldForMatching(text);
  const dates = findDates(folded);
  const cue =
    /\b(conducted|carried out|took place|undertaken|held|inspected|visited|inspection (?:was )?(?:on|between|from))\b/gi;
  for (const m of folded.matchAll(cue)) {
    const window = folded.slice(m.index, m.index + 160);
    if (/previous|last inspection|prior/i.test(window.slice(0, 60))) continue;
    const near = dates.find((d) => d.index >= m.index && d.index < m.index + 160);
    if (near) return near;
  }
  // Otherwise the first range in the document that does not describe an earlier inspection.
  return (
    dates.find(
      (d) =>
        d.start !== d.end &&
        !/previous|last|prior|earlier/i.test(folded.slice(Math.max(0, d.index - 120), d.index)),
    ) ?? null
  );
}

// A label that says a date is not the letter's own: a web page's publication or capture date.
const NOT_LETTER_DATE_RE =
  /\b(publication|published|publish|captured|archived|printed|accessed|retrieved|updated|modified|downloaded|ref(erence)?|urn)\b/i;
// Letterhead contact details that share a printed line with the date: "Direct T 0161 618 8524".
const CONTACT_RE =
  /\b(?:direct\s+)?(?:t|f|tel|fax|telephone|phone|minicom|textphone|dx)\b\.?:?\s*(?:\+44\s?(?:\(0\))?\s?)?\(?0?\d{2,5}\)?[\s-]?\d{3,4}[\s-]?\d{3,4}\b|\S+@\S+|\b(?:https?:\/\/|www\.)\S+/gi;

/**
 * The letter's own date: above the salutation, a date that stands alone on its line or in its
 * column of the line (a letterhead's contact details beside it are set aside), and that no label
 * marks as another date ("Publication date", "Captured").
 */
function readLetterDate(text: string, kind: DocumentKind): string | null {
  if (kind !== 'ofsted_letter') return null;
  const salutation = text.search(/^\s*\W*dear\s/im);
  const head = salutation > 0 ? text.slice(0, salutation) : text.slice(0, 1500);
  for (const line of head.split('\n')) {
    if (NOT_LETTER_DATE_RE.test(line)) continue;
    // Columns laid side by side (`pdftotext -layout`) are set apart by runs of spaces.
    for (const column of line.replace(/[*_#]/g, '').split(/\s{3,}|\t/)) {
      const clean = collapseWhitespace(column.replace(CONTACT_RE, ' '));
      if (clean.length === 0 || clean.length > 40) continue;
      const dates = findDates(clean);
      const first = dates[0];
      if (first && first.start === first.end) return first.start;
    }
  }
  return null;
}

const SIGN_OFF_RE = /^\W*yours\s+(sincerely|faithfully|truly)\W*$/i;
const ROLE_RE =
  /\b(her|his) majesty'?s\b.*$|\bhmi\b.*$|\b(divisional manager|regional director|lead inspector|inspector|director)\b.*$/i;

const NAME_WORD = "(?:\\p{Lu}[\\p{L}\\p{M}'.-]*|\\p{Ll}{1,3}'\\p{Lu}[\\p{L}\\p{M}-]*)";
const NAME_RE = new RegExp(
  `^(?:(?:Mr|Mrs|Ms|Miss|Dr)\\.?\\s+)?${NAME_WORD}(?:\\s+(?:${NAME_WORD}|van|de|von|du|la)){1,4}$`,
  'u',
);

/** The signatory: the first name-like line after "Yours sincerely". */
function readInspector(text: string): string | null {
  const lines = text.split('\n');
  const signOff = lines.findIndex((l) =>
    SIGN_OFF_RE.test(collapseWhitespace(l.replace(/[*_#]/g, ''))),
  );
  if (signOff < 0) return null;
  for (const line of lines.slice(signOff + 1, signOff + 8)) {
    let clean = collapseWhitespace(foldForMatching(line).replace(/<[^>]*>|[*_#]/g, ''));
    if (clean.length === 0) continue;
    if (/^(copy|cc|enc)/i.test(clean)) return null;
    // A placeholder for a signature image ("[signature]") stands above the name.
    if (/^[[(].*[\])]$/.test(clean)) continue;
    clean = clean
      .replace(ROLE_RE, '')
      .replace(/[,;]+$/, '')
      .trim();
    if (clean.length === 0) continue;
    // A name: two to five capitalised words (any alphabet's capitals: "Siân", "Zoë"), allowing
    // d', Mc, hyphens and initials.
    if (NAME_RE.test(clean)) return clean.replace(/^(Mr|Mrs|Ms|Miss|Dr)\.?\s+/, '');
    return null;
  }
  return null;
}

/** Tells an Ofsted letter from a council's own report on its inspection. */
function readDocumentKind(text: string): DocumentKind {
  const head = foldForMatching(text.slice(0, 3000)).toLowerCase();
  const hasSalutation = /^\s*\W*dear\s/m.test(head) || /yours\s+(sincerely|faithfully)/i.test(text);
  if (/^\W*report\s+(to|of|on|for|by)\b/m.test(head) && !hasSalutation) return 'council_report';
  if (hasSalutation || /her majesty's inspector|ofsted\.gov\.uk/.test(head)) return 'ofsted_letter';
  return 'council_report';
}

const COUNCIL_CONTEXT_RES = [
  /arrangements\s+(?:with)?in\s+(.{3,80}?)(?:'s)?\s+(?:children'?s\s+services|children'?s\s+social\s+care|children\s+and\s+young\s+people)/i,
  /children'?s\s+services\s+in\s+(.{3,80}?)\s+(?:which|that)\s+(?:was|were)\s+(?:conducted|carried)/i,
  /took\s+place\s+in\s+(.{3,60}?)\s+on\b/i,
  /report\s+to\s+(.{3,80}?)\s+(?:children'?s\s+trust|council|cabinet|scrutiny)/i,
  /inspection\s+of\s+(.{3,80}?)(?:'s)?\s+(?:contact|children'?s\s+services)/i,
];

/** The council the letter is about: from the title and opening sentences, then any mention. */
function readCouncil(
  text: string,
  matcher: CouncilMatcher,
): { name: string; council: ReferenceCouncil | null } {
  const folded = foldForMatching(text.slice(0, 6000)).replace(/\s+/g, ' ');
  let unmatched: string | null = null;
  for (const re of COUNCIL_CONTEXT_RES) {
    const m = re.exec(folded);
    const candidate = m?.[1]?.replace(/[*_#]/g, '').trim();
    if (!candidate) continue;
    const exact = matcher.exact(candidate);
    if (exact) return { name: plainCouncilName(exact.la_name), council: exact };
    const inside = matcher.mentions(candidate)[0];
    if (inside) return { name: plainCouncilName(inside.council.la_name), council: inside.council };
    unmatched ??= candidate;
  }
  // Otherwise the council the letter names most often after its salutation (the letterhead
  // above it carries Ofsted's own address: Manchester, Bristol, Nottingham, London).
  const salutation = folded.search(/\bdear\s/i);
  const body = salutation > 0 ? folded.slice(salutation) : folded;
  const inBody = matcher.mentions(body);
  const mention = (inBody.length > 0 ? inBody : matcher.mentions(folded)).sort(
    (a, b) => b.count - a.count || a.index - b.index,
  )[0];
  if (mention) return { name: plainCouncilName(mention.council.la_name), council: mention.council };
  if (unmatched) {
    const key = stripCouncilAffixes(councilKey(unmatched));
    const words = unmatched.split(/\s+/).slice(0, key.split(' ').length);
    return { name: words.join(' '), council: null };
  }
  throw new LetterRejection('no council named in the title or opening paragraphs');
}

/** Ofsted's April-to-March reporting year of a date, e.g. 2009-06-30 → "2009-10". */
export function reportingYearOf(isoDateText: string): string {
  const year = Number(isoDateText.slice(0, 4));
  const month = Number(isoDateText.slice(5, 7));
  const first = month >= 4 ? year : year - 1;
  return `${first}-${String((first + 1) % 100).padStart(2, '0')}`;
}

const defaultMatcher = { current: null as CouncilMatcher | null };

/** Reads council, dates, signatory and document kind from a normalised letter. */
export function readMetadata(text: string, matcher?: CouncilMatcher): LetterMetadata {
  if (
    !/unannounced inspection|contact,?\s+referral\s+and\s+assessment/i.test(foldForMatching(text))
  )
    throw new LetterRejection(
      'not a recognisable inspection letter: no mention of the unannounced inspection of contact, referral and assessment arrangements',
    );
  const documentKind = readDocumentKind(text);
  const letterDate = readLetterDate(text, documentKind);
  const found = readInspectionDates(text);
  // Without them the letter still goes in, placed by its own date (a few weeks after the
  // inspection), and check-letter.ts flags it.
  const dates = found ?? (letterDate ? { start: letterDate, end: letterDate } : null);
  if (!dates)
    throw new LetterRejection('no inspection dates found, nor a letter date to stand in for them');
  const councilMatcher = matcher ?? (defaultMatcher.current ??= buildCouncilMatcher());
  const { name, council } = readCouncil(text, councilMatcher);
  return {
    documentKind,
    councilName: name,
    council,
    letterDate,
    inspectionStart: dates.start,
    inspectionEnd: dates.end,
    inspectionDatesFound: found !== null,
    inspectionYear: Number(dates.start.slice(0, 4)),
    reportingYear: reportingYearOf(dates.start),
    inspector: documentKind === 'ofsted_letter' ? readInspector(text) : null,
  };
}
