import type { SchemaElement } from 'hyparquet';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { TABLES, type ColumnType, type TableName } from './schema';

const DAY_MS = 86_400_000;

/** The Parquet schema elements of one contract column, as DuckDB itself writes that type. */
function columnSchema(name: string, type: ColumnType): SchemaElement[] {
  const optional = { name, repetition_type: 'OPTIONAL' } as const;
  switch (type) {
    case 'VARCHAR':
      return [
        {
          ...optional,
          type: 'BYTE_ARRAY',
          converted_type: 'UTF8',
          logical_type: { type: 'STRING' },
        },
      ];
    case 'INTEGER':
      return [{ ...optional, type: 'INT32' }];
    case 'DOUBLE':
      return [{ ...optional, type: 'DOUBLE' }];
    case 'BOOLEAN':
      return [{ ...optional, type: 'BOOLEAN' }];
    case 'DATE':
      return [
        { ...optional, type: 'INT32', converted_type: 'DATE', logical_type: { type: 'DATE' } },
      ];
    case 'INTEGER[]':
      // The three-level list of the Parquet spec, which DuckDB reads back as INTEGER[].
      return [
        { ...optional, converted_type: 'LIST', logical_type: { type: 'LIST' }, num_children: 1 },
        { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
        { name: 'element', repetition_type: 'OPTIONAL', type: 'INT32' },
      ];
  }
}

/** An ISO `YYYY-MM-DD` date as days since 1970-01-01, the Parquet DATE value. */
function isoToDays(value: string): number {
  const ms = Date.parse(`${value.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(ms)) throw new Error(`not an ISO date: ${JSON.stringify(value)}`);
  return Math.round(ms / DAY_MS);
}

/** One column's values as the writer takes them: dates as day numbers, nulls kept. */
function columnValues(rows: readonly object[], name: string, type: ColumnType): unknown[] {
  return rows.map((row) => {
    const value = (row as Record<string, unknown>)[name];
    if (value === null || value === undefined) return null;
    if (type === 'DATE') return isoToDays(String(value));
    if (type === 'INTEGER' || type === 'DOUBLE') return Number(value);
    if (type === 'BOOLEAN') return Boolean(value);
    if (type === 'INTEGER[]') return Array.from(value as Iterable<unknown>, Number);
    return String(value);
  });
}

/**
 * Writes one of the contract's tables as a SNAPPY Parquet file with the columns, order and types
 * of `TABLES` (src/core/schema.ts), the file the ingest CLI writes for the same rows.
 */
export function writeContractParquet(table: TableName, rows: readonly object[]): Uint8Array {
  const columns = Object.entries(TABLES[table]) as [string, ColumnType][];
  const schema: SchemaElement[] = [
    { name: 'duckdb_schema', num_children: columns.length },
    ...columns.flatMap(([name, type]) => columnSchema(name, type)),
  ];
  const buffer = parquetWriteBuffer({
    schema,
    codec: 'SNAPPY',
    columnData: columns.map(([name, type]) => ({
      name,
      data: columnValues(rows, name, type),
    })),
  });
  return new Uint8Array(buffer);
}
