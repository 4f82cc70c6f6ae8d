import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DuckDBInstance,
  type DuckDBConnection,
  type DuckDBInstance as Instance,
} from '@duckdb/node-api';
import { tableFromIPC } from 'apache-arrow';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { ADDED_COLUMNS, TABLE_NAMES, TABLES, type ColumnType, type TableName } from '@/core/schema';
import { decodeParquetToArrow, type DecodeOptions } from '@/lib/parquet-to-arrow';
import { writeSyntheticParquet } from '../../scripts/bench/synthetic-parquet';
import { ingestLetters, readRows, removeIngested } from '../support/parquet-fixture';
import {
  copyVariant,
  fileBuffer,
  writeTable,
  writeWithHyparquet,
  type CopyVariant,
  type WriterVariant,
} from '../support/parquet-variants';

// The contract's files as other tools write them (every codec, row-group size, page version,
// encoding, and the types pandas, polars, R and Spark give dates and integers) decode to the
// same values as the pipeline's own files, through the fast decoder and through hyparquet alike;
// files that break the contract are refused with the file and the column named.

let realDir: string;
let work: string;
let baseDir: string;
let instance: Instance;
let db: DuckDBConnection;

beforeAll(async () => {
  realDir = ingestLetters();
  work = mkdtempSync(join(tmpdir(), 'parquet-variants-'));
  // Enough rows for several pages, dictionary and plain strings, and several row groups below.
  baseDir = (await writeSyntheticParquet(realDir, 5_000, join(work, 'base'))).dir;
  instance = await DuckDBInstance.create(':memory:');
  db = await instance.connect();
  await db.run("SET TimeZone = 'UTC'");
}, 180_000);

afterAll(() => {
  db?.closeSync();
  instance?.closeSync();
  if (work) rmSync(work, { recursive: true, force: true });
  if (realDir) removeIngested(realDir);
});

/** A value as JSON compares it: dates as epoch milliseconds, lists and vectors as arrays. */
function plain(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value) || ArrayBuffer.isView(value))
    return Array.from(value as ArrayLike<unknown>, plain);
  if (typeof value === 'object' && 'toArray' in value)
    return plain((value as { toArray: () => unknown }).toArray());
  return value;
}

const columnsOf = (table: TableName) => Object.entries(TABLES[table]) as [string, ColumnType][];

async function decode(buffer: ArrayBuffer, table: TableName, options: DecodeOptions = {}) {
  const batches: Uint8Array[] = [];
  const rows = await decodeParquetToArrow(
    buffer,
    `${table}.parquet`,
    columnsOf(table),
    [],
    (ipc) => batches.push(ipc),
    [...((ADDED_COLUMNS[table] ?? []) as string[])],
    options,
  );
  const tables = batches.map((ipc) => tableFromIPC(ipc));
  return {
    rows,
    batches: batches.length,
    tables,
    values: tables.flatMap((t) => t.toArray().map((row) => row.toJSON())),
  };
}

/** The sets written so far, by label: DuckDB takes long over BROTLI, so each is written once. */
const sets = new Map<string, Promise<string>>();
function copied(label: string, variant: CopyVariant): Promise<string> {
  let dir = sets.get(label);
  if (!dir) {
    dir = copyVariant(db, baseDir, join(work, label.replace(/\W+/g, '-')), variant);
    sets.set(label, dir);
  }
  return dir;
}

/** Each table's rows as hyparquet reads the pipeline's own file. */
const expected = new Map<TableName, Record<string, unknown>[]>();
async function expectedRows(table: TableName) {
  let rows = expected.get(table);
  if (!rows) {
    rows = await parquetReadObjects({ file: fileBuffer(baseDir, table) });
    expected.set(table, rows);
  }
  return rows;
}

/** Decodes every table of `dir` both ways and checks each column against the pipeline's file. */
async function expectSameAsPipeline(dir: string) {
  for (const table of TABLE_NAMES) {
    const want = await expectedRows(table);
    for (const fast of [true, false]) {
      const { rows, values, tables } = await decode(fileBuffer(dir, table), table, { fast });
      expect(rows, table).toBe(want.length);
      expect(values.length, table).toBe(want.length);
      for (const [name, type] of columnsOf(table)) {
        const got = values.map((row) => plain(row[name]));
        expect(got, `${table}.${name} (fast ${fast})`).toEqual(want.map((row) => plain(row[name])));
        const field = tables[0]?.schema.fields.find((f) => f.name === name);
        expect(String(field?.type), `${table}.${name}`).toMatch(ARROW_TYPES[type]);
      }
    }
  }
}

