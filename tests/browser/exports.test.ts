import { copyFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Download, Locator, Page } from 'playwright-core';
import * as ExcelModule from 'exceljs';
import { strFromU8, unzipSync } from 'fflate';
import { parseDocument } from 'htmlparser2';
import { CONTRACT_VERSION } from '@/core/schema';
import { DATASET_COLUMNS, DATASET_TABLES } from '@/lib/export-data-sql';
import { CSV_NOTE_LINES, slugify } from '@/lib/export-notes';
import type { PrecomputedFile } from '@/lib/precomputed';
import { sqlLiteral } from '@/lib/sql';
import { runBuilt } from '../support/parquet-fixture';
import { SHOTS_DIR, useBrowserHarness } from '../support/browser-harness';
import { parseCsv, splitCsvNotes } from '../support/csv-export';

const Excel = ((ExcelModule as unknown as { default?: typeof ExcelModule }).default ??
  ExcelModule) as typeof ExcelModule;

const h = useBrowserHarness();

/** Where the exported files are copied, for people to open. */
const EXPORTS_DIR = join(SHOTS_DIR, 'exports');

/** Presses a button from the keyboard and gives the download it starts, kept in EXPORTS_DIR. */
async function pressForDownload(
  page: Page,
  button: Locator,
): Promise<{ download: Download; file: string }> {
  await button.focus();
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 60_000 }),
    page.keyboard.press('Enter'),
  ]);
  const file = await download.path();
  mkdirSync(EXPORTS_DIR, { recursive: true });
  copyFileSync(file, join(EXPORTS_DIR, download.suggestedFilename()));
  return { download, file };
}

/** The data version line the build wrote (overview.json), as the exports must state it. */
function builtVersion(): string {
  const file = JSON.parse(
    readFileSync(join(h.site.distDir, 'data', 'overview.json'), 'utf8'),
  ) as PrecomputedFile;
  return `${file.data_version}, built ${file.built_on}`;
}

/** A theme, region and reporting year with findings, and how many, read from the Parquet. */
async function busiestSelection() {
  const [row] = await runBuilt<{
    theme_id: string;
    label: string;
    region: string;
    reporting_year: string;
    findings: number;
  }>(h.db, {
    sql: `SELECT t.theme_id, th.label, l.region, l.reporting_year, count(DISTINCT f.finding_id)::INTEGER AS findings
      FROM finding_themes t JOIN findings f USING (finding_id) JOIN letters l USING (letter_id)
      JOIN themes th USING (theme_id)
      WHERE l.region IS NOT NULL
      GROUP BY ALL ORDER BY findings DESC, t.theme_id LIMIT 1`,
    params: [],
  });
  return row!;
}

/** The councils as the reference Parquet file holds them, by name. */
async function councilsByName() {
  const rows = await runBuilt<{
    council_name: string;
    la_code: string;
    dfe_la_code: number;
    region: string;
  }>(h.db, {
    sql: 'SELECT council_name, la_code, dfe_la_code, region FROM councils',
    params: [],
  });
  return new Map(rows.map((r) => [r.council_name, r]));
}

/** The file names of the built JavaScript that holds ExcelJS and html-to-image. */
function lazyChunks(): { excel: string[]; image: string[] } {
  const dir = join(h.site.distDir, 'assets');
  const js = readdirSync(dir).filter((f) => f.endsWith('.js'));
  const holding = (marker: RegExp) =>
    js.filter((f) => marker.test(readFileSync(join(dir, f), 'utf8')));
  return {
    excel: holding(/xl\/worksheets\/sheet/),
    image: holding(/Error inlining remote css file/),
  };
}

/** Every script the page has asked for so far. */
function scriptsRequested(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    performance
      .getEntriesByType('resource')
      .map((e) => e.name)
      .filter((name) => name.endsWith('.js')),
  );
}

