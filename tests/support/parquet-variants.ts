import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { SchemaElement } from 'hyparquet';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { TABLE_NAMES, TABLES, type ColumnType, type TableName } from '@/core/schema';

// The contract's files as other tools write them, made from the pipeline's own files with
// DuckDB's COPY (codec, row-group size, column types as pandas, polars, R or Spark give them) or
// with hyparquet-writer (data pages v2, plain encoding, required columns, the legacy LZ4 codec,
// INT96 timestamps), at test time in temporary folders.

/** A SQL string literal. */
export const sqlString = (text: string) => `'${text.replace(/'/g, "''")}'`;

/** The DuckDB type each contract type is stored as in a variant (absent: as the pipeline does). */
export type TypeMap = Partial<Record<ColumnType, string>>;

/** How a set of the five files is written by DuckDB's COPY. */
export interface CopyVariant {
  /** DuckDB's COMPRESSION: uncompressed, snappy, zstd, gzip, lz4, lz4_raw, brotli. */
  compression?: string;
  /** DuckDB's ROW_GROUP_SIZE (it writes at least 2,048 rows a group). */
  rowGroupSize?: number;
  /** Each contract type's storage; `VARCHAR` for DATE gives `YYYY-MM-DD` text. */
  types?: TypeMap;
  /** Dates as ISO text with a time of day, `2009-06-30T00:00:00` (with `types.DATE` VARCHAR). */
  isoWithTime?: boolean;
  /** Columns replaced by an expression, by table (e.g. a contract-breaking value). */
  replace?: Partial<Record<TableName, Record<string, string>>>;
  /** Columns left out, by table. */
  exclude?: Partial<Record<TableName, string[]>>;
  /** Footer key/value pairs (DuckDB's KV_METADATA), e.g. pandas' own. */
  kvMetadata?: Record<string, string>;
  /** Columns added to every table, e.g. pandas' `__index_level_0__`. */
  extraColumns?: string;
}

/**
 * The SELECT that gives one table as a variant stores it, from `source` (whose columns are
 * `present`: a file written before a column was added lacks it).
 */
export function variantSelect(
  table: TableName,
  source: string,
  variant: CopyVariant,
  present: readonly string[],
): string {
  const replace: string[] = [];
  const exclude = variant.exclude?.[table] ?? [];
  const extra = variant.replace?.[table] ?? {};
  for (const [name, type] of Object.entries(TABLES[table]) as [string, ColumnType][]) {
    if (exclude.includes(name) || !present.includes(name)) continue;
    if (name in extra) {
      replace.push(`${extra[name]} AS ${name}`);
      continue;
    }
    const target = variant.types?.[type];
    if (!target) continue;
    const value =
      type === 'DATE' && target === 'VARCHAR' && variant.isoWithTime
        ? `strftime(${name}, '%Y-%m-%dT%H:%M:%S')`
        : `${name}::${target}`;
    replace.push(`${value} AS ${name}`);
  }
  const star = [
    '*',
    exclude.length ? `EXCLUDE (${exclude.join(', ')})` : '',
    replace.length ? `REPLACE (${replace.join(', ')})` : '',
  ]
    .filter(Boolean)
    .join(' ');
  const extraColumns = variant.extraColumns ? `, ${variant.extraColumns}` : '';
  return `SELECT ${star}${extraColumns} FROM read_parquet(${sqlString(source)})`;
}

/** Writes the five files of `fromDir` into `toDir` as `variant` says, with DuckDB. */
export async function copyVariant(
  db: DuckDBConnection,
  fromDir: string,
  toDir: string,
  variant: CopyVariant,
): Promise<string> {
  mkdirSync(toDir, { recursive: true });
  const options = ['FORMAT parquet'];
  if (variant.compression) options.push(`COMPRESSION ${variant.compression}`);
  if (variant.rowGroupSize) options.push(`ROW_GROUP_SIZE ${variant.rowGroupSize}`);
  if (variant.kvMetadata)
    options.push(
      `KV_METADATA {${Object.entries(variant.kvMetadata)
        .map(([key, value]) => `${key}: ${sqlString(value)}`)
        .join(', ')}}`,
    );
  for (const table of TABLE_NAMES) {
    const source = join(fromDir, `${table}.parquet`);
    const described = await db.runAndReadAll(
      `DESCRIBE SELECT * FROM read_parquet(${sqlString(source)})`,
    );
    const present = described.getRowObjectsJS().map((row) => String(row.column_name));
    const select = variantSelect(table, source, variant, present);
    const file = join(toDir, `${table}.parquet`);
    await db.run(`COPY (${select}) TO ${sqlString(file)} (${options.join(', ')})`);
  }
  return toDir;
}

/** A file's bytes as the decoder takes them. */
export function fileBuffer(dir: string, table: TableName): ArrayBuffer {
  const bytes = readFileSync(join(dir, `${table}.parquet`));
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
}

/** How a table is written by hyparquet-writer (always data pages v2). */
export interface WriterVariant {
  codec?: 'UNCOMPRESSED' | 'SNAPPY' | 'LZ4';
  rowGroupSize?: number;
  /** PLAIN for every column (no dictionary). */
  plain?: boolean;
  /** Columns without a null stored as REQUIRED, as pandas' non-null columns are. */
  required?: boolean;
  /** Dates as INT96 timestamps (Spark's and old pyarrow's) instead of DATE. */
  int96Dates?: boolean;
}

const DAY_MS = 86_400_000;
const JULIAN_EPOCH = 2_440_588;