/** The Arrow type each contract type is sent to DuckDB as (no cast needed there). */
const ARROW_TYPES: Record<ColumnType, RegExp> = {
  VARCHAR: /^(Utf8|Dictionary<Int32, Utf8>)$/,
  INTEGER: /^Int32$/,
  DOUBLE: /^Float64$/,
  BOOLEAN: /^Bool$/,
  DATE: /^Date32<DAY>$/,
  'INTEGER[]': /^List<Int32>$/,
};

const COPY_VARIANTS: [string, CopyVariant][] = [
  ...['uncompressed', 'snappy', 'zstd', 'gzip', 'lz4', 'lz4_raw', 'brotli'].map(
    (compression): [string, CopyVariant] => [compression.toUpperCase(), { compression }],
  ),
  ['ZSTD, row groups of 2,048 rows', { compression: 'zstd', rowGroupSize: 2048 }],
  ['dates as TIMESTAMP (µs)', { types: { DATE: 'TIMESTAMP' } }],
  ['dates as TIMESTAMP_MS', { types: { DATE: 'TIMESTAMP_MS' } }],
  ['dates as TIMESTAMP_NS', { types: { DATE: 'TIMESTAMP_NS' } }],
  ['dates as TIMESTAMP_S', { types: { DATE: 'TIMESTAMP_S' } }],
  ['dates as TIMESTAMPTZ (UTC)', { types: { DATE: 'TIMESTAMPTZ' } }],
  ['dates as YYYY-MM-DD text', { types: { DATE: 'VARCHAR' } }],
  ['dates as YYYY-MM-DDT00:00:00 text', { types: { DATE: 'VARCHAR' }, isoWithTime: true }],
  ['integers as BIGINT', { types: { INTEGER: 'BIGINT', 'INTEGER[]': 'BIGINT[]' } }],
  ['integers as DOUBLE (pandas, a column with a missing value)', { types: { INTEGER: 'DOUBLE' } }],
  [
    'as pandas writes: SNAPPY, INT64, TIMESTAMP_NS, its index and metadata',
    {
      compression: 'snappy',
      types: { INTEGER: 'BIGINT', DATE: 'TIMESTAMP_NS', 'INTEGER[]': 'BIGINT[]' },
      extraColumns: '(row_number() OVER () - 1)::BIGINT AS __index_level_0__',
      kvMetadata: { pandas: '{"index_columns": ["__index_level_0__"], "columns": []}' },
    },
  ],
  [
    'as polars writes: ZSTD, INT64, TIMESTAMP (µs)',
    {
      compression: 'zstd',
      types: { INTEGER: 'BIGINT', DATE: 'TIMESTAMP', 'INTEGER[]': 'BIGINT[]' },
    },
  ],
];

const WRITER_VARIANTS: [string, WriterVariant][] = [
  ['data pages v2, SNAPPY, dictionaries', {}],
  [
    'data pages v2, uncompressed, PLAIN, required columns',
    { codec: 'UNCOMPRESSED', plain: true, required: true },
  ],
  ['legacy LZ4 (Hadoop framing), row groups of 300 rows', { codec: 'LZ4', rowGroupSize: 300 }],
  ['dates as INT96 timestamps (Spark)', { int96Dates: true }],
];