describe('every CSV the page writes carries what made it', () => {
  it('names the view and filters in the file, notes them above the table, and gives councils their codes', async () => {
    const pick = await busiestSelection();
    const councils = await councilsByName();
    await h.open(
      `?view=evidence&theme=${pick.theme_id}&region=${encodeURIComponent(pick.region)}&year=${pick.reporting_year}&table=x&tsort=x.a.asc`,
    );
    const panel = h.page
      .locator('main section.panel')
      .filter({ has: h.page.getByRole('button', { name: /CSV/ }) })
      .first();
    await panel.waitFor();
    const before = Date.now();
    const { download, file } = await pressForDownload(
      h.page,
      panel.getByRole('button', { name: /CSV/ }).first(),
    );
    expect(download.suggestedFilename()).toBe(
      `evidence_theme-${slugify(pick.theme_id)}_region-${slugify(pick.region)}_${pick.reporting_year}.csv`,
    );
    const text = readFileSync(file, 'utf8');
    expect(text.startsWith('\ufeff# ')).toBe(true);
    const { notes, table } = splitCsvNotes(text);
    expect(notes).toHaveLength(CSV_NOTE_LINES);
    expect(notes[0]).toBe('Front-door inspections 2009-12: Evidence');
    expect(notes[1]).toBe(
      `filters: Theme = ${pick.label} (${pick.theme_id}); Region = ${pick.region}; Reporting year = ${pick.reporting_year}`,
    );
    expect(notes[2]).toBe(`data version: ${builtVersion()}`);
    const made = Date.parse(notes[3]!.replace(/^made: /, ''));
    expect(made).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(made).toBeLessThanOrEqual(Date.now());
    expect(notes[4]).toMatch(/^link: http:\/\/127\.0\.0\.1:\d+\/.*\?view=evidence&theme=/);

    // One row per finding on the theme in that region and year, as DuckDB counts them in the
    // Parquet; each council with its ONS code, DfE number and region from the reference table.
    const [header, ...records] = parseCsv(table);
    expect(header!.slice(0, 5)).toEqual([
      'Document',
      'Council',
      'ONS code',
      'DfE number',
      'Region',
    ]);
    expect(records).toHaveLength(pick.findings);
    for (const record of records) {
      const council = councils.get(record[1]!)!;
      expect(record.slice(2, 5)).toEqual([
        council.la_code,
        String(council.dfe_la_code),
        council.region,
      ]);
    }
  });

  it('gives a chart of all letters "filters: none" and the view in its name', async () => {
    await h.open('?view=overview');
    const panel = h.page.locator('section.panel', {
      has: h.page.getByRole('heading', { name: 'Themes most often raised as weaknesses' }),
    });
    await panel.locator('.panel-chart').waitFor();
    const { download, file } = await pressForDownload(
      h.page,
      panel.getByRole('button', { name: 'Download CSV' }),
    );
    expect(download.suggestedFilename()).toBe('overview_weakness-themes.csv');
    const { notes, table } = splitCsvNotes(readFileSync(file, 'utf8'));
    expect(notes.slice(0, 3)).toEqual([
      'Front-door inspections 2009-12: Themes most often raised as weaknesses (Overview)',
      'filters: none',
      `data version: ${builtVersion()}`,
    ]);
    expect(parseCsv(table)[0]![0]).toBe('Theme');
  });
});

