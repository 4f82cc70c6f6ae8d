/**
 * Finding a letter among hundreds by typing: each word typed must appear in what the picker
 * knows of a letter (council, region, year, reporting year, date, kind of document, its id).
 */
import { formatDate } from '@/lib/format';
import type { LetterListRow } from './letter-sql';

/** How many matches the picker lists at once; the rest are counted, to be narrowed by typing. */
export const PICKER_LIMIT = 50;

/** A document kind in words. */
export function documentKindLabel(kind: string): string {
  return kind === 'council_report' ? "Council's own report" : 'Ofsted letter';
}

/** Lower case, accents and curly quotes folded, so that "Councils" finds "Council’s". */
function fold(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[\u2018\u2019\u201B\u0060\u00B4]/g, "'")
    .replace(/[\u2010-\u2015]/g, '-')
    .toLowerCase();
}

/** Everything a typed word can match in a letter. */
export function letterSearchText(row: LetterListRow): string {
  return fold(
    [
      row.council_name,
      row.region ?? '',
      String(row.inspection_year ?? ''),
      row.reporting_year ?? '',
      formatDate(row.inspection_start),
      documentKindLabel(row.document_kind),
      row.document_kind === 'council_report' ? 'council report' : '',
      row.letter_id,
      row.added ? 'added by you' : '',
      row.warning_count > 0 ? 'warnings' : '',
    ].join(' \u0000 '),
  );
}

/** The words of a query, folded; commas and extra spaces ignored. */
export function queryWords(query: string): string[] {
  return fold(query)
    .split(/[\s,;]+/)
    .filter((word) => word.length > 0);
}

/**
 * The letters every word of `query` appears in, all for none. Those where more of the words
 * typed stand together as typed come first ("north east" the region before Northamptonshire in
 * the East Midlands), then those whose council's name starts with the query (then with its first
 * word); otherwise in the list's own order.
 */
export function matchLetters<Row extends LetterListRow>(
  rows: readonly Row[],
  query: string,
  texts: ReadonlyMap<Row, string> = new Map(),
): Row[] {
  const words = queryWords(query);
  if (words.length === 0) return [...rows];
  const whole = words.join(' ');
  const pairs = words.slice(1).map((word, i) => `${words[i]} ${word}`);
  const scored: { row: Row; together: number; score: number; index: number }[] = [];
  rows.forEach((row, index) => {
    const text = texts.get(row) ?? letterSearchText(row);
    if (!words.every((word) => text.includes(word))) return;
    const council = fold(row.council_name);
    const score = council.startsWith(whole)
      ? 2
      : council.split(/[\s-]+/).some((part) => part.startsWith(words[0]!))
        ? 1
        : 0;
    const together = pairs.filter((pair) => text.includes(pair)).length;
    scored.push({ row, together, score, index });
  });
  scored.sort((a, b) => b.together - a.together || b.score - a.score || a.index - b.index);
  return scored.map((s) => s.row);
}