describe('Parquet files from other tools', () => {
  for (const [label, variant] of COPY_VARIANTS) {
    // BROTLI is decoded in plain JavaScript: on a loaded two-core machine it has taken 68 s.
    it(`decode to the pipeline's values: DuckDB COPY, ${label}`, async () => {
      await expectSameAsPipeline(await copied(label, variant));
    }, 240_000);
  }

  for (const [label, variant] of WRITER_VARIANTS) {
    it(`decode to the pipeline's values: hyparquet-writer, ${label}`, async () => {
      const dir = join(work, `writer-${label.replace(/\W+/g, '-')}`);
      for (const table of TABLE_NAMES) {
        const rows = await readRows<Record<string, unknown>>(baseDir, table);
        writeTable(dir, table, writeWithHyparquet(table, rows, variant));
      }
      if (variant.int96Dates) {
        const metadata = parquetMetadata(fileBuffer(dir, 'letters'));
        expect(metadata.schema.find((e) => e.name === 'inspection_start')?.type).toBe('INT96');
      }
      if (variant.codec === 'LZ4') {
        const metadata = parquetMetadata(fileBuffer(dir, 'findings'));
        expect(metadata.row_groups[0]!.columns[0]!.meta_data!.codec).toBe('LZ4');
      }
      await expectSameAsPipeline(dir);
    });
  }

  it('puts small row groups together into batches of at least 65,536 rows', async () => {
    const rows = await readRows<Record<string, unknown>>(baseDir, 'findings');
    const bytes = writeWithHyparquet('findings', rows, { rowGroupSize: 100 });
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    expect(parquetMetadata(buffer as ArrayBuffer).row_groups.length).toBeGreaterThan(40);
    const { batches, rows: count } = await decode(buffer as ArrayBuffer, 'findings');
    expect(count).toBe(rows.length);
    expect(batches).toBe(1);
  });

  it('reads a tz-aware timestamp as the date where pandas said it was written, else in UTC', async () => {
    // A London analyst's dates: midnight BST is 23:00 UTC the day before.
    await db.run("SET TimeZone = 'Europe/London'");
    try {
      const zone = (timezone: string) =>
        JSON.stringify({
          columns: ['letter_date', 'inspection_start', 'inspection_end'].map((name) => ({
            name,
            field_name: name,
            pandas_type: 'datetimetz',
            metadata: { timezone },
          })),
        });
      const told = await copyVariant(db, baseDir, join(work, 'tz-told'), {
        types: { DATE: 'TIMESTAMPTZ' },
        kvMetadata: { pandas: zone('Europe/London') },
      });
      await expectSameAsPipeline(told);
      const untold = await copyVariant(db, baseDir, join(work, 'tz-untold'), {
        types: { DATE: 'TIMESTAMPTZ' },
      });
      const want = await expectedRows('letters');
      const { values } = await decode(fileBuffer(untold, 'letters'), 'letters');
      const shifts = new Set(
        values.map(
          (row, i) =>
            ((plain(row.inspection_start) as number) -
              (plain(want[i]!.inspection_start) as number)) /
            86_400_000,
        ),
      );
      // Summer dates come out a day early in UTC, winter ones as written.
      expect([...shifts].sort()).toEqual([-1, 0]);
    } finally {
      await db.run("SET TimeZone = 'UTC'");
    }
  });

  it('takes a column of nothing but nulls, whatever its type, as nulls', async () => {
    const dir = await copyVariant(db, baseDir, join(work, 'null-column'), {
      replace: { letters: { parse_warnings: 'NULL::INTEGER', la_code: 'NULL' } },
    });
    const { values } = await decode(fileBuffer(dir, 'letters'), 'letters');
    expect(values.every((row) => row.parse_warnings === null && row.la_code === null)).toBe(true);
  });
});

describe('the fast decoder', () => {
  it("reads every flat column of the pipeline's files, and gives hyparquet's values", async () => {
    for (const dir of [realDir, baseDir]) {
      for (const table of TABLE_NAMES) {
        const used = new Map<string, string>();
        const fast = await decode(fileBuffer(dir, table), table, {
          onColumn: (name, decoder) => used.set(name, decoder),
        });
        const general = await decode(fileBuffer(dir, table), table, { fast: false });
        expect(fast.values.map((r) => JSON.stringify(r))).toEqual(
          general.values.map((r) => JSON.stringify(r)),
        );
        const nested = table === 'councils'; // a list column: hyparquet reads the whole file
        for (const [name] of columnsOf(table))
          if (!nested) expect(used.get(name), `${table}.${name}`).toBe('fast');
      }
    }
  });

  it("reads pandas' INT64 integers too, and leaves one that does not fit to the general reader", async () => {
    const dir = await copied('integers as BIGINT', {
      types: { INTEGER: 'BIGINT', 'INTEGER[]': 'BIGINT[]' },
    });
    const used = new Map<string, string>();
    await decode(fileBuffer(dir, 'findings'), 'findings', {
      onColumn: (name, decoder) => used.set(name, decoder),
    });
    expect(used.get('position')).toBe('fast');
    expect(used.get('char_start')).toBe('fast');
  });

  it('reads ZSTD, GZIP, BROTLI and LZ4 pages too', async () => {
    for (const compression of ['zstd', 'gzip', 'brotli', 'lz4']) {
      const dir = await copied(compression.toUpperCase(), { compression });
      const used = new Set<string>();
      await decode(fileBuffer(dir, 'findings'), 'findings', {
        onColumn: (_, decoder) => used.add(decoder),
      });
      expect([...used], compression).toEqual(['fast']);
    }
  });
});