describe('the whole data set to take away', () => {
  it('downloads as an Excel workbook, loading ExcelJS only then; every sheet matches the Parquet', async () => {
    const chunks = lazyChunks();
    expect(chunks.excel).toHaveLength(1);
    // Not among the scripts the page loads at once.
    const html = readFileSync(join(h.site.distDir, 'index.html'), 'utf8');
    expect(html).not.toContain(chunks.excel[0]);

    await h.open('?view=methodology');
    const footer = h.page.getByTestId('data-downloads');
    const button = footer.getByRole('button', { name: 'Excel workbook (.xlsx)' });
    await button.waitFor();
    expect((await scriptsRequested(h.page)).some((s) => s.endsWith(chunks.excel[0]!))).toBe(false);

    const { download, file } = await pressForDownload(h.page, button);
    expect(download.suggestedFilename()).toBe('front-door-inspections-data.xlsx');
    expect((await scriptsRequested(h.page)).some((s) => s.endsWith(chunks.excel[0]!))).toBe(true);
    await expect
      .poll(() => footer.getByRole('status').textContent())
      .toMatch(/^Downloaded front-door-inspections-data\.xlsx: \d+ letters/);

    const workbook = new Excel.Workbook();
    await workbook.xlsx.readFile(file);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['About', ...DATASET_TABLES]);
    for (const table of DATASET_TABLES) {
      const path = sqlLiteral(join(h.site.dataDir, `${table}.parquet`));
      const [{ n }] = (await runBuilt<{ n: number }>(h.db, {
        sql: `SELECT count(*)::INTEGER AS n FROM read_parquet(${path})`,
        params: [],
      })) as [{ n: number }];
      const sheet = workbook.getWorksheet(table)!;
      expect(sheet.rowCount - 1, table).toBe(n);
      expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual([...DATASET_COLUMNS[table]]);
    }
    const about = new Map<string, string>();
    workbook.getWorksheet('About')!.eachRow((row) => {
      about.set(String(row.getCell(1).value), String(row.getCell(2).value));
    });
    expect(about.get('Data version')).toBe(builtVersion());
    expect(about.get('Data contract version')).toBe(CONTRACT_VERSION);
    expect(about.get('Filters')).toBe('none: the whole data set');
    await h.expectNoSeriousAxeViolations();
  });

  it('downloads as a zip of CSV files, narrowed to the letters the filters select when asked', async () => {
    const [pick] = await runBuilt<{ region: string; letters: number }>(h.db, {
      sql: `SELECT region, count(*)::INTEGER AS letters FROM letters WHERE region IS NOT NULL
        GROUP BY region ORDER BY letters DESC, region LIMIT 1`,
      params: [],
    });
    await h.open(`?view=overview&region=${encodeURIComponent(pick!.region)}`);
    const footer = h.page.getByTestId('data-downloads');
    const narrow = footer.getByRole('checkbox', { name: /Only the letters the filters select/ });
    await narrow.focus();
    await h.page.keyboard.press('Space');
    expect(await narrow.isChecked()).toBe(true);
    const { download, file } = await pressForDownload(
      h.page,
      footer.getByRole('button', { name: /CSV files, one per table/ }),
    );
    expect(download.suggestedFilename()).toBe(
      `front-door-inspections-data_region-${slugify(pick!.region)}.zip`,
    );
    const files = unzipSync(readFileSync(file));
    expect(Object.keys(files).sort()).toEqual(
      ['README.txt', ...DATASET_TABLES.map((t) => `${t}.csv`)].sort(),
    );
    const letters = splitCsvNotes(strFromU8(files['letters.csv']!));
    expect(letters.notes[1]).toBe(`filters: Region = ${pick!.region}`);
    expect(parseCsv(letters.table).slice(1)).toHaveLength(pick!.letters);
    expect(strFromU8(files['README.txt']!)).toContain(`Filters: Region = ${pick!.region}`);
  });
});

/** The width and height a PNG's header gives. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** Every text of an XML document, joined, after checking that it parses as XML. */
function svgText(svg: string): { root: string; text: string } {
  const doc = parseDocument(svg, { xmlMode: true });
  const root = doc.children.find((n) => n.type === 'tag') as { name: string } | undefined;
  const texts: string[] = [];
  const walk = (node: { type: string; data?: string; children?: unknown[] }) => {
    if (node.type === 'text' && node.data) texts.push(node.data);
    for (const child of node.children ?? []) walk(child as typeof node);
  };
  walk(doc as unknown as { type: string; children: unknown[] });
  return { root: root?.name ?? '', text: texts.join(' ').replace(/\s+/g, ' ') };
}

