import type { ColumnChunk, Compressors, FileMetaData, SchemaElement } from 'hyparquet';
import { READABLE_CODECS } from '@/lib/parquet-codecs';

// The general reader (hyparquet) builds one JS value per row; for the flat columns DuckDB's Parquet
// writer produces (data pages v1, PLAIN or dictionary encoding, any codec hyparquet-compressors
// reads) this module fills typed arrays instead, so a million findings decode in a fraction of the
// time. Anything else (data pages v2, other encodings, nested columns, INT64) is left to hyparquet.

/** A flat Parquet column chunk decoded straight into Arrow-shaped buffers. */
export type FastColumn =
  | {
      kind: 'utf8';
      length: number;
      nullCount: number;
      valid: Uint8Array | null;
      offsets: Int32Array;
      data: Uint8Array;
    }
  | {
      kind: 'utf8-dictionary';
      length: number;
      nullCount: number;
      valid: Uint8Array | null;
      indices: Int32Array;
      dictionary: { offsets: Int32Array; data: Uint8Array; size: number };
    }
  | {
      kind: 'int32';
      length: number;
      nullCount: number;
      valid: Uint8Array | null;
      values: Int32Array;
    }
  | {
      kind: 'float64';
      length: number;
      nullCount: number;
      valid: Uint8Array | null;
      values: Float64Array;
    }
  | {
      kind: 'bool';
      length: number;
      nullCount: number;
      valid: Uint8Array | null;
      values: Uint8Array;
    };

const PHYSICAL = new Set(['BYTE_ARRAY', 'INT32', 'INT64', 'DOUBLE', 'BOOLEAN']);
const INT32_MIN = -2_147_483_648;
const INT32_MAX = 2_147_483_647;

/** An INT64 value as an INTEGER; throws when it does not fit (the general reader then says so). */
function int64ToInt32(view: DataView, at: number): number {
  const value = Number(view.getBigInt64(at, true));
  if (value < INT32_MIN || value > INT32_MAX) throw new Error(`INT64 value ${value} out of range`);
  return value;
}
const CODECS = new Set<string>(READABLE_CODECS);

/** The schema element of a top-level column, when it is flat (no children, not repeated). */
function flatElement(metadata: FileMetaData, name: string): SchemaElement | undefined {
  const root = metadata.schema[0];
  const children = metadata.schema.slice(1);
  if (!root || children.some((e) => e.num_children)) return undefined;
  const element = children.find((e) => e.name === name);
  return element && element.repetition_type !== 'REPEATED' ? element : undefined;
}

/** Whether {@link decodeColumnChunk} can read this column of this row group. */
export function canDecodeFast(metadata: FileMetaData, rowGroup: number, name: string): boolean {
  const element = flatElement(metadata, name);
  const chunk = metadata.row_groups[rowGroup]?.columns.find(
    (c) => c.meta_data?.path_in_schema.join('.') === name,
  );
  const meta = chunk?.meta_data;
  return Boolean(
    element &&
    meta &&
    PHYSICAL.has(meta.type) &&
    CODECS.has(meta.codec) &&
    meta.encodings.every((e) =>
      ['PLAIN', 'PLAIN_DICTIONARY', 'RLE_DICTIONARY', 'RLE', 'BIT_PACKED'].includes(e),
    ),
  );
}

/** Reads Thrift's compact protocol, as much of it as page headers need. */
class Compact {
  pos: number;
  constructor(
    private readonly bytes: Uint8Array,
    start: number,
  ) {
    this.pos = start;
  }

