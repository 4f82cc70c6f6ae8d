import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as ExcelModule from 'exceljs';
import { strFromU8, unzipSync } from 'fflate';
import { CONTRACT_VERSION, SECTION_HEADINGS, type Section } from '@/core/schema';
import { ALL_SURE_TABLES_SQL } from '@/lib/derived-tables';
import {
  buildDatasetSql,
  DATASET_COLUMNS,
  DATASET_TABLES,
  type DatasetRows,
  type DatasetTable,
} from '@/lib/export-data-sql';
import { buildDatasetZip, datasetFileName, type DatasetAbout } from '@/lib/export-dataset';
import { filtersInForce } from '@/lib/export-notes';
import { buildWorkbook, CUT_MARK, EXCEL_CELL_LIMIT } from '@/lib/export-workbook';
import { WEAKNESS_SECTIONS, type Filters } from '@/lib/filters';
import { sqlLiteral } from '@/lib/sql';
import { runBuilt, useContractFixture } from '../support/parquet-fixture';
import { parseCsv, splitCsvNotes } from '../support/csv-export';

// The package's Node entry reads the workbook back: not the browser bundle that wrote it.
const Excel = ((ExcelModule as unknown as { default?: typeof ExcelModule }).default ??
  ExcelModule) as typeof ExcelModule;

const fixture = useContractFixture();

// The sure twins of the theme tables, which the page builds the first time `tags=sure` asks.
beforeAll(async () => {
  for (const statement of ALL_SURE_TABLES_SQL) await fixture.db.run(statement);
});

const MADE = new Date('2025-12-04T15:30:12Z');

function about(filters: Filters = {}): DatasetAbout {
  const params = new URLSearchParams();
  if (filters.region) params.set('region', filters.region);
  if (filters.section) params.set('section', filters.section);
  if (filters.tags) params.set('tags', filters.tags);
  return {
    version: 'contract 1.3 · taxonomy 1 · data 0123456789ab, built 2025-12-01',
    builtOn: '2025-12-01',
    contractVersion: CONTRACT_VERSION,
    filters: filtersInForce(params, null),
    made: MADE,
    link: 'https://example.org/?view=overview',
  };
}

async function datasetRows(filters: Filters): Promise<DatasetRows> {
  const queries = buildDatasetSql(filters);
  const rows = {} as Record<DatasetTable, unknown[]>;
  for (const table of DATASET_TABLES) rows[table] = await runBuilt(fixture.db, queries[table]);
  return rows as unknown as DatasetRows;
}

/** Rows in each Parquet file, counted by DuckDB reading the files themselves. */
async function parquetCounts(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of DATASET_TABLES) {
    const path = sqlLiteral(join(fixture.dir, `${table}.parquet`));
    const reader = await fixture.db.runAndReadAll(
      `SELECT count(*)::INTEGER AS n FROM read_parquet(${path})`,
    );
    counts[table] = Number(reader.getRowObjectsJS()[0]!.n);
  }
  return counts;
}

async function readWorkbook(bytes: Uint8Array) {
  const workbook = new Excel.Workbook();
  await workbook.xlsx.load(
    bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
  );
  return workbook;
}

/** A sheet's rows as objects keyed by its header row's names. */
function sheetObjects(workbook: ExcelModule.Workbook, name: string): Record<string, unknown>[] {
  const sheet = workbook.getWorksheet(name)!;
  const header = (sheet.getRow(1).values as unknown[]).slice(1).map(String);
  const out: Record<string, unknown>[] = [];
  sheet.eachRow((row, number) => {
    if (number === 1) return;
    const values = row.values as unknown[];
    out.push(Object.fromEntries(header.map((h, i) => [h, values[i + 1] ?? null])));
  });
  return out;
}

/** The About sheet as label → text. */
function aboutSheet(workbook: ExcelModule.Workbook): Map<string, string> {
  const sheet = workbook.getWorksheet('About')!;
  const lines = new Map<string, string>();
  sheet.eachRow((row) => lines.set(String(row.getCell(1).value), String(row.getCell(2).value)));
  return lines;
}