describe('each chart as an image', () => {
  it('saves a chart as PNG and SVG, captioned with its title, n, filters and data version', async () => {
    const [{ n }] = (await runBuilt<{ n: number }>(h.db, {
      sql: 'SELECT count(*)::INTEGER AS n FROM letters',
      params: [],
    })) as [{ n: number }];
    await h.open('?view=overview');
    const panel = h.page.locator('section.panel', {
      has: h.page.getByRole('heading', { name: 'Themes most often raised as weaknesses' }),
    });
    await panel.locator('.panel-chart').waitFor();
    const chunks = lazyChunks();
    expect(chunks.image).toHaveLength(1);
    // html-to-image is fetched on the first press, not before.
    expect((await scriptsRequested(h.page)).some((s) => s.endsWith(chunks.image[0]!))).toBe(false);

    const png = await pressForDownload(
      h.page,
      panel.getByRole('button', { name: 'Save PNG image of this panel' }),
    );
    expect(png.download.suggestedFilename()).toBe('overview_weakness-themes.png');
    expect((await scriptsRequested(h.page)).some((s) => s.endsWith(chunks.image[0]!))).toBe(true);
    const bytes = readFileSync(png.file);
    expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(bytes.length).toBeGreaterThan(20_000);
    const box = (await panel.boundingBox())!;
    // Twice the panel's pixels across, and taller than the panel (the caption is under it).
    expect(pngSize(bytes).width).toBeGreaterThanOrEqual(Math.floor(box.width) * 2);
    expect(pngSize(bytes).height).toBeGreaterThan(box.height * 2);

    const svg = await pressForDownload(
      h.page,
      panel.getByRole('button', { name: 'Save SVG image of this panel' }),
    );
    expect(svg.download.suggestedFilename()).toBe('overview_weakness-themes.svg');
    const { root, text } = svgText(readFileSync(svg.file, 'utf8'));
    expect(root).toBe('svg');
    expect(text).toContain('Themes most often raised as weaknesses');
    expect(text).toContain(`n: ${n} letters under the filters`);
    expect(text).toContain('Filters: none');
    expect(text).toContain(`Data version: ${builtVersion()}`);
    // The buttons are not in the picture.
    expect(text).not.toContain('Download CSV');
  });

  it('saves the recharts chart too, with the filters in its name and caption', async () => {
    const [pick] = await runBuilt<{ region: string }>(h.db, {
      sql: 'SELECT DISTINCT region FROM letters WHERE region IS NOT NULL ORDER BY 1 LIMIT 1',
      params: [],
    });
    const region = pick!.region;
    await h.open(`?view=themes-over-time&region=${encodeURIComponent(region)}`);
    const panel = h.page
      .locator('main section.panel')
      .filter({ has: h.page.locator('svg.recharts-surface') })
      .first();
    await panel.waitFor({ timeout: 60_000 });
    const svg = await pressForDownload(
      h.page,
      panel.getByRole('button', { name: 'Save SVG image of this panel' }),
    );
    expect(svg.download.suggestedFilename()).toMatch(
      new RegExp(`^themes-over-time-[a-z-]+_region-${slugify(region)}\\.svg$`),
    );
    const content = readFileSync(svg.file, 'utf8');
    const { root, text } = svgText(content);
    expect(root).toBe('svg');
    expect(text).toContain(`Filters: Region = ${region}`);
    // The chart's own SVG is inside the picture.
    expect(content).toContain('recharts-surface');
    const png = await pressForDownload(
      h.page,
      panel.getByRole('button', { name: 'Save PNG image of this panel' }),
    );
    expect(png.download.suggestedFilename()).toMatch(/\.png$/);
    expect([...readFileSync(png.file).subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
    expect(readFileSync(png.file).length).toBeGreaterThan(10_000);
  });
});

describe('the export controls on a phone', () => {
  it('fit a 390 px wide window and pass axe', async () => {
    await h.page.setViewportSize({ width: 390, height: 844 });
    await h.open('?view=overview');
    const panel = h.page.locator('section.panel', {
      has: h.page.getByRole('heading', { name: 'Themes most often raised as weaknesses' }),
    });
    await panel.locator('.panel-chart').waitFor();
    const controls = [
      panel.getByRole('button', { name: 'Download CSV' }),
      panel.getByRole('button', { name: 'Save PNG image of this panel' }),
      panel.getByRole('button', { name: 'Save SVG image of this panel' }),
      h.page.getByRole('button', { name: 'Excel workbook (.xlsx)' }),
      h.page.getByRole('button', { name: /CSV files, one per table/ }),
    ];
    for (const control of controls) {
      const box = (await control.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(390);
    }
    await h.expectNoSeriousAxeViolations();
    await h.page.getByTestId('data-downloads').scrollIntoViewIfNeeded();
    await h.page.screenshot({ path: join(SHOTS_DIR, 'exports-phone-footer.png') });
    await panel.scrollIntoViewIfNeeded();
    await h.page.screenshot({ path: join(SHOTS_DIR, 'exports-phone-panel.png') });
  });
});
