import { parquetMetadata, parquetScan, parquetSchema, type FileMetaData } from 'hyparquet';
import {
  Bool,
  DateDay,
  Dictionary,
  Field,
  Float64,
  Int32,
  List,
  Table,
  Utf8,
  makeData,
  makeVector,
  tableToIPC,
  vectorFromArray,
  type Vector,
} from 'apache-arrow';
import type { ColumnType } from '@/core/schema';
import { canDecodeFast, decodeColumnChunk, type FastColumn } from '@/lib/parquet-fast';

const encoder = new TextEncoder();

function bitmap(length: number): Uint8Array {
  return new Uint8Array((length + 7) >> 3);
}

/** A UTF-8 column from Parquet byte arrays (or strings, encoded), nulls kept. */
function utf8Vector(values: ArrayLike<unknown>): Vector {
  const length = values.length;
  const offsets = new Int32Array(length + 1);
  const valid = bitmap(length);
  const parts: (Uint8Array | null)[] = new Array(length);
  let total = 0;
  let nulls = 0;
  for (let i = 0; i < length; i++) {
    const value = values[i];
    if (value === null || value === undefined) {
      parts[i] = null;
      nulls++;
    } else {
      const bytes = value instanceof Uint8Array ? value : encoder.encode(String(value));
      parts[i] = bytes;
      total += bytes.length;
      valid[i >> 3]! |= 1 << (i & 7);
    }
    offsets[i + 1] = total;
  }
  const data = new Uint8Array(total);
  for (let i = 0; i < length; i++) {
    const bytes = parts[i];
    if (bytes) data.set(bytes, offsets[i]!);
  }
  return makeVector(
    makeData({
      type: new Utf8(),
      length,
      nullCount: nulls,
      nullBitmap: nulls ? valid : null,
      valueOffsets: offsets,
      data,
    }),
  );
}

/** A column of nulls standing in for a column loaded later (or absent from an older file). */
function nullUtf8Vector(length: number): Vector {
  return makeVector(
    makeData({
      type: new Utf8(),
      length,
      nullCount: length,
      nullBitmap: bitmap(length),
      valueOffsets: new Int32Array(length + 1),
      data: new Uint8Array(0),
    }),
  );
}

/** An INTEGER or DATE (days since 1970) column, nulls kept. */
function int32Vector(values: ArrayLike<unknown>, type: Int32 | DateDay): Vector {
  const length = values.length;
  if (values instanceof Int32Array)
    return makeVector(makeData({ type: type as Int32, length, data: values }));
  const data = new Int32Array(length);
  const valid = bitmap(length);
  let nulls = 0;
  for (let i = 0; i < length; i++) {
    const value = values[i];
    if (value === null || value === undefined) nulls++;
    else {
      data[i] = Number(value);
      valid[i >> 3]! |= 1 << (i & 7);
    }
  }
  return makeVector(
    makeData({
      type: type as Int32,
      length,
      nullCount: nulls,
      nullBitmap: nulls ? valid : null,
      data,
    }),
  );
}

function boolVector(values: ArrayLike<unknown>): Vector {
  const length = values.length;
  const data = bitmap(length);
  const valid = bitmap(length);
  let nulls = 0;
  for (let i = 0; i < length; i++) {
    const value = values[i];
    if (value === null || value === undefined) nulls++;
    else {
      if (value) data[i >> 3]! |= 1 << (i & 7);
      valid[i >> 3]! |= 1 << (i & 7);
    }
  }
  return makeVector(
    makeData({
      type: new Bool(),
      length,
      nullCount: nulls,
      nullBitmap: nulls ? valid : null,
      data,
    }),
  );
}

function toVector(type: ColumnType, values: ArrayLike<unknown>): Vector {
  switch (type) {
    case 'VARCHAR':
      return utf8Vector(values);
    case 'INTEGER':
      return int32Vector(values, new Int32());
    case 'DATE':
      return int32Vector(values, new DateDay());
    case 'DOUBLE':
      return vectorFromArray(
        Array.from(values, (v) => (v === null || v === undefined ? null : Number(v))),
        new Float64(),
      );
    case 'BOOLEAN':
      return boolVector(values);
    case 'INTEGER[]':
      return vectorFromArray(
        Array.from(values, (v) =>
          v === null || v === undefined ? null : Array.from(v as ArrayLike<unknown>, Number),
        ),
        new List(new Field('item', new Int32(), true)),
      );
  }
}

/**
 * An Arrow vector from a fast-decoded column chunk, or null when its type is not the contract's.
 */