  varint(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const byte = this.bytes[this.pos++]!;
      result += (byte & 0x7f) * 2 ** shift;
      if (!(byte & 0x80)) return result;
      shift += 7;
    }
  }

  zigzag(): number {
    const n = this.varint();
    return n % 2 === 0 ? n / 2 : -(n + 1) / 2;
  }

  /** Reads a struct, calling `field` with each field's id and type; unread fields are skipped. */
  struct(field: (id: number, type: number) => boolean): void {
    let id = 0;
    for (;;) {
      const header = this.bytes[this.pos++]!;
      const type = header & 0x0f;
      if (type === 0) return;
      const delta = header >> 4;
      id = delta ? id + delta : this.zigzag();
      if (!field(id, type)) this.skip(type);
    }
  }

  skip(type: number): void {
    switch (type) {
      case 1:
      case 2:
        return; // booleans live in the type nibble
      case 3:
        this.pos++;
        return;
      case 4:
      case 5:
      case 6:
        this.varint();
        return;
      case 7:
        this.pos += 8;
        return;
      case 8:
        this.pos += this.varint();
        return;
      case 9:
      case 10: {
        const header = this.bytes[this.pos++]!;
        const size = header >> 4 === 15 ? this.varint() : header >> 4;
        for (let i = 0; i < size; i++) this.skip(header & 0x0f);
        return;
      }
      case 11: {
        const size = this.varint();
        if (size === 0) return;
        const types = this.bytes[this.pos++]!;
        for (let i = 0; i < size; i++) {
          this.skip(types >> 4);
          this.skip(types & 0x0f);
        }
        return;
      }
      case 12:
        this.struct(() => false);
        return;
      default:
        throw new Error(`unknown thrift type ${type}`);
    }
  }
}

interface PageHeader {
  type: number;
  uncompressed: number;
  compressed: number;
  numValues: number;
  encoding: number;
}

const PAGE_DATA = 0;
const PAGE_DICTIONARY = 2;
const ENCODING_PLAIN = 0;
const ENCODING_PLAIN_DICTIONARY = 2;
const ENCODING_RLE_DICTIONARY = 8;

function readPageHeader(reader: Compact): PageHeader {
  const header: PageHeader = {
    type: -1,
    uncompressed: 0,
    compressed: 0,
    numValues: 0,
    encoding: 0,
  };
  const inner = (id: number, type: number) => {
    if (type !== 5) return false;
    if (id === 1) header.numValues = reader.zigzag();
    else if (id === 2) header.encoding = reader.zigzag();
    else return false;
    return true;
  };
  reader.struct((id, type) => {
    if (id === 1 && type === 5) header.type = reader.zigzag();
    else if (id === 2 && type === 5) header.uncompressed = reader.zigzag();
    else if (id === 3 && type === 5) header.compressed = reader.zigzag();
    else if ((id === 5 || id === 7) && type === 12) reader.struct(inner);
    else return false;
    return true;
  });
  return header;
}

/** Decodes `count` values of the RLE / bit-packed hybrid encoding into `out` from `pos`. */
function readHybrid(
  bytes: Uint8Array,
  pos: number,
  end: number,
  bitWidth: number,
  count: number,
  out: Int32Array | Uint8Array,
): number {
  const byteWidth = (bitWidth + 7) >> 3;
  const mask = bitWidth >= 32 ? 0xffffffff : (1 << bitWidth) - 1;
  let n = 0;
  while (n < count && pos < end) {
    let header = 0;
    let shift = 0;
    for (;;) {
      const byte = bytes[pos++]!;
      header += (byte & 0x7f) * 2 ** shift;
      if (!(byte & 0x80)) break;
      shift += 7;
    }
    if (header % 2 === 0) {
      const run = header / 2;
      let value = 0;
      for (let i = 0; i < byteWidth; i++) value |= bytes[pos++]! << (8 * i);
      out.fill(value, n, Math.min(count, n + run));
      n += run;
    } else {
      const values = ((header - 1) / 2) * 8;
      if (bitWidth > 24) throw new Error(`bit width ${bitWidth}`);
      let buffer = 0;
      let bits = 0;
      const take = Math.min(values, count - n);
      for (let i = 0; i < take; i++) {
        while (bits < bitWidth) {
          buffer |= bytes[pos++]! << bits;
          bits += 8;
        }
        out[n++] = buffer & mask;
        buffer >>>= bitWidth;
        bits -= bitWidth;
      }
      // Skip the rest of the run's bytes (padding values past the count).
      pos += Math.ceil((values * bitWidth) / 8) - Math.ceil((take * bitWidth) / 8);
    }
  }
  return pos;
}

/** A growable byte buffer for string data. */
class Bytes {
  data: Uint8Array;
  length = 0;
  constructor(capacity: number) {
    this.data = new Uint8Array(Math.max(64, capacity));
  }
  reserve(extra: number): void {
    if (this.length + extra <= this.data.length) return;
    const next = new Uint8Array(Math.max(this.data.length * 2, this.length + extra));
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }
}

