import { FILTER_PARAMS, SECTION_LABELS, SOURCE_LABELS, type FilterKey } from '@/lib/filters';
import { toCsv, type TableColumn } from '@/lib/csv';

/**
 * What every export says about itself (src/lib/export-csv.ts, the data workbook, chart images):
 * the filters in force, in words and as a short slug for the file name, and the notes that head
 * a CSV file. Pure: the page and the tests call the same functions.
 */

/** The site's name, first on every export's notes. */
export const SITE_NAME = 'Front-door inspections 2009-12';

/** One setting in force on an export: its URL parameter, its value, and how it is written. */
export interface ExportFilter {
  param: string;
  /** What people call the setting, e.g. `Region`. */
  label: string;
  /** The value as the URL holds it. */
  value: string;
  /** The value in words, e.g. a theme's label with its id. */
  text: string;
  /** The setting in a file name, e.g. `region-london`; a reporting year is its value alone. */
  slug: string;
}

/** A council as the exports name it: its name, codes and region (a row of `councils`). */
export interface CouncilRef {
  council_name: string;
  la_code: string | null;
  dfe_la_code: number | null;
  region: string | null;
}

/** Names read from the data that the notes use in place of ids. */
export interface ExportNames {
  /** Theme id → label. */
  themes: ReadonlyMap<string, string>;
  councils: readonly CouncilRef[];
}

/** No names known (the data engine not up): ids are written as they are. */
export const NO_NAMES: ExportNames = { themes: new Map(), councils: [] };

/**
 * URL parameters that choose how a view looks, not which data it shows (the view, a panel's
 * Chart or Table choice and sort, the finding in focus), and the saved themes' definitions that
 * every link carries: left out of the notes and file names. Any other parameter a view reads
 * narrows or changes what it counts, and is named.
 */
const NOT_FILTERS = new Set(['view', 'sort', 'table', 'tsort', 'finding', 'mine']);

/** Labels of the view's own settings; one not listed is named by its parameter. */
const VIEW_PARAM_LABELS: Readonly<Record<string, string>> = {
  council: 'Council',
  councils: 'Councils',
  letter: 'Letter',
  theme: 'Theme',
  themes: 'Themes',
  a: 'First theme',
  b: 'Second theme',
  group: 'Theme group',
  q: 'Search',
  measure: 'Counting',
};

/** The order view settings are named in; unlisted ones follow, by name. */
const VIEW_PARAM_ORDER = Object.keys(VIEW_PARAM_LABELS);

const SHARED_LABELS: Record<FilterKey, string> = {
  year: 'Reporting year',
  region: 'Region',
  laType: 'Council type',
  kind: 'Document',
  section: 'Section',
  source: 'Source',
  tags: 'Theme tags',
};

/** Shared filters in the order file names give them: the reporting year last, as in a date. */
const SHARED_ORDER: readonly FilterKey[] = [
  'region',
  'laType',
  'kind',
  'section',
  'source',
  'tags',
  'year',
];

