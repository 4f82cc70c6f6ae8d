import { CONTRACT_VERSION } from '@/core/schema';
import { runQuery } from '@/lib/duckdb';
import { currentVersionText } from '@/lib/export-csv';
import { buildDatasetSql, DATASET_TABLES, type DatasetRows } from '@/lib/export-data-sql';
import { buildDatasetZip, datasetFileName, type DatasetAbout } from '@/lib/export-dataset';
import type { ExportFilter } from '@/lib/export-notes';
import type { Filters } from '@/lib/filters';
import { dataVersion } from '@/lib/precomputed';
import { saveFile } from '@/lib/save-file';

/**
 * Makes and offers a data set download (src/app/export-data.tsx loads this when one is asked
 * for): the tables from the data engine, as a workbook (ExcelJS, loaded here on first use) or a
 * zip of CSV files.
 */

/** The two forms of the data set download. */
export type DatasetFormat = 'xlsx' | 'zip';

const MIME: Record<DatasetFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  zip: 'application/zip',
};

/** What was downloaded: the file's name and each table's row count. */
export interface DatasetDownload {
  fileName: string;
  rows: Record<(typeof DATASET_TABLES)[number], number>;
}

/**
 * Reads every table (narrowed by `filters`, described by `described`; `{}` and `[]` for the
 * whole data set) and offers it as a file of the given format.
 */
export async function downloadDataset(
  format: DatasetFormat,
  filters: Filters,
  described: readonly ExportFilter[],
): Promise<DatasetDownload> {
  const queries = buildDatasetSql(filters);
  const rows = {} as Record<string, unknown[]>;
  for (const table of DATASET_TABLES) rows[table] = await runQuery(queries[table]);
  const data = rows as unknown as DatasetRows;
  const version = dataVersion();
  const about: DatasetAbout = {
    version: currentVersionText(),
    builtOn: version?.builtOn ?? null,
    contractVersion: CONTRACT_VERSION,
    filters: described,
    made: new Date(),
    link: window.location.href,
  };
  let bytes: Uint8Array;
  if (format === 'xlsx') {
    const { buildWorkbook } = await import('@/lib/export-workbook');
    bytes = await buildWorkbook(data, about);
  } else {
    bytes = buildDatasetZip(data, about);
  }
  const fileName = datasetFileName(described, format);
  saveFile(fileName, new Blob([bytes as BlobPart], { type: MIME[format] }));
  return {
    fileName,
    rows: Object.fromEntries(
      DATASET_TABLES.map((t) => [t, rows[t]!.length]),
    ) as DatasetDownload['rows'],
  };
}