function uncompress(
  buffer: Uint8Array,
  pos: number,
  header: PageHeader,
  codec: string,
  compressors: Compressors,
): Uint8Array {
  const compressed = buffer.subarray(pos, pos + header.compressed);
  if (codec === 'UNCOMPRESSED') return compressed;
  const decompress = compressors[codec as keyof Compressors];
  if (!decompress) throw new Error(`codec ${codec}`);
  return decompress(compressed, header.uncompressed);
}

/**
 * Decodes one flat column chunk (a column of one row group) into Arrow-shaped buffers; throws on
 * anything it does not handle (the caller then uses the general reader).
 */
export function decodeColumnChunk(
  file: ArrayBuffer,
  metadata: FileMetaData,
  chunk: ColumnChunk,
  name: string,
  rows: number,
  compressors: Compressors,
): FastColumn {
  const element = flatElement(metadata, name)!;
  const meta = chunk.meta_data!;
  const optional = element.repetition_type === 'OPTIONAL';
  const bytes = new Uint8Array(file);
  const start = Number(meta.dictionary_page_offset ?? meta.data_page_offset);
  const end = start + Number(meta.total_compressed_size);
  const valid = optional ? new Uint8Array((rows + 7) >> 3) : null;
  let nulls = 0;
  let row = 0;
  // Strings: offsets and bytes (PLAIN pages) or dictionary indices (dictionary pages).
  const offsets = new Int32Array(rows + 1);
  const data = new Bytes(meta.type === 'BYTE_ARRAY' ? Number(meta.total_uncompressed_size) : 0);
  const indices = new Int32Array(rows);
  let dictionary: {
    offsets: Int32Array;
    data: Uint8Array;
    size: number;
    ints?: Int32Array;
    doubles?: Float64Array;
  } | null = null;
  let plainPages = false;
  let dictionaryPages = false;
  // INT64 (pandas' integers) is read as INTEGER, each value checked.
  const integer = meta.type === 'INT32' || meta.type === 'INT64';
  const ints = new Int32Array(integer ? rows : 0);
  const doubles = new Float64Array(meta.type === 'DOUBLE' ? rows : 0);
  const bools = new Uint8Array(meta.type === 'BOOLEAN' ? (rows + 7) >> 3 : 0);
  const defs = new Uint8Array(optional ? rows : 0);
  const keys = new Int32Array(rows);

  let pos = start;
  while (pos < end && row < rows) {
    const reader = new Compact(bytes, pos);
    const header = readPageHeader(reader);
    pos = reader.pos;
    const page = uncompress(bytes, pos, header, meta.codec, compressors);
    pos += header.compressed;
    const view = new DataView(page.buffer, page.byteOffset, page.byteLength);
    if (header.type === PAGE_DICTIONARY) {
      const size = header.numValues;
      if (meta.type === 'BYTE_ARRAY') {
        const dictOffsets = new Int32Array(size + 1);
        const dictData = new Uint8Array(page.length);
        let p = 0;
        let total = 0;
        for (let i = 0; i < size; i++) {
          const length = view.getUint32(p, true);
          dictData.set(page.subarray(p + 4, p + 4 + length), total);
          p += 4 + length;
          total += length;
          dictOffsets[i + 1] = total;
        }
        dictionary = { offsets: dictOffsets, data: dictData.subarray(0, total), size };
      } else if (meta.type === 'INT32') {
        const values = new Int32Array(size);
        for (let i = 0; i < size; i++) values[i] = view.getInt32(i * 4, true);
        dictionary = { offsets: new Int32Array(0), data: new Uint8Array(0), size, ints: values };
      } else if (meta.type === 'INT64') {
        const values = new Int32Array(size);
        for (let i = 0; i < size; i++) values[i] = int64ToInt32(view, i * 8);
        dictionary = { offsets: new Int32Array(0), data: new Uint8Array(0), size, ints: values };
      } else if (meta.type === 'DOUBLE') {
        const values = new Float64Array(size);
        for (let i = 0; i < size; i++) values[i] = view.getFloat64(i * 8, true);
        dictionary = { offsets: new Int32Array(0), data: new Uint8Array(0), size, doubles: values };
      } else throw new Error(`dictionary of ${meta.type}`);
      continue;
    }
    if (header.type !== PAGE_DATA) throw new Error(`page type ${header.type}`);
    const count = header.numValues;
    let p = 0;
    // Definition levels (max level 1): RLE, preceded by their byte length.
    let present = count;
    if (optional) {
      const length = view.getUint32(0, true);
      readHybrid(page, 4, 4 + length, 1, count, defs.subarray(0, count));
      p = 4 + length;
      present = 0;
      for (let i = 0; i < count; i++) present += defs[i]!;
    }
    if (header.encoding === ENCODING_PLAIN) {
      if (dictionaryPages) throw new Error('dictionary and plain pages mixed');
      plainPages = true;
      if (meta.type === 'BYTE_ARRAY') {
        data.reserve(page.length - p);
        const out = data.data;
        let o = data.length;
        for (let i = 0; i < count; i++) {
          if (!optional || defs[i]) {
            const length = view.getUint32(p, true);
            p += 4;
            // Short strings copy faster byte by byte than through a subarray each.
            if (length > 64) out.set(page.subarray(p, p + length), o);
            else for (let j = 0; j < length; j++) out[o + j] = page[p + j]!;
            o += length;
            p += length;
          }
          offsets[row + i + 1] = o;
        }
        data.length = o;
      } else if (meta.type === 'INT32') {
        for (let i = 0; i < count; i++)
          if (!optional || defs[i]) {
            ints[row + i] = view.getInt32(p, true);
            p += 4;
          }
      } else if (meta.type === 'INT64') {
        for (let i = 0; i < count; i++)
          if (!optional || defs[i]) {
            ints[row + i] = int64ToInt32(view, p);
            p += 8;
          }
      } else if (meta.type === 'DOUBLE') {
        for (let i = 0; i < count; i++)
          if (!optional || defs[i]) {
            doubles[row + i] = view.getFloat64(p, true);
            p += 8;
          }
      } else {
        let bit = 0;
        for (let i = 0; i < count; i++)
          if (!optional || defs[i]) {
            if ((page[p + (bit >> 3)]! >> (bit & 7)) & 1)
              bools[(row + i) >> 3]! |= 1 << ((row + i) & 7);
            bit++;
          }
      }
    } else if (
      header.encoding === ENCODING_RLE_DICTIONARY ||
      header.encoding === ENCODING_PLAIN_DICTIONARY
    ) {
      if (!dictionary) throw new Error('dictionary page missing');
      dictionaryPages = true;
      const bitWidth = page[p++]!;
      const packed = keys.subarray(0, present);
      if (bitWidth > 0) readHybrid(page, p, page.length, bitWidth, present, packed);
      else packed.fill(0);
      if (plainPages) throw new Error('dictionary and plain pages mixed');
      let k = 0;
      for (let i = 0; i < count; i++) {
        if (optional && !defs[i]) continue;
        const key = packed[k++]!;
        if (integer) ints[row + i] = dictionary.ints![key]!;
        else if (meta.type === 'DOUBLE') doubles[row + i] = dictionary.doubles![key]!;
        else indices[row + i] = key;
      }
    } else throw new Error(`encoding ${header.encoding}`);
    if (optional) {
      for (let i = 0; i < count; i++)
        if (defs[i]) valid![(row + i) >> 3]! |= 1 << ((row + i) & 7);
        else nulls++;
    }
    row += count;
  }
  if (row !== rows) throw new Error(`column ${name}: ${row} values for ${rows} rows`);
  const base = { length: rows, nullCount: nulls, valid: nulls > 0 ? valid : null };
  if (integer) return { kind: 'int32', ...base, values: ints };
  if (meta.type === 'DOUBLE') return { kind: 'float64', ...base, values: doubles };
  if (meta.type === 'BOOLEAN') return { kind: 'bool', ...base, values: bools };
  if (dictionaryPages && dictionary)
    return { kind: 'utf8-dictionary', ...base, indices, dictionary };
  return { kind: 'utf8', ...base, offsets, data: data.data.subarray(0, data.length) };
}