describe('the data set as an Excel workbook', () => {
  it('holds an About sheet and every table whole, with names beside the ids', async () => {
    const rows = await datasetRows({});
    const workbook = await readWorkbook(await buildWorkbook(rows, about()));
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['About', ...DATASET_TABLES]);

    // As many rows per sheet as DuckDB counts in each Parquet file.
    const counts = await parquetCounts();
    for (const table of DATASET_TABLES) {
      const sheet = workbook.getWorksheet(table)!;
      expect(sheet.rowCount - 1, table).toBe(counts[table]);
      expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual([...DATASET_COLUMNS[table]]);
    }

    // Letters with their council's name, codes, region and type, as the reference table has them.
    const letters = sheetObjects(workbook, 'letters');
    for (const letter of fixture.letters) {
      const council = fixture.councils.find((c) => c.la_code === letter.la_code)!;
      const row = letters.find((r) => r.letter_id === letter.letter_id)!;
      expect(row).toMatchObject({
        council_name: letter.council_name,
        la_code: council.la_code,
        dfe_la_code: council.dfe_la_code,
        region: council.region,
        la_type: council.la_type,
        reporting_year: letter.reporting_year,
        finding_count: letter.finding_count,
        has_priority_actions: letter.has_priority_actions,
      });
      // Dates are dates, not text.
      expect(row.inspection_start).toBeInstanceOf(Date);
      expect((row.inspection_start as Date).toISOString().slice(0, 10)).toBe(
        letter.inspection_start,
      );
      expect(row.source_text).toBe(letter.source_text);
    }

    // Findings with their council and section, in the letters' words too.
    const findings = sheetObjects(workbook, 'findings');
    for (const finding of fixture.findings) {
      const letter = fixture.letters.find((l) => l.letter_id === finding.letter_id)!;
      expect(findings.find((r) => r.finding_id === finding.finding_id)).toMatchObject({
        council_name: letter.council_name,
        section: finding.section,
        section_heading: SECTION_HEADINGS[finding.section as Section],
        text: finding.text,
        position: finding.position,
      });
    }

    // Theme tags with their confidence, uncertainty and source, and the theme's label.
    const tags = sheetObjects(workbook, 'finding_themes');
    for (const tag of fixture.findingThemes) {
      const theme = fixture.themes.find((t) => t.theme_id === tag.theme_id)!;
      const row = tags.find((r) => r.finding_id === tag.finding_id && r.theme_id === tag.theme_id);
      expect(row).toMatchObject({
        theme_label: theme.label,
        rank: tag.rank,
        confidence: tag.confidence,
        uncertain: tag.uncertain,
        source: tag.source,
      });
    }

    const lines = aboutSheet(workbook);
    expect(lines.get('Data version')).toBe(about().version);
    expect(lines.get('Data built on')).toBe('2025-12-01');
    expect(lines.get('Data contract version')).toBe(CONTRACT_VERSION);
    expect(lines.get('Filters')).toBe('none: the whole data set');
    expect(lines.get('Made')).toBe('2025-12-04T15:30:12Z');
    expect(lines.get('Source')).toMatch(/^Ofsted's inspection letters/);
    for (const table of DATASET_TABLES)
      expect(lines.get(`Sheet ${table}`)).toMatch(new RegExp(`^${counts[table]} rows?\\. `));
  });

  it('holds only the letters the filters select, their findings in the section and their sure tags', async () => {
    const region = fixture.letters[0]!.region!;
    const filters: Filters = { region, section: 'weakness', tags: 'sure' };
    const workbook = await readWorkbook(
      await buildWorkbook(await datasetRows(filters), about(filters)),
    );

    // The same selection made in plain JavaScript from the Parquet rows hyparquet read.
    const letters = fixture.letters.filter((l) => l.region === region);
    const ids = new Set(letters.map((l) => l.letter_id));
    const findings = fixture.findings.filter(
      (f) => ids.has(f.letter_id) && WEAKNESS_SECTIONS.includes(f.section),
    );
    const findingIds = new Set(findings.map((f) => f.finding_id));
    const tags = fixture.findingThemes.filter(
      (t) => findingIds.has(t.finding_id) && t.uncertain !== true,
    );
    expect(letters.length).toBeGreaterThan(0);
    expect(findings.length).toBeGreaterThan(0);
    expect(
      sheetObjects(workbook, 'letters')
        .map((r) => r.letter_id)
        .sort(),
    ).toEqual([...ids].sort());
    expect(
      sheetObjects(workbook, 'findings')
        .map((r) => r.finding_id)
        .sort(),
    ).toEqual([...findingIds].sort());
    expect(sheetObjects(workbook, 'finding_themes')).toHaveLength(tags.length);
    const councils = sheetObjects(workbook, 'councils');
    expect(councils).toHaveLength(fixture.councils.filter((c) => c.region === region).length);
    expect(councils.reduce((n, c) => n + Number(c.letters), 0)).toBe(letters.length);
    expect(aboutSheet(workbook).get('Filters')).toBe(
      `Region = ${region}; Section = Weaknesses (development or priority action); Theme tags = uncertain tags left out (the letters these select, their findings and tags)`,
    );
    expect(datasetFileName(about(filters).filters, 'xlsx')).toBe(
      `front-door-inspections-data_region-${region.toLowerCase().replace(/[^a-z0-9]+/g, '-')}_section-weakness_sure-tags.xlsx`,
    );
  });

  it("cuts a text longer than Excel's cell at its limit and says so; a formula stays text", async () => {
    const rows = await datasetRows({});
    const long = 'x'.repeat(EXCEL_CELL_LIMIT + 5000);
    rows.letters[0] = { ...rows.letters[0]!, source_text: long };
    rows.findings[0] = { ...rows.findings[0]!, text: '=HYPERLINK("http://evil.example","x")' };
    const workbook = await readWorkbook(await buildWorkbook(rows, about()));
    const letter = workbook.getWorksheet('letters')!.getRow(2);
    const text = String(letter.getCell(DATASET_COLUMNS.letters.indexOf('source_text') + 1).value);
    expect(text.length).toBe(EXCEL_CELL_LIMIT);
    expect(text.endsWith(CUT_MARK)).toBe(true);
    expect(aboutSheet(workbook).get('Cut cells')).toMatch(/^1 text was longer than Excel holds/);
    const cell = workbook
      .getWorksheet('findings')!
      .getRow(2)
      .getCell(DATASET_COLUMNS.findings.indexOf('text') + 1);
    expect(cell.type).toBe(Excel.ValueType.String);
    expect(cell.value).toBe('=HYPERLINK("http://evil.example","x")');
  });
});

