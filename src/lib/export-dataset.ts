import { strToU8, zipSync } from 'fflate';
import { toCsv, type TableColumn } from '@/lib/csv';
import {
  DATASET_COLUMNS,
  DATASET_TABLE_NOTES,
  DATASET_TABLES,
  type DatasetRows,
  type DatasetTable,
} from '@/lib/export-data-sql';
import {
  exportFileName,
  filtersText,
  isoSecond,
  noteLines,
  SITE_NAME,
  type ExportFilter,
} from '@/lib/export-notes';

/**
 * The whole data set (or the letters the filters select) as files to take away: what the About
 * sheet and README say, and the zip of one CSV file per table. The workbook is built apart
 * (src/lib/export-workbook.ts), with the same rows and the same About lines.
 */

/** What a data set export says about itself. */
export interface DatasetAbout {
  /** The data version line ({@link versionText} in src/lib/export-notes.ts). */
  version: string;
  /** The day the data was built, ISO; null when unknown. */
  builtOn: string | null;
  contractVersion: string;
  /** The shared filters the export was narrowed by; none for the whole data set. */
  filters: readonly ExportFilter[];
  made: Date;
  /** The page's address when it was made. */
  link?: string;
}

/** The base name of a data set export's file, before its filters and extension. */
export const DATASET_FILE = 'front-door-inspections-data';

/** A data set export's file name, e.g. `front-door-inspections-data_region-london.xlsx`. */
export function datasetFileName(filters: readonly ExportFilter[], extension: string): string {
  return exportFileName(DATASET_FILE, filters, extension);
}

/** How many rows each table of an export holds. */
export function datasetCounts(rows: DatasetRows): Record<DatasetTable, number> {
  return Object.fromEntries(DATASET_TABLES.map((t) => [t, rows[t].length])) as Record<
    DatasetTable,
    number
  >;
}

/**
 * The About lines of a data set export, as label and text: what it is, where it comes from, its
 * version, the filters, when made, and each table with its row count.
 */
export function datasetAboutRows(
  about: DatasetAbout,
  counts: Record<DatasetTable, number>,
  place: 'sheet' | 'file',
): [string, string][] {
  return [
    ['Title', `${SITE_NAME}: the data`],
    [
      'What it is',
      "The findings of Ofsted's letters on its unannounced inspections of contact, referral and assessment arrangements in English councils' children's social care, 2009-12, each under its section, with the themes it was tagged with.",
    ],
    [
      'Source',
      `Ofsted's inspection letters to the councils, read into findings and tagged with themes by the dashboard's pipeline (data contract ${about.contractVersion}); the councils' names, codes and regions from the reference table of local authorities.`,
    ],
    ['Data version', about.version],
    ['Data built on', about.builtOn ?? 'unknown'],
    ['Data contract version', about.contractVersion],
    [
      'Filters',
      about.filters.length === 0
        ? 'none: the whole data set'
        : `${filtersText(about.filters)} (the letters these select, their findings and tags)`,
    ],
    ['Made', isoSecond(about.made)],
    ['Link', about.link ?? 'none'],
    [
      'Caution',
      'Findings and themes are read from the letters by a program: check the evidence before quoting a figure. Theme tags the program was least sure of have uncertain = true.',
    ],
    ...DATASET_TABLES.map((table): [string, string] => [
      place === 'sheet' ? `Sheet ${table}` : `${table}.csv`,
      `${counts[table]} ${counts[table] === 1 ? 'row' : 'rows'}. ${DATASET_TABLE_NOTES[table]}`,
    ]),
  ];
}

/** A table's columns as CSV columns, headed by their names in the data contract. */
function csvColumns(table: DatasetTable): TableColumn<Record<string, unknown>>[] {
  return DATASET_COLUMNS[table].map((key) => ({ key, label: key }));
}

/**
 * The data set as a zip: `README.txt` (the About lines) and one CSV file per table, each opening
 * with the notes every CSV of the page carries (five `# ` lines) and then the header row.
 */
export function buildDatasetZip(rows: DatasetRows, about: DatasetAbout): Uint8Array {
  const counts = datasetCounts(rows);
  const readme = datasetAboutRows(about, counts, 'file')
    .map(([label, text]) => `${label}: ${text}`)
    .join('\r\n');
  const files: Record<string, Uint8Array> = {
    'README.txt': strToU8(
      `${readme}\r\n\r\nEach CSV file opens with five lines beginning "# " (what it is, the filters, the data version, when made, the link), then its header row: skip them when reading (pandas: skiprows=5; R: skip = 5).\r\n`,
    ),
  };
  for (const table of DATASET_TABLES) {
    const notes = noteLines({
      title: `the ${table} table of the data`,
      filters: about.filters,
      version: about.version,
      made: about.made,
      link: about.link,
    });
    const text = toCsv(
      rows[table] as unknown as Record<string, unknown>[],
      csvColumns(table),
      notes,
    );
    // The byte-order mark makes Excel read the file as UTF-8.
    files[`${table}.csv`] = strToU8(`\ufeff${text}`);
  }
  // The same bytes for the same rows and instant: the entries' times are the export's.
  return zipSync(files, { level: 6, mtime: about.made });
}
