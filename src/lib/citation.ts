/**
 * Where a quoted finding comes from, said the same way in every view and export: whose words
 * they are (Ofsted's, or a council's own report), the document, its date, the section and the
 * finding's number in it, the page where the file has pages, and the file's name. Pure.
 */
import type { DocumentKind, Section } from '@/core/schema';
import { formatDate } from '@/lib/format';

/** What a finding's provenance is made of: its letter's fields and its place in the letter. */
export interface FindingSource {
  finding_id: string;
  letter_id: string;
  document_kind: DocumentKind | string;
  council_name: string;
  letter_date: string | null;
  inspection_start: string | null;
  source_file: string;
  /** Added in this browser, not part of the published data. */
  added: boolean;
  section: Section | string;
  /** 1-based number of the finding within its section, as a reader counts the list. */
  section_position: number;
  /** 1-based position in the whole document. */
  position: number;
  page: number | null;
}

/** A row that carries a finding's provenance, whose inspection date may be missing. */
export type FindingSourceRow = Omit<FindingSource, 'inspection_start'> & {
  inspection_start?: string | null;
};

/**
 * A listed finding's or quote's provenance as the functions below read it: the row itself, a
 * missing inspection date made null.
 */
export function sourceOf(row: FindingSourceRow): FindingSource {
  return { ...row, inspection_start: row.inspection_start ?? null };
}

/** Each section's name for one finding, as a citation says it ("area for development 3"). */
const SECTION_SINGULAR: Record<string, string> = {
  strength: 'strength',
  satisfactory: 'satisfactory practice',
  development: 'area for development',
  priority_action: 'area for priority action',
};

/** The section and the finding's number in it, e.g. "area for development 3". */
export function placeInSection(
  source: Pick<FindingSource, 'section' | 'section_position'>,
): string {
  return `${SECTION_SINGULAR[source.section] ?? source.section} ${source.section_position}`;
}

/** Whose words a finding is: Ofsted's for a letter, the council's for its own report. */
export function author(source: Pick<FindingSource, 'document_kind' | 'council_name'>): string {
  return source.document_kind === 'council_report' ? `${source.council_name} Council` : 'Ofsted';
}

/** The kind of document, as a label: "Ofsted letter", "Council report", each "added by you". */
export function documentLabel(source: Pick<FindingSource, 'document_kind' | 'added'>): string {
  const kind = source.document_kind === 'council_report' ? 'Council report' : 'Ofsted letter';
  return source.added ? `${kind}, added in this browser` : kind;
}

/** The document's own date, else the inspection's; null when it has neither. */
function dateOf(source: Pick<FindingSource, 'letter_date' | 'inspection_start'>): string | null {
  return source.letter_date ?? source.inspection_start;
}

/**
 * One line of provenance: "Ofsted letter · Leeds · 12 August 2009 · area for development 3 ·
 * page 2 · leeds.pdf", a council's report saying "Council report (the council's words, not
 * Ofsted's)".
 */
export function provenanceLine(source: FindingSource): string {
  const date = dateOf(source);
  const kind =
    source.document_kind === 'council_report'
      ? `${documentLabel(source)} (the council's words, not Ofsted's)`
      : documentLabel(source);
  return [
    kind,
    source.council_name,
    date ? formatDate(date) : null,
    placeInSection(source),
    source.page === null ? null : `page ${source.page}`,
    source.source_file,
  ]
    .filter((part): part is string => part !== null && part !== '')
    .join(' · ');
}

/**
 * A reference to paste: "Ofsted (2009) Unannounced inspection of contact, referral and assessment
 * arrangements: Leeds, letter of 12 August 2009, area for development 3." A council's report is
 * cited as the council's; a page is given where the file has pages; a letter added in this
 * browser says so and names its file.
 */
export function citation(source: FindingSource): string {
  const date = dateOf(source);
  const year = date ? date.slice(0, 4) : 'n.d.';
  const report = source.document_kind === 'council_report';
  const title = report
    ? `Report on Ofsted's unannounced inspection of contact, referral and assessment arrangements`
    : `Unannounced inspection of contact, referral and assessment arrangements`;
  const dated = date ? `, ${report ? 'report' : 'letter'} of ${formatDate(date)}` : '';
  const page = source.page === null ? '' : `, page ${source.page}`;
  const added = source.added
    ? ` Added in this browser from ${source.source_file}; not part of the published data.`
    : '';
  return `${author(source)} (${year}) ${title}: ${source.council_name}${dated}, ${placeInSection(source)}${page}.${added}`;
}

/**
 * A link that opens the letter at the finding, highlighted: the app's query-string route, kept
 * under whatever path the page is served from.
 */
export function findingHref(
  source: Pick<FindingSource, 'letter_id' | 'position'>,
  base: string,
): string {
  const url = new URL(base);
  url.search = new URLSearchParams({
    view: 'letter',
    letter: source.letter_id,
    finding: String(source.position),
  }).toString();
  url.hash = '';
  return url.toString();
}
