import {
  parquetMetadata,
  parquetScan,
  parquetSchema,
  type FileMetaData,
  type SchemaElement,
  type SchemaTree,
} from 'hyparquet';
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
  type Vector,
} from 'apache-arrow';
import type { ColumnType } from '@/core/schema';
import { compressorsFor, READABLE_CODECS } from '@/lib/parquet-codecs';
import { canDecodeFast, decodeColumnChunk, type FastColumn } from '@/lib/parquet-fast';

// Files the pipeline writes (DuckDB, SNAPPY, the contract's own types) and files other tools write
// for the same contract (pandas, polars, R's arrow, Spark, DuckDB with other settings) both load:
// each column's Parquet type is checked against the contract's before any value is read, and
// read the one way that gives the contract's type (INT64 to INTEGER, a timestamp or ISO text to
// DATE); a column no reading fits stops the load with a message naming the file and the column.

const DAY_MS = 86_400_000;
const INT32_MIN = -2_147_483_648;
const INT32_MAX = 2_147_483_647;

/** A file that breaks the data contract, or a value in it that does; the message is for people. */
export class ContractViolation extends Error {
  override name = 'ContractViolation';
}

/** A value that does not fit its column's contract type, found while converting the column. */
class BadValue extends Error {
  constructor(
    readonly row: number,
    readonly value: unknown,
    readonly why: string,
  ) {
    super(why);
  }
}

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

/**
 * An INTEGER or DATE (days since 1970) column, nulls kept; `checked`: each value is a whole number
 * that fits (from INT64, DOUBLE or DECIMAL), or the column is refused.
 */
function int32Vector(values: ArrayLike<unknown>, type: Int32 | DateDay, checked = false): Vector {
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
      data[i] = checked ? toInt32(value, i) : Number(value);
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

/** A DOUBLE column from numbers, bigints (INT64) or decimals, nulls kept. */
function float64Vector(values: ArrayLike<unknown>): Vector {
  const length = values.length;
  if (values instanceof Float64Array)
    return makeVector(makeData({ type: new Float64(), length, data: values }));
  const data = new Float64Array(length);
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
      type: new Float64(),
      length,
      nullCount: nulls,
      nullBitmap: nulls ? valid : null,
      data,
    }),
  );
}

/**
 * An INTEGER[] column from lists of whole numbers (INT32 or INT64, each checked), nulls kept at
 * both levels. Built by hand: Arrow's `vectorFromArray` compiles a function from a string, which
 * a Content-Security-Policy without 'unsafe-eval' refuses.
 */