function fastVector(type: ColumnType, column: FastColumn, isDate: boolean): Vector | null {
  const { nullCount } = column;
  const nullBitmap = column.valid;
  const { length } = column;
  if (type === 'VARCHAR' && column.kind === 'utf8')
    return makeVector(
      makeData({
        type: new Utf8(),
        length,
        nullCount,
        nullBitmap,
        valueOffsets: column.offsets,
        data: column.data,
      }),
    );
  if (type === 'VARCHAR' && column.kind === 'utf8-dictionary') {
    const { offsets, data, size } = column.dictionary;
    const dictionary = makeVector(
      makeData({ type: new Utf8(), length: size, valueOffsets: offsets, data }),
    );
    return makeVector(
      makeData({
        type: new Dictionary(new Utf8(), new Int32()),
        length,
        nullCount,
        nullBitmap,
        data: column.indices,
        dictionary,
      }),
    );
  }
  if ((type === 'INTEGER' || (type === 'DATE' && isDate)) && column.kind === 'int32')
    return makeVector(
      makeData({
        type: (type === 'DATE' ? new DateDay() : new Int32()) as Int32,
        length,
        nullCount,
        nullBitmap,
        data: column.values,
      }),
    );
  if (type === 'BOOLEAN' && column.kind === 'bool')
    return makeVector(
      makeData({ type: new Bool(), length, nullCount, nullBitmap, data: column.values }),
    );
  return null;
}

// Flat columns as the pipeline writes them go through the fast decoder (parquet-fast.ts), the rest
// through hyparquet; strings never become JS strings and dates stay day numbers, so nothing is
// converted row by row.
/**
 * Decodes a Parquet file's columns, in table order (those in `placeholders` as all-null VARCHAR),
 * into one Arrow IPC stream per row group handed to `onBatch`, and returns the number of rows.
 * A column in `optional` (added to the contract later) that the file lacks comes as all nulls.
 */
export async function decodeParquetToArrow(
  buffer: ArrayBuffer,
  file: string,
  columns: readonly (readonly [string, ColumnType])[],
  placeholders: readonly string[],
  onBatch: (ipc: Uint8Array, rows: number) => void,
  optional: readonly string[] = [],
): Promise<number> {
  const wanted = columns.filter(([name]) => !placeholders.includes(name)).map(([name]) => name);
  let metadata: FileMetaData;
  let present: Set<string>;
  try {
    metadata = parquetMetadata(buffer);
    present = new Set(parquetSchema(metadata).children.map((child) => child.element.name));
  } catch (error) {
    throw new Error(`${file} is not a readable Parquet file: ${message(error)}`, { cause: error });
  }
  const absent = wanted.filter((name) => !present.has(name));
  const missing = absent.filter((name) => !optional.includes(name));
  if (missing.length > 0)
    throw new Error(
      `${file} lacks the column(s) ${missing.join(', ')} that the data contract requires.`,
    );
  let scan: Awaited<ReturnType<typeof parquetScan>> | undefined;
  const general = async (name: string, rowStart: number, rowEnd: number) => {
    scan ??= await parquetScan({
      file: buffer,
      metadata,
      // Strings stay UTF-8 bytes and dates day numbers: they go into Arrow buffers as they are.
      parsers: { stringFromBytes: (bytes: Uint8Array) => bytes, dateFromDays: (days) => days },
    } as Parameters<typeof parquetScan>[0]);
    return scan.readColumn({ column: name, rowStart, rowEnd });
  };
  let rowStart = 0;
  for (const [index, group] of metadata.row_groups.entries()) {
    const length = Number(group.num_rows);
    const rowEnd = rowStart + length;
    const vectors: Record<string, Vector> = {};
    for (const [name, type] of columns) {
      if (placeholders.includes(name)) {
        vectors[name] = nullUtf8Vector(length);
        continue;
      }
      if (absent.includes(name)) {
        vectors[name] =
          type === 'VARCHAR'
            ? nullUtf8Vector(length)
            : toVector(type, new Array<null>(length).fill(null));
        continue;
      }
      let vector: Vector | null = null;
      const chunk = group.columns.find((c) => c.meta_data?.path_in_schema.join('.') === name);
      if (chunk && canDecodeFast(metadata, index, name)) {
        try {
          const element = metadata.schema.find((e) => e.name === name);
          vector = fastVector(
            type,
            decodeColumnChunk(buffer, metadata, chunk, name, length),
            element?.converted_type === 'DATE' || element?.logical_type?.type === 'DATE',
          );
        } catch {
          vector = null; // an encoding the fast path does not know: the general reader has it
        }
      }
      if (!vector) {
        try {
          vector = toVector(type, await general(name, rowStart, rowEnd));
        } catch (error) {
          throw new Error(`${file} is not a readable Parquet file: ${message(error)}`, {
            cause: error,
          });
        }
      }
      vectors[name] = vector;
    }
    const ipc = tableToIPC(new Table(vectors), 'stream');
    onBatch(
      ipc.byteOffset === 0 && ipc.byteLength === ipc.buffer.byteLength ? ipc : ipc.slice(),
      length,
    );
    rowStart = rowEnd;
  }
  return rowStart;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