/** Text as a file-name part: lower case ASCII letters and digits joined by single hyphens. */
export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** `ofsted_letter` → `Ofsted letter`. */
function humanise(value: string): string {
  const words = value.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function themeText(id: string, names: ExportNames): string {
  const label = names.themes.get(id);
  return label ? `${label} (${id})` : id;
}

function councilBySlug(slug: string, names: ExportNames): CouncilRef | undefined {
  return names.councils.find((c) => slugify(c.council_name) === slug);
}

function councilByDfe(number: string, names: ExportNames): CouncilRef | undefined {
  return names.councils.find((c) => String(c.dfe_la_code) === number);
}

/** A view's own setting in words and as a slug. */
function viewFilter(param: string, value: string, names: ExportNames): ExportFilter {
  const label = VIEW_PARAM_LABELS[param] ?? param;
  const list = value.split(',').filter(Boolean);
  switch (param) {
    case 'theme':
    case 'a':
    case 'b':
      return {
        param,
        label,
        value,
        text: themeText(value, names),
        slug: `theme-${slugify(value)}`,
      };
    case 'themes':
      return {
        param,
        label,
        value,
        text: list.map((id) => themeText(id, names)).join(', '),
        slug: `themes-${list.map(slugify).join('-')}`,
      };
    case 'council': {
      const council = councilBySlug(value, names);
      return {
        param,
        label,
        value,
        text: council?.council_name ?? value,
        slug: `council-${slugify(value)}`,
      };
    }
    case 'councils': {
      const named = list.map((n) => councilByDfe(n, names)?.council_name ?? n);
      return {
        param,
        label,
        value,
        text: named.join(', '),
        slug: `councils-${named.map(slugify).join('-')}`,
      };
    }
    case 'q':
      return { param, label, value, text: value, slug: `search-${slugify(value)}` };
    default:
      return { param, label, value, text: value, slug: `${slugify(param)}-${slugify(value)}` };
  }
}

/** A shared filter in words and as a slug. */
function sharedFilter(key: FilterKey, param: string, value: string): ExportFilter {
  const label = SHARED_LABELS[key];
  switch (key) {
    case 'year':
      return { param, label, value, text: value, slug: slugify(value) };
    case 'laType':
      return { param, label, value, text: value, slug: `type-${slugify(value)}` };
    case 'kind':
      return { param, label, value, text: humanise(value), slug: `kind-${slugify(value)}` };
    case 'section':
      return {
        param,
        label,
        value,
        text: SECTION_LABELS[value as keyof typeof SECTION_LABELS] ?? value,
        slug: `section-${slugify(value)}`,
      };
    case 'source':
      return {
        param,
        label,
        value,
        text: SOURCE_LABELS[value as keyof typeof SOURCE_LABELS] ?? value,
        slug: `source-${slugify(value)}`,
      };
    case 'tags':
      return { param, label, value, text: 'uncertain tags left out', slug: 'sure-tags' };
    default:
      return { param, label, value, text: value, slug: `${slugify(param)}-${slugify(value)}` };
  }
}

/**
 * The settings in force on what a view shows: its own settings from the URL (a theme, a council,
 * a search), then the shared filters it applies (`sharedKeys`; null: every shared filter set).
 * Shared filters set in the URL that the view does not apply change nothing, and are left out.
 */
export function filtersInForce(
  params: URLSearchParams,
  sharedKeys: readonly FilterKey[] | null,
  names: ExportNames = NO_NAMES,
): ExportFilter[] {
  const sharedParams = new Set(FILTER_PARAMS.map((f) => f.param));
  const own: ExportFilter[] = [];
  const seen = new Set<string>();
  for (const [param, raw] of params) {
    const value = raw.trim();
    if (!value || seen.has(param) || NOT_FILTERS.has(param) || sharedParams.has(param)) continue;
    seen.add(param);
    own.push(viewFilter(param, value, names));
  }
  const rank = (param: string) => {
    const i = VIEW_PARAM_ORDER.indexOf(param);
    return i === -1 ? VIEW_PARAM_ORDER.length : i;
  };
  own.sort((x, y) => rank(x.param) - rank(y.param) || x.param.localeCompare(y.param));
  const shared: ExportFilter[] = [];
  for (const key of SHARED_ORDER) {
    if (sharedKeys && !sharedKeys.includes(key)) continue;
    const param = FILTER_PARAMS.find((f) => f.key === key)!.param;
    const value = params.get(param)?.trim();
    if (value) shared.push(sharedFilter(key, param, value));
  }
  return [...own, ...shared];
}

/** The filters in words, `Region = London; Reporting year = 2010-11`, or `none`. */
export function filtersText(filters: readonly ExportFilter[]): string {
  return filters.length === 0 ? 'none' : filters.map((f) => `${f.label} = ${f.text}`).join('; ');
}

/** The longest file name stem (before the extension) an export is given. */
export const MAX_STEM = 120;

/**
 * A file name carrying the view and the filters:
 * `evidence_theme-late-assessments_region-london_2010-11.csv` (the view's id first, unless the
 * base name begins with it). A filter already said by the name is not repeated, a long one is
 * cut short, and when the name would be too long the filters that do not fit are left out for
 * `_more-filters` (the file's notes name them all).
 */
export function exportFileName(
  base: string,
  filters: readonly ExportFilter[],
  extension: string,
  view: string | null = null,
): string {
  const own = slugify(base.replace(/\.[a-z]+$/i, '')) || 'export';
  const viewSlug = view ? slugify(view) : '';
  const stem = !viewSlug || `${own}-`.startsWith(`${viewSlug}-`) ? own : `${viewSlug}_${own}`;
  const parts: string[] = [];
  let dropped = false;
  let length = stem.length;
  const room = MAX_STEM - '_more-filters'.length;
  for (const filter of filters) {
    const slug = shorten(filter.slug, MAX_PART);
    const valueSlug = slugify(filter.value);
    if (!slug || (valueSlug && `-${stem.replace(/_/g, '-')}-`.includes(`-${valueSlug}-`))) continue;
    // One that does not fit is left out; a shorter one after it may still fit.
    if (length + 1 + slug.length > room) {
      dropped = true;
      continue;
    }
    parts.push(slug);
    length += 1 + slug.length;
  }
  return `${[stem, ...parts].join('_')}${dropped ? '_more-filters' : ''}.${extension}`;
}

/** The longest one filter is in a file name (a long search is cut at a word). */
const MAX_PART = 40;

/** A slug cut to at most `max` characters, at a hyphen where there is one. */
function shorten(slug: string, max: number): string {
  const trimmed = slug.replace(/^-+|-+$/g, '');
  if (trimmed.length <= max) return trimmed;
  const cut = trimmed.slice(0, max);
  const hyphen = cut.lastIndexOf('-');
  return (hyphen > max / 2 ? cut.slice(0, hyphen) : cut).replace(/-+$/, '');
}

/** What an export says about itself. */
export interface ExportNotes {
  /** What the export holds, e.g. a chart's title and its view. */
  title: string;
  filters: readonly ExportFilter[];
  /** The data version line's text ({@link versionText}). */
  version: string;
  /** When it was made. */
  made: Date;
  /** The page's address when it was made, to open the same view again. */
  link?: string;
}

/** The data's version in words: the build's version and day, and letters added in the page. */
export function versionText(
  version: { version: string; builtOn: string | null } | null,
  addedLetters = 0,
): string {
  const base = version
    ? `${version.version}${version.builtOn ? `, built ${version.builtOn}` : ''}`
    : 'unknown';
  if (addedLetters <= 0) return base;
  return `${base}; with ${addedLetters} ${addedLetters === 1 ? 'letter' : 'letters'} added in this browser`;
}

/** An instant as ISO 8601 to the second, in UTC: `2025-12-04T15:30:12Z`. */
export function isoSecond(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** How many note lines head every CSV the page writes (so a reader can skip them). */
export const CSV_NOTE_LINES = 5;

/**
 * The notes as lines, without the `# ` a CSV puts before them: the site and title, the filters,
 * the data version, when made, and the link (always {@link CSV_NOTE_LINES} lines).
 */
export function noteLines(notes: ExportNotes): string[] {
  return [
    `${SITE_NAME}: ${notes.title}`,
    `filters: ${filtersText(notes.filters)}`,
    `data version: ${notes.version}`,
    `made: ${isoSecond(notes.made)}`,
    `link: ${notes.link ?? 'none'}`,
  ];
}

/** The council codes and region an export adds beside a council's name, when its table lacks them. */
const COUNCIL_COLUMNS: readonly { key: keyof CouncilRef & string; label: string }[] = [
  { key: 'la_code', label: 'ONS code' },
  { key: 'dfe_la_code', label: 'DfE number' },
  { key: 'region', label: 'Region' },
];

/** A row of an export after {@link withCouncilColumns}. */
export type ExportRow = Record<string, unknown>;

/**
 * Rows whose table names councils (a column keyed `council_name`, or marked `council`) with each
 * council's ONS code, DfE number and region after its name, where the table has no such column:
 * a row's own value first (a letter added in the page), else the council's in `councils`.
 */
export function withCouncilColumns<Row>(
  rows: readonly Row[],
  columns: readonly TableColumn<Row>[],
  councils: readonly CouncilRef[],
): { rows: ExportRow[]; columns: TableColumn<ExportRow>[] } {
  const plainColumns = columns as unknown as readonly TableColumn<ExportRow>[];
  const at = plainColumns.findIndex((c) => c.council || c.key === 'council_name');
  if (at === -1) return { rows: rows as unknown as ExportRow[], columns: [...plainColumns] };
  const nameKey = plainColumns[at]!.key;
  const missing = COUNCIL_COLUMNS.filter((m) => !plainColumns.some((c) => c.key === m.key));
  if (missing.length === 0)
    return { rows: rows as unknown as ExportRow[], columns: [...plainColumns] };
  const byName = new Map(councils.map((c) => [c.council_name.toLowerCase(), c]));
  const bySlug = new Map(councils.map((c) => [slugify(c.council_name), c]));
  const enriched = (rows as unknown as readonly ExportRow[]).map((row) => {
    const name = row[nameKey];
    const council =
      typeof name === 'string'
        ? (byName.get(name.toLowerCase()) ?? bySlug.get(slugify(name)))
        : undefined;
    const extra: ExportRow = {};
    for (const { key } of missing) extra[key] = row[key] ?? council?.[key] ?? null;
    return { ...row, ...extra };
  });
  return {
    rows: enriched,
    columns: [
      ...plainColumns.slice(0, at + 1),
      ...missing.map(({ key, label }) => ({ key, label })),
      ...plainColumns.slice(at + 1),
    ],
  };
}

/** What a CSV export is made of: its base file name, title, rows and columns. */
export interface CsvRequest<Row> {
  /** The file name without the filters or extension, e.g. `weakness-themes`. */
  fileName: string;
  /** What the table shows (a panel's heading); the file name in words when absent. */
  title?: string;
  rows: readonly Row[];
  columns: readonly TableColumn<Row>[];
}

/** Where and when a CSV is made: the view, its settings, the data and the names behind ids. */
export interface CsvContext {
  /** The open view's id, e.g. `evidence`, which file names begin with. */
  viewId: string | null;
  /** The open view's name, e.g. `Evidence`. */
  viewLabel: string | null;
  params: URLSearchParams;
  /** The shared filters the view applies; null: every one set in the URL. */
  sharedKeys: readonly FilterKey[] | null;
  names: ExportNames;
  version: string;
  made: Date;
  link?: string;
}

/** A request's title: its own, or its file name in words, with the view it comes from. */
export function exportTitle(
  request: { fileName: string; title?: string },
  viewLabel: string | null,
) {
  const own = request.title ?? humanise(request.fileName.replace(/-/g, ' '));
  return viewLabel && viewLabel !== own ? `${own} (${viewLabel})` : own;
}

/**
 * A CSV file as the page writes it: named with the filters in force, its notes first (title,
 * filters, data version, when made, link; {@link CSV_NOTE_LINES} lines), then the table, with
 * councils' codes and region beside their names.
 */
export function buildCsvExport<Row>(
  request: CsvRequest<Row>,
  context: CsvContext,
): { fileName: string; text: string; filters: ExportFilter[] } {
  const filters = filtersInForce(context.params, context.sharedKeys, context.names);
  const table = withCouncilColumns(request.rows, request.columns, context.names.councils);
  const notes = noteLines({
    title: exportTitle(request, context.viewLabel),
    filters,
    version: context.version,
    made: context.made,
    link: context.link,
  });
  return {
    fileName: exportFileName(request.fileName, filters, 'csv', context.viewId),
    text: toCsv(table.rows, table.columns, notes),
    filters,
  };
}