/** An INT96 timestamp, as Spark writes it: nanoseconds into the day, then the Julian day. */
function int96(days: number, nanos: bigint): Uint8Array {
  const bytes = new Uint8Array(12);
  const view = new DataView(bytes.buffer);
  view.setBigInt64(0, nanos, true);
  view.setInt32(8, days + JULIAN_EPOCH, true);
  return bytes;
}

/**
 * An LZ4 block holding `input` as one run of literals (valid LZ4 that does not compress), in
 * the Hadoop framing of the legacy LZ4 codec: big-endian sizes, then the block.
 */
function hadoopLz4(input: Uint8Array): Uint8Array {
  const extra = input.length >= 15 ? Math.floor((input.length - 15) / 255) + 1 : 0;
  const block = new Uint8Array(1 + extra + input.length);
  let p = 0;
  block[p++] = Math.min(input.length, 15) << 4;
  if (input.length >= 15) {
    let rest = input.length - 15;
    while (rest >= 255) {
      block[p++] = 255;
      rest -= 255;
    }
    block[p++] = rest;
  }
  block.set(input, p);
  const framed = new Uint8Array(8 + block.length);
  const view = new DataView(framed.buffer);
  view.setUint32(0, input.length);
  view.setUint32(4, block.length);
  framed.set(block, 8);
  return framed;
}

/**
 * Rewrites every FIXED_LEN_BYTE_ARRAY type in a file's footer as INT96 (Thrift compact: field 1,
 * i32, zigzag 7 → 3): hyparquet-writer cannot write INT96, so 12-byte values are written as
 * FIXED_LEN_BYTE_ARRAY(12) and retyped. Only for a file with such columns, and checked by the
 * caller (another i32 field of value 7 in the footer would be changed too).
 */
function retypeFixedAsInt96(file: Uint8Array): Uint8Array {
  const out = file.slice();
  const view = new DataView(out.buffer);
  const footerLength = view.getUint32(out.length - 8, true);
  const start = out.length - 8 - footerLength;
  for (let i = start; i < out.length - 9; i++)
    if (out[i] === 0x15 && out[i + 1] === 0x0e) out[i + 1] = 0x06;
  return out;
}

/** The contract's column as hyparquet-writer stores it, and its values. */
function writerColumn(
  name: string,
  type: ColumnType,
  values: unknown[],
  variant: WriterVariant,
): { element: SchemaElement[]; data: unknown[] } {
  const hasNull = values.some((v) => v === null || v === undefined);
  const repetition = variant.required && !hasNull ? 'REQUIRED' : 'OPTIONAL';
  const base = { name, repetition_type: repetition } as const;
  switch (type) {
    case 'VARCHAR':
      return {
        element: [{ ...base, type: 'BYTE_ARRAY', converted_type: 'UTF8' }],
        data: values.map((v) => (v === null || v === undefined ? null : String(v))),
      };
    case 'INTEGER':
      return { element: [{ ...base, type: 'INT32' }], data: values };
    case 'DOUBLE':
      return { element: [{ ...base, type: 'DOUBLE' }], data: values };
    case 'BOOLEAN':
      return { element: [{ ...base, type: 'BOOLEAN' }], data: values };
    case 'DATE': {
      const days = values.map((v) =>
        v === null || v === undefined
          ? null
          : Math.round(Date.parse(`${String(v).slice(0, 10)}T00:00:00Z`) / DAY_MS),
      );
      if (variant.int96Dates)
        return {
          element: [{ ...base, type: 'FIXED_LEN_BYTE_ARRAY', type_length: 12 }],
          data: days.map((d) => (d === null ? null : int96(d, 0n))),
        };
      return { element: [{ ...base, type: 'INT32', converted_type: 'DATE' }], data: days };
    }
    case 'INTEGER[]':
      return {
        element: [
          { ...base, converted_type: 'LIST', num_children: 1 },
          { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
          { name: 'element', repetition_type: 'OPTIONAL', type: 'INT32' },
        ],
        data: values,
      };
  }
}

/**
 * One table's rows (as the tests read them: dates ISO) written by hyparquet-writer as `variant`
 * says; returns the file's bytes.
 */
export function writeWithHyparquet(
  table: TableName,
  rows: readonly Record<string, unknown>[],
  variant: WriterVariant,
): Uint8Array {
  const columns = (Object.entries(TABLES[table]) as [string, ColumnType][]).map(([name, type]) => ({
    name,
    ...writerColumn(
      name,
      type,
      rows.map((row) => row[name] ?? null),
      variant,
    ),
  }));
  const buffer = parquetWriteBuffer({
    schema: [
      { name: 'schema', num_children: columns.length },
      ...columns.flatMap((c) => c.element),
    ],
    codec: variant.codec ?? 'SNAPPY',
    compressors: { LZ4: hadoopLz4 },
    rowGroupSize: variant.rowGroupSize,
    statistics: false,
    columnData: columns.map((c) => ({
      name: c.name,
      data: c.data,
      ...(variant.plain ? { encoding: 'PLAIN' as const } : {}),
    })),
  });
  const bytes = new Uint8Array(buffer);
  const hasDates = Object.values(TABLES[table]).some((type) => type === 'DATE');
  return variant.int96Dates && hasDates ? retypeFixedAsInt96(bytes) : bytes;
}

/** Writes a table made by {@link writeWithHyparquet} as `<dir>/<table>.parquet`. */
export function writeTable(dir: string, table: TableName, bytes: Uint8Array): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${table}.parquet`), bytes);
}