function int32ListVector(values: ArrayLike<unknown>): Vector {
  const length = values.length;
  const offsets = new Int32Array(length + 1);
  const valid = bitmap(length);
  let nulls = 0;
  let total = 0;
  for (let i = 0; i < length; i++) {
    const list = values[i] as ArrayLike<unknown> | null | undefined;
    if (list === null || list === undefined) nulls++;
    else {
      total += list.length;
      valid[i >> 3]! |= 1 << (i & 7);
    }
    offsets[i + 1] = total;
  }
  const items = new Int32Array(total);
  const itemValid = bitmap(total);
  let itemNulls = 0;
  for (let i = 0; i < length; i++) {
    const list = values[i] as ArrayLike<unknown> | null | undefined;
    if (!list) continue;
    for (let j = 0, at = offsets[i]!; j < list.length; j++, at++) {
      const item = list[j];
      if (item === null || item === undefined) itemNulls++;
      else {
        items[at] = toInt32(item, i);
        itemValid[at >> 3]! |= 1 << (at & 7);
      }
    }
  }
  const child = makeData({
    type: new Int32(),
    length: total,
    nullCount: itemNulls,
    nullBitmap: itemNulls ? itemValid : null,
    data: items,
  });
  return makeVector(
    makeData({
      type: new List(new Field('item', new Int32(), true)),
      length,
      nullCount: nulls,
      nullBitmap: nulls ? valid : null,
      valueOffsets: offsets,
      child,
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

/** A column of nulls of a contract type, for a column the file lacks or holds only nulls in. */
function nullVector(type: ColumnType, length: number): Vector {
  if (type === 'VARCHAR') return nullUtf8Vector(length);
  if (type === 'INTEGER[]') return int32ListVector(new Array<null>(length).fill(null));
  if (type === 'DOUBLE') return float64Vector(new Array<null>(length).fill(null));
  if (type === 'BOOLEAN') return boolVector(new Array<null>(length).fill(null));
  return int32Vector(
    new Array<null>(length).fill(null),
    type === 'DATE' ? new DateDay() : new Int32(),
  );
}

/** A whole number that fits INTEGER, from a number, a bigint (INT64) or a decimal. */
function toInt32(value: unknown, row: number): number {
  const n = typeof value === 'bigint' ? Number(value) : (value as number);
  if (typeof n !== 'number' || !Number.isInteger(n))
    throw new BadValue(row, value, 'not a whole number');
  if (n < INT32_MIN || n > INT32_MAX) throw new BadValue(row, value, 'too large for an INTEGER');
  return n;
}

/** The day number of an ISO date (`2009-06-30`, `2009-06-30T00:00:00`, with a zone or not). */
const ISO_DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*(?:Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

function isoDays(text: string, row: number): number | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  const match = ISO_DATE.exec(trimmed);
  const [year, month, day] = match ? [Number(match[1]), Number(match[2]), Number(match[3])] : [];
  const date = new Date(match ? utcMs(year!, month!, day!) : NaN);
  // The date as written (a zone after a time of day does not move it): 2009-02-30 is refused.
  if (!match || date.getUTCMonth() !== month! - 1 || date.getUTCDate() !== day)
    throw new BadValue(row, text, 'not a date written YYYY-MM-DD');
  return Math.round(date.getTime() / DAY_MS);
}

/** Midnight UTC of a calendar date (Date.UTC would take the years 0 to 99 as 1900 to 1999). */
function utcMs(year: number, month: number, day: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date.getTime();
}

const decoder = new TextDecoder();

/** Day numbers from a column of ISO date texts (UTF-8 bytes; a dictionary's repeat the object). */
function isoDaysColumn(values: ArrayLike<unknown>): (number | null)[] {
  const seen = new Map<unknown, number | null>();
  return Array.from(values, (value, row) => {
    if (value === null || value === undefined) return null;
    let days = seen.get(value);
    if (days === undefined) {
      const text = value instanceof Uint8Array ? decoder.decode(value) : String(value);
      days = isoDays(text, row);
      seen.set(value, days);
    }
    return days;
  });
}

/** The calendar date, in `timeZone` (or UTC), of each timestamp given in epoch milliseconds. */
function timestampDaysColumn(values: ArrayLike<unknown>, timeZone?: string): (number | null)[] {
  let format: Intl.DateTimeFormat | undefined;
  try {
    if (timeZone)
      format = new Intl.DateTimeFormat('en-GB', {
        timeZone,
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
      });
  } catch {
    format = undefined; // a zone this browser does not know: UTC, as DuckDB would without ICU
  }
  return Array.from(values, (value, row) => {
    if (value === null || value === undefined) return null;
    const ms = value as number;
    if (!Number.isFinite(ms)) throw new BadValue(row, value, 'not a timestamp');
    if (!format) return Math.floor(ms / DAY_MS);
    const parts = Object.fromEntries(
      format.formatToParts(ms).map((part) => [part.type, Number(part.value)]),
    );
    return Math.round(utcMs(parts.year!, parts.month!, parts.day!) / DAY_MS);
  });
}

/** How a column of the file is read to give its contract type; `nulls`: it holds nothing. */
type Reading =
  'utf8' | 'int' | 'double' | 'bool' | 'days' | 'timestamp' | 'iso' | 'int-list' | 'nulls';

/** What a Parquet leaf column holds, as far as the contract's types care. */
type LeafKind =
  'text' | 'int' | 'float' | 'decimal' | 'bool' | 'date' | 'timestamp' | 'null' | 'other';

function leafKind(element: SchemaElement): LeafKind {
  const logical = element.logical_type?.type;
  const converted = element.converted_type;
  if (logical === 'NULL') return 'null';
  if (logical === 'DECIMAL' || converted === 'DECIMAL') return 'decimal';
  if (logical === 'DATE' || converted === 'DATE') return 'date';
  if (
    logical === 'TIMESTAMP' ||
    converted === 'TIMESTAMP_MILLIS' ||
    converted === 'TIMESTAMP_MICROS' ||
    (element.type === 'INT96' && !converted)
  )
    return 'timestamp';
  if (logical === 'FLOAT16') return 'float';
  if (logical === 'TIME' || converted === 'TIME_MILLIS' || converted === 'TIME_MICROS')
    return 'other';
  switch (element.type) {
    case 'BOOLEAN':
      return 'bool';
    case 'INT32':
    case 'INT64':
      return converted === 'INTERVAL' ? 'other' : 'int';
    case 'FLOAT':
    case 'DOUBLE':
      return 'float';
    case 'BYTE_ARRAY':
      return converted === 'BSON' ||
        logical === 'BSON' ||
        logical === 'GEOMETRY' ||
        logical === 'GEOGRAPHY' ||
        logical === 'VARIANT'
        ? 'other'
        : 'text';
    default:
      return 'other';
  }
}

/** The leaf under a list column (`list` / `element`, `array`, or a repeated leaf), if it is one. */
function listLeaf(node: SchemaTree): SchemaElement | undefined {
  let inner = node;
  let repeated = node.element.repetition_type === 'REPEATED';
  while (inner.children.length === 1) {
    inner = inner.children[0]!;
    repeated ||= inner.element.repetition_type === 'REPEATED';
  }
  // A struct of one field is no list: one level on the way down must repeat.
  return repeated && !inner.children.length ? inner.element : undefined;
}

/** How to read a top-level column for a contract type, or null when no reading fits. */
function readingFor(node: SchemaTree, type: ColumnType): Reading | null {
  if (type === 'INTEGER[]') {
    const leaf = listLeaf(node);
    return leaf && leafKind(leaf) === 'int' ? 'int-list' : null;
  }
  if (node.children.length || node.element.repetition_type === 'REPEATED') return null;
  const kind = leafKind(node.element);
  if (kind === 'null') return 'nulls';
  switch (type) {
    case 'VARCHAR':
      return kind === 'text' ? 'utf8' : null;
    case 'INTEGER':
      // pandas writes an integer column with a missing value as DOUBLE: whole values still fit.
      return kind === 'int' || kind === 'float' || kind === 'decimal' ? 'int' : null;
    case 'DOUBLE':
      return kind === 'int' || kind === 'float' || kind === 'decimal' ? 'double' : null;
    case 'BOOLEAN':
      return kind === 'bool' ? 'bool' : null;
    case 'DATE':
      return kind === 'date'
        ? 'days'
        : kind === 'timestamp'
          ? 'timestamp'
          : kind === 'text'
            ? 'iso'
            : null;
  }
}

const KIND_WORDS: Record<LeafKind, string> = {
  text: 'text',
  int: 'whole numbers',
  float: 'decimal numbers',
  decimal: 'decimal numbers',
  bool: 'true/false values',
  date: 'dates',
  timestamp: 'timestamps',
  null: 'nothing but nulls',
  other: 'values',
};

/** What a column of the file holds, in words, with its Parquet type. */
function describeColumn(node: SchemaTree): string {
  const { element } = node;
  if (node.children.length) {
    const leaf = listLeaf(node);
    return leaf
      ? `lists of ${KIND_WORDS[leafKind(leaf)]} (${parquetTypeName(leaf)})`
      : 'a group of fields';
  }
  if (element.repetition_type === 'REPEATED')
    return `lists of ${KIND_WORDS[leafKind(element)]} (${parquetTypeName(element)})`;
  return `${KIND_WORDS[leafKind(element)]} (${parquetTypeName(element)})`;
}

function parquetTypeName(element: SchemaElement): string {
  const logical = element.logical_type;
  const annotation =
    logical?.type === 'TIMESTAMP'
      ? `TIMESTAMP ${logical.unit}`
      : (logical?.type ?? element.converted_type);
  // INT_32 on INT32 says nothing more.
  const redundant = annotation === `INT_${element.type?.slice(3)}`;
  return [element.type, redundant ? undefined : annotation].filter(Boolean).join(' ');
}

const CONTRACT_WORDS: Record<ColumnType, string> = {
  VARCHAR: 'text (VARCHAR)',
  INTEGER: 'whole numbers (INTEGER)',
  DOUBLE: 'numbers (DOUBLE)',
  BOOLEAN: 'true/false values (BOOLEAN)',
  DATE: 'dates (DATE, a TIMESTAMP, or text written YYYY-MM-DD)',
  'INTEGER[]': 'lists of whole numbers (INTEGER[])',
};

/** The zone pandas recorded for each tz-aware timestamp column (its `pandas` key in the footer). */
function pandasTimeZones(metadata: FileMetaData): Map<string, string> {
  const zones = new Map<string, string>();
  const entry = metadata.key_value_metadata?.find((kv) => kv.key === 'pandas');
  if (!entry?.value) return zones;
  try {
    const pandas = JSON.parse(entry.value) as {
      columns?: {
        name?: unknown;
        field_name?: unknown;
        metadata?: { timezone?: unknown } | null;
      }[];
    };
    for (const column of pandas.columns ?? []) {
      const zone = column.metadata?.timezone;
      const name = column.field_name ?? column.name;
      if (typeof zone === 'string' && typeof name === 'string') zones.set(name, zone);
    }
  } catch {
    // Not pandas' JSON after all: timestamps are then taken in UTC.
  }
  return zones;
}

/** Converts a column's values (as hyparquet gives them, with the parsers below) into Arrow. */
function readValues(
  type: ColumnType,
  reading: Reading,
  values: ArrayLike<unknown>,
  timeZone?: string,
): Vector {
  switch (reading) {
    case 'nulls':
      return nullVector(type, values.length);
    case 'utf8':
      return utf8Vector(values);
    case 'bool':
      return boolVector(values);
    case 'days':
      return int32Vector(values, new DateDay());
    case 'timestamp':
      return int32Vector(timestampDaysColumn(values, timeZone), new DateDay());
    case 'iso':
      return int32Vector(isoDaysColumn(values), new DateDay());
    case 'int':
      return int32Vector(values, new Int32(), true);
    case 'double':
      return float64Vector(values);
    case 'int-list':
      return int32ListVector(values);
  }
}

/** An Arrow vector from a fast-decoded column chunk, or null when its kind is not the reading's. */
function fastVector(reading: Reading, column: FastColumn): Vector | null {
  const { nullCount, length } = column;
  const nullBitmap = column.valid;
  if (reading === 'utf8' && column.kind === 'utf8')
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
  if (reading === 'utf8' && column.kind === 'utf8-dictionary') {
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
  if ((reading === 'int' || reading === 'days') && column.kind === 'int32')
    return makeVector(
      makeData({
        type: (reading === 'days' ? new DateDay() : new Int32()) as Int32,
        length,
        nullCount,
        nullBitmap,
        data: column.values,
      }),
    );
  if (reading === 'double' && column.kind === 'float64')
    return makeVector(
      makeData({ type: new Float64(), length, nullCount, nullBitmap, data: column.values }),
    );
  if (reading === 'bool' && column.kind === 'bool')
    return makeVector(
      makeData({ type: new Bool(), length, nullCount, nullBitmap, data: column.values }),
    );
  return null;
}

/** Whether the fast decoder's values are the reading's as they are (no conversion, no check). */
function fastReadable(reading: Reading, element: SchemaElement): boolean {
  switch (reading) {
    case 'utf8':
      return element.type === 'BYTE_ARRAY';
    case 'bool':
      return element.type === 'BOOLEAN';
    case 'days':
      return element.type === 'INT32';
    case 'double':
      return element.type === 'DOUBLE';
    case 'int': {
      // Signed INT32 or INT64 (each value checked): an unsigned value may not fit INTEGER.
      const logical = element.logical_type;
      const unsigned =
        element.converted_type === 'UINT_32' ||
        element.converted_type === 'UINT_64' ||
        (logical?.type === 'INTEGER' && logical.bitWidth >= 32 && !logical.isSigned);
      return (
        (element.type === 'INT32' || element.type === 'INT64') &&
        leafKind(element) === 'int' &&
        !unsigned
      );
    }
    default:
      return false;
  }
}

/** How hyparquet hands values over: strings stay UTF-8 bytes, dates day numbers, timestamps ms. */
const PARSERS = {
  stringFromBytes: (bytes: Uint8Array) => bytes,
  jsonFromBytes: (bytes: Uint8Array) => bytes,
  dateFromDays: (days: number) => days,
  timestampFromMilliseconds: (ms: bigint) => Number(ms),
  timestampFromMicroseconds: (us: bigint) => Number(us) / 1e3,
  timestampFromNanoseconds: (ns: bigint) => Number(ns) / 1e6,
};

/**
 * Row groups are sent to DuckDB one batch each, but small ones (a writer set to a few thousand
 * rows a group) are put together until a batch holds this many rows: each batch is one insert,
 * and thousands of small inserts cost more than decoding.
 */
const MIN_BATCH_ROWS = 65_536;

interface RowBatch {
  rowStart: number;
  rowEnd: number;
  groups: { index: number; rowStart: number; rowEnd: number }[];
}

function rowBatches(metadata: FileMetaData): RowBatch[] {
  const batches: RowBatch[] = [];
  let current: RowBatch | undefined;
  let row = 0;
  for (const [index, group] of metadata.row_groups.entries()) {
    const rows = Number(group.num_rows);
    if (!current || current.rowEnd - current.rowStart >= MIN_BATCH_ROWS) {
      current = { rowStart: row, rowEnd: row, groups: [] };
      batches.push(current);
    }
    current.groups.push({ index, rowStart: row, rowEnd: row + rows });
    current.rowEnd = row + rows;
    row += rows;
  }
  return batches;
}

const FIRST_DAY = -719_162; // 0001-01-01
const LAST_DAY = 2_932_896; // 9999-12-31

/**
 * Refuses a date before the year 1 or after 9999 (a number stored as a date by mistake, or a
 * timestamp read in the wrong unit): the page could not show it, and no letter has one.
 */
function checkDays(vector: Vector): void {
  let row = 0;
  for (const data of vector.data) {
    const days = data.values as Int32Array;
    for (let i = 0; i < data.length; i++, row++) {
      const day = days[i]!;
      if ((day < FIRST_DAY || day > LAST_DAY) && data.getValid(i))
        throw new BadValue(row, `${day} days from 1970-01-01`, 'not a date in the years 1 to 9999');
    }
  }
}

/** A value as a message shows it: text as text, at most 40 characters. */
function showValue(value: unknown): string {
  const text =
    value instanceof Uint8Array
      ? decoder.decode(value)
      : typeof value === 'bigint'
        ? value.toString()
        : String(value);
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 39)}…` : text);
}

/** Options of {@link decodeParquetToArrow}, for the tests and the benchmark. */
export interface DecodeOptions {
  /** Use the hand-written decoder where it applies (the default); false: hyparquet for all. */
  fast?: boolean;
  /** Told which decoder read each column of each batch (`nulls`: none was needed). */
  onColumn?: (name: string, decoder: 'fast' | 'general' | 'nulls') => void;
}

// Flat columns as the pipeline writes them go through the fast decoder (parquet-fast.ts), the rest
// through hyparquet; strings never become JS strings and dates stay day numbers, so nothing is
// converted row by row unless the file's type differs from the contract's.
/**
 * Decodes a Parquet file's columns, in table order (those in `placeholders` as all-null VARCHAR),
 * into one Arrow IPC stream per row group (or per few small ones) handed to `onBatch`, and
 * returns the number of rows. A column in `optional` (added to the contract later) that the file
 * lacks comes as all nulls. A file that is not Parquet, lacks a column or holds one of a type the
 * contract's cannot be read from fails with a message naming the file (and the column).
 */
export async function decodeParquetToArrow(
  buffer: ArrayBuffer,
  file: string,
  columns: readonly (readonly [string, ColumnType])[],
  placeholders: readonly string[],
  onBatch: (ipc: Uint8Array, rows: number) => void,
  optional: readonly string[] = [],
  options: DecodeOptions = {},
): Promise<number> {
  const wanted = columns.filter(([name]) => !placeholders.includes(name));
  let metadata: FileMetaData;
  let nodes: Map<string, SchemaTree>;
  try {
    metadata = parquetMetadata(buffer);
    nodes = new Map(parquetSchema(metadata).children.map((child) => [child.element.name, child]));
  } catch (error) {
    throw new Error(`${file} is not a readable Parquet file: ${message(error)}`, { cause: error });
  }
  const absent = wanted.map(([name]) => name).filter((name) => !nodes.has(name));
  const missing = absent.filter((name) => !optional.includes(name));
  if (missing.length > 0)
    throw new ContractViolation(
      `${file} lacks the column(s) ${missing.join(', ')} that the data contract requires.`,
    );

  const chunksOf = (name: string) =>
    metadata.row_groups.flatMap((group) =>
      group.columns.filter((chunk) => chunk.meta_data?.path_in_schema[0] === name),
    );
  const present = wanted.filter(([name]) => nodes.has(name));
  const codecs = new Set(
    present.flatMap(([name]) => chunksOf(name).map((chunk) => chunk.meta_data!.codec)),
  );
  const unreadable = [...codecs].filter((codec) => !READABLE_CODECS.includes(codec));
  if (unreadable.length > 0)
    throw new ContractViolation(
      `${file} is compressed with ${unreadable.join(', ')}, which the dashboard cannot read: ` +
        `write it uncompressed or with ${READABLE_CODECS.slice(1).join(', ')}.`,
    );

  const compressors = await compressorsFor(codecs);
  let scan: Awaited<ReturnType<typeof parquetScan>> | undefined;
  const readGroup = async (name: string, rowStart: number, rowEnd: number) => {
    scan ??= await parquetScan({
      file: buffer,
      metadata,
      compressors,
      parsers: PARSERS,
    } as Parameters<typeof parquetScan>[0]);
    try {
      return await scan.readColumn({ column: name, rowStart, rowEnd });
    } catch (error) {
      throw new Error(`${file} is not a readable Parquet file: ${message(error)}`, {
        cause: error,
      });
    }
  };
  const readBatch = async (name: string, batch: RowBatch): Promise<ArrayLike<unknown>> => {
    if (batch.groups.length === 1) return readGroup(name, batch.rowStart, batch.rowEnd);
    const values: unknown[] = [];
    for (const group of batch.groups) {
      const part = await readGroup(name, group.rowStart, group.rowEnd);
      for (let i = 0; i < part.length; i++) values.push(part[i]);
    }
    return values;
  };

  // How each column is read; a column whose type no reading fits is refused unless it holds
  // nothing but nulls (pandas types an all-null column as it likes).
  const readings = new Map<string, Reading>();
  for (const [name, type] of present) {
    const node = nodes.get(name)!;
    let reading = readingFor(node, type);
    if (!reading) {
      const chunks = chunksOf(name);
      const nullsOnly =
        chunks.length > 0 &&
        chunks.every((chunk) => {
          const meta = chunk.meta_data!;
          return meta.statistics?.null_count === meta.num_values;
        });
      if (!nullsOnly)
        throw new ContractViolation(
          `${file}: the column ${name} holds ${describeColumn(node)} where the data contract ` +
            `requires ${CONTRACT_WORDS[type]}.`,
        );
      reading = 'nulls';
    }
    readings.set(name, reading);
  }
  const zones = pandasTimeZones(metadata);
  const fast = options.fast !== false;

  for (const batch of rowBatches(metadata)) {
    const length = batch.rowEnd - batch.rowStart;
    const vectors: Record<string, Vector> = {};
    for (const [name, type] of columns) {
      const reading = readings.get(name) ?? 'nulls';
      if (placeholders.includes(name) || reading === 'nulls') {
        vectors[name] = nullVector(type, length);
        options.onColumn?.(name, 'nulls');
        continue;
      }
      const node = nodes.get(name)!;
      let vector: Vector | null = null;
      const [group] = batch.groups;
      if (
        fast &&
        group &&
        batch.groups.length === 1 &&
        fastReadable(reading, node.element) &&
        canDecodeFast(metadata, group.index, name)
      ) {
        const chunk = metadata.row_groups[group.index]!.columns.find(
          (c) => c.meta_data?.path_in_schema.join('.') === name,
        )!;
        try {
          vector = fastVector(
            reading,
            decodeColumnChunk(buffer, metadata, chunk, name, length, compressors),
          );
        } catch {
          vector = null; // an encoding the fast path does not know: the general reader has it
        }
      }
      const decoder = vector ? 'fast' : 'general';
      const values = vector ? [] : await readBatch(name, batch);
      try {
        vector ??= readValues(type, reading, values, zones.get(name));
        if (type === 'DATE') checkDays(vector);
      } catch (error) {
        if (!(error instanceof BadValue)) throw error;
        throw new ContractViolation(
          `${file}: the column ${name} holds ${showValue(error.value)} (row ` +
            `${batch.rowStart + error.row + 1}), ${error.why}; the data contract requires ` +
            `${CONTRACT_WORDS[type]}.`,
          { cause: error },
        );
      }
      options.onColumn?.(name, decoder);
      vectors[name] = vector;
    }
    const ipc = tableToIPC(new Table(vectors), 'stream');
    onBatch(
      ipc.byteOffset === 0 && ipc.byteLength === ipc.buffer.byteLength ? ipc : ipc.slice(),
      length,
    );
  }
  return metadata.row_groups.reduce((rows, group) => rows + Number(group.num_rows), 0);
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
