import { writeContractParquet } from '@/core/contract-parquet';
import { TABLE_NAMES, type TableName } from '@/core/schema';
import { runQuery } from '@/lib/duckdb';
import { buildExportTableSql } from './add-letters-sql';

/** One Parquet file of the data set, ready to download. */
export interface DataSetFile {
  table: TableName;
  name: string;
  bytes: Uint8Array;
  rows: number;
}

/**
 * Writes the session's tables, bundled and added letters together, as the five Parquet files the
 * pipeline writes: same names, column order, types and row order.
 */
export async function exportDataSet(): Promise<DataSetFile[]> {
  const files: DataSetFile[] = [];
  for (const table of TABLE_NAMES) {
    const rows = await runQuery<Record<string, unknown>>(buildExportTableSql(table));
    files.push({
      table,
      name: `${table}.parquet`,
      bytes: writeContractParquet(table, rows),
      rows: rows.length,
    });
  }
  return files;
}