let refused = 0;

describe('files that break the contract', () => {
  /** The message a variant's table is refused with, the same through either decoder. */
  async function refusal(variant: CopyVariant, table: TableName): Promise<string> {
    const dir = await copyVariant(db, baseDir, join(work, `bad-${refused++}`), variant);
    const messages: string[] = [];
    for (const fast of [true, false])
      messages.push(
        await decode(fileBuffer(dir, table), table, { fast }).then(
          () => 'decoded',
          (error: unknown) => (error instanceof Error ? error.message : String(error)),
        ),
      );
    expect(messages[0]).toBe(messages[1]);
    return messages[0]!;
  }

  it('text where a number is required', async () => {
    expect(
      await refusal(
        { replace: { letters: { dfe_la_code: "'LA ' || dfe_la_code::VARCHAR" } } },
        'letters',
      ),
    ).toBe(
      'letters.parquet: the column dfe_la_code holds text (BYTE_ARRAY UTF8) where the data ' +
        'contract requires whole numbers (INTEGER).',
    );
  });

  it('a number where text is required, a list where a number is, a struct where a list is', async () => {
    expect(await refusal({ replace: { findings: { section: 'position' } } }, 'findings')).toMatch(
      /^findings\.parquet: the column section holds whole numbers \(INT32\) where the data contract requires text \(VARCHAR\)\.$/,
    );
    expect(
      await refusal({ replace: { findings: { position: '[position]' } } }, 'findings'),
    ).toMatch(/^findings\.parquet: the column position holds lists of whole numbers/);
    expect(
      await refusal(
        { replace: { councils: { stat_neighbours_2021_proxy: "{'a': dfe_la_code}" } } },
        'councils',
      ),
    ).toMatch(/^councils\.parquet: the column stat_neighbours_2021_proxy holds a group of fields/);
  });

  it('a date that is not one, a whole number too large, a fraction', async () => {
    expect(
      await refusal(
        { replace: { letters: { inspection_start: "strftime(inspection_start, '%d/%m/%Y')" } } },
        'letters',
      ),
    ).toMatch(
      /^letters\.parquet: the column inspection_start holds "\d\d\/\d\d\/\d{4}" \(row 1\), not a date written YYYY-MM-DD; the data contract requires dates/,
    );
    expect(
      await refusal(
        { replace: { letters: { inspection_start: 'inspection_start + 3000000' } } },
        'letters',
      ),
    ).toMatch(
      /^letters\.parquet: the column inspection_start holds "\d+ days from 1970-01-01" \(row 1\), not a date in the years 1 to 9999;/,
    );
    expect(
      await refusal(
        {
          replace: {
            letters: { inspection_start: "'0000-' || strftime(inspection_start, '%m-%d')" },
          },
        },
        'letters',
      ),
    ).toMatch(
      /^letters\.parquet: the column inspection_start holds "-\d+ days from 1970-01-01" \(row 1\)/,
    );
    expect(
      await refusal(
        { replace: { findings: { char_end: 'char_end::BIGINT + 3000000000' } } },
        'findings',
      ),
    ).toMatch(
      /^findings\.parquet: the column char_end holds "\d+" \(row 1\), too large for an INTEGER/,
    );
    expect(
      await refusal({ replace: { findings: { position: 'position + 0.5' } } }, 'findings'),
    ).toMatch(/^findings\.parquet: the column position holds "1\.5" \(row 1\), not a whole number/);
  });

  it('a missing column, a date as a bare number', async () => {
    expect(await refusal({ exclude: { findings: ['section'] } }, 'findings')).toBe(
      'findings.parquet lacks the column(s) section that the data contract requires.',
    );
    expect(
      await refusal(
        {
          replace: { letters: { letter_date: "date_diff('day', DATE '1970-01-01', letter_date)" } },
        },
        'letters',
      ),
    ).toMatch(/^letters\.parquet: the column letter_date holds whole numbers \(INT64/);
  });
});