describe('the data set as a zip of CSV files', () => {
  it('holds a README and one CSV per table, each with its notes and every row', async () => {
    const rows = await datasetRows({});
    const files = unzipSync(buildDatasetZip(rows, about()));
    expect(Object.keys(files).sort()).toEqual(
      ['README.txt', ...DATASET_TABLES.map((t) => `${t}.csv`)].sort(),
    );
    const counts = await parquetCounts();
    for (const table of DATASET_TABLES) {
      const { notes, table: text } = splitCsvNotes(strFromU8(files[`${table}.csv`]!));
      expect(notes).toEqual([
        `Front-door inspections 2009-12: the ${table} table of the data`,
        'filters: none',
        `data version: ${about().version}`,
        'made: 2025-12-04T15:30:12Z',
        'link: https://example.org/?view=overview',
      ]);
      const [header, ...records] = parseCsv(text);
      expect(header).toEqual([...DATASET_COLUMNS[table]]);
      expect(records, table).toHaveLength(counts[table]!);
    }
    // A letter's whole text survives, line breaks and all.
    const letters = parseCsv(splitCsvNotes(strFromU8(files['letters.csv']!)).table);
    const column = DATASET_COLUMNS.letters.indexOf('source_text');
    const first = fixture.letters.find((l) => l.letter_id === letters[1]![0])!;
    expect(letters[1]![column]!.replace(/\r\n/g, '\n')).toBe(first.source_text);
    const readme = strFromU8(files['README.txt']!);
    expect(readme).toContain(`Data contract version: ${CONTRACT_VERSION}`);
    expect(readme).toContain('Filters: none: the whole data set');
    expect(readme).toContain('skiprows=5');
  });
});
