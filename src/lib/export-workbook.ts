import * as ExcelModule from 'exceljs/dist/exceljs.bare.min.js';
import {
  DATASET_COLUMNS,
  DATASET_TABLES,
  DATE_COLUMNS,
  type DatasetRows,
  type DatasetTable,
} from '@/lib/export-data-sql';
import { datasetAboutRows, datasetCounts, type DatasetAbout } from '@/lib/export-dataset';

/**
 * The data set as an Excel workbook, with ExcelJS: an About sheet, then one sheet per table with
 * its header row frozen and filterable. Loaded only when someone asks for the workbook
 * (src/app/export-data.tsx), so that ExcelJS is never part of the page's first load.
 */

// The bundle is CommonJS: its API is the module itself or its default export, by bundler.
const Excel = ((ExcelModule as unknown as { default?: typeof ExcelModule }).default ??
  ExcelModule) as typeof ExcelModule;

/** The most characters Excel keeps in one cell. */
export const EXCEL_CELL_LIMIT = 32_767;

/** What ends a text cut at {@link EXCEL_CELL_LIMIT}. */
export const CUT_MARK = ' […cut: Excel holds 32,767 characters in a cell]';

/** A value as the workbook stores it: dates as dates, long text cut at Excel's limit. */
function cellValue(column: string, value: unknown, cut: () => void): unknown {
  if (value === null || value === undefined) return null;
  if (DATE_COLUMNS.has(column) && typeof value === 'string') {
    const date = new Date(`${value.slice(0, 10)}T00:00:00Z`);
    return Number.isNaN(date.getTime()) ? value : date;
  }
  if (Array.isArray(value)) return value.join('; ');
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && value.length > EXCEL_CELL_LIMIT) {
    cut();
    return value.slice(0, EXCEL_CELL_LIMIT - CUT_MARK.length) + CUT_MARK;
  }
  return value;
}

/** A column's width in characters: its longest value in the first rows, within limits. */
function columnWidth(header: string, values: readonly unknown[]): number {
  let widest = header.length;
  for (const value of values.slice(0, 200)) {
    const text = value instanceof Date ? '2009-06-30' : String(value ?? '');
    widest = Math.max(widest, Math.min(text.length, 80));
  }
  return Math.min(Math.max(widest + 2, 8), 60);
}

/** Adds one table as a sheet: header row bold, frozen and filterable; dates as `yyyy-mm-dd`. */
function addTableSheet(
  workbook: InstanceType<typeof Excel.Workbook>,
  table: DatasetTable,
  rows: readonly Record<string, unknown>[],
  cut: () => void,
): void {
  const columns = DATASET_COLUMNS[table];
  const sheet = workbook.addWorksheet(table, { views: [{ state: 'frozen', ySplit: 1 }] });
  const values = rows.map((row) => columns.map((c) => cellValue(c, row[c], cut)));
  sheet.columns = columns.map((key, i) => ({
    header: key,
    key,
    width: columnWidth(
      key,
      values.map((v) => v[i]),
    ),
    style: DATE_COLUMNS.has(key) ? { numFmt: 'yyyy-mm-dd' } : {},
  }));
  sheet.getRow(1).font = { bold: true };
  for (const row of values) sheet.addRow(row);
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
}

/**
 * The workbook's bytes (.xlsx): an About sheet (what the data is, its version and build day,
 * the contract version, the filters, when made, each sheet's row count), then the tables.
 */
export async function buildWorkbook(rows: DatasetRows, about: DatasetAbout): Promise<Uint8Array> {
  const workbook = new Excel.Workbook();
  workbook.creator = 'Front-door inspections dashboard';
  workbook.created = about.made;
  workbook.modified = about.made;
  const aboutSheet = workbook.addWorksheet('About');
  let cutCells = 0;
  const cut = () => {
    cutCells += 1;
  };
  for (const table of DATASET_TABLES)
    addTableSheet(workbook, table, rows[table] as unknown as Record<string, unknown>[], cut);

  aboutSheet.columns = [
    { key: 'label', width: 24 },
    { key: 'text', width: 110 },
  ];
  const lines = datasetAboutRows(about, datasetCounts(rows), 'sheet');
  if (cutCells > 0)
    lines.push([
      'Cut cells',
      `${cutCells} ${cutCells === 1 ? 'text was' : 'texts were'} longer than Excel holds in a cell and ${cutCells === 1 ? 'is' : 'are'} cut, marked "[…cut"; the CSV files and the Parquet files hold them whole.`,
    ]);
  for (const [label, text] of lines) aboutSheet.addRow({ label, text });
  aboutSheet.getColumn('label').font = { bold: true };
  aboutSheet.getColumn('text').alignment = { wrapText: true, vertical: 'top' };
  aboutSheet.getColumn('label').alignment = { vertical: 'top' };
  const buffer = await workbook.xlsx.writeBuffer();
  return new Uint8Array(buffer as ArrayBuffer);
}
