import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { toCsv, csvNoteLine, type TableColumn } from '@/lib/csv';
import {
  buildCsvExport,
  CSV_NOTE_LINES,
  exportFileName,
  filtersInForce,
  MAX_STEM,
  versionText,
  withCouncilColumns,
  type CouncilRef,
  type ExportNames,
} from '@/lib/export-notes';
import { filtersOfView } from '@/app/view-filter-keys';
import { runBound, useContractFixture } from '../support/parquet-fixture';
import { parseCsv, splitCsvNotes } from '../support/csv-export';
import { sql } from '@/lib/sql';

const fixture = useContractFixture();

/** The names the page reads from its engine, read here from the same Parquet by DuckDB. */
async function names(): Promise<ExportNames> {
  const themes = await runBound<{ theme_id: string; label: string }>(
    fixture.db,
    sql`SELECT theme_id, label FROM themes`,
  );
  const councils = await runBound<CouncilRef>(
    fixture.db,
    sql`SELECT council_name, la_code, dfe_la_code, region FROM councils ORDER BY council_name`,
  );
  return { themes: new Map(themes.map((t) => [t.theme_id, t.label])), councils };
}

describe('the filters in force, in words and in file names', () => {
  it("names a view's own settings and the shared filters it applies, not the others", async () => {
    const theme = fixture.themes[0]!;
    const letter = fixture.letters[0]!;
    const params = new URLSearchParams({
      view: 'evidence',
      year: letter.reporting_year,
      theme: theme.theme_id,
      region: letter.region!,
      table: 'evidence',
      tsort: 'evidence.text.asc',
      mine: 'x',
    });
    const filters = filtersInForce(params, filtersOfView('evidence'), await names());
    expect(filters.map((f) => [f.label, f.text])).toEqual([
      ['Theme', `${theme.label} (${theme.theme_id})`],
      ['Region', letter.region],
      ['Reporting year', letter.reporting_year],
    ]);
    // Compare applies no region filter: a region in the URL changes nothing there.
    const compare = filtersInForce(
      new URLSearchParams({ view: 'compare', region: letter.region!, year: '2010-11' }),
      filtersOfView('compare'),
    );
    expect(compare.map((f) => f.param)).toEqual(['year']);
  });

  it('names councils, not their codes, and the tag filter in words', async () => {
    const council = fixture.councils.find((c) => c.council_name.includes(' '))!;
    const other = fixture.councils.find((c) => c !== council)!;
    const filters = filtersInForce(
      new URLSearchParams({
        view: 'compare',
        councils: `${council.dfe_la_code},${other.dfe_la_code}`,
        tags: 'sure',
        kind: 'council_report',
      }),
      filtersOfView('compare'),
      await names(),
    );
    expect(filters.map((f) => `${f.label} = ${f.text}`)).toEqual([
      `Councils = ${council.council_name}, ${other.council_name}`,
      'Document = Council report',
      'Theme tags = uncertain tags left out',
    ]);
    expect(exportFileName('compare-side-by-side-weakness', filters, 'csv', 'compare')).toBe(
      `compare-side-by-side-weakness_councils-${council.council_name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${other.council_name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}_kind-council-report_sure-tags.csv`,
    );
  });

  it('gives file names the view, then the filters, each said once', () => {
    const filters = filtersInForce(
      new URLSearchParams({
        view: 'evidence',
        theme: 'late_assessments',
        region: 'London',
        year: '2010-11',
      }),
      filtersOfView('evidence'),
    );
    expect(exportFileName('evidence', filters, 'csv', 'evidence')).toBe(
      'evidence_theme-late-assessments_region-london_2010-11.csv',
    );
    expect(exportFileName('weakness-themes', [], 'png', 'overview')).toBe(
      'overview_weakness-themes.png',
    );
    // A setting the base name says already (a ranking's theme, a measure) is not repeated.
    expect(exportFileName('ranking-late_assessments', filters, 'svg', 'ranking')).toBe(
      'ranking-late-assessments_region-london_2010-11.svg',
    );
  });

  it('keeps file names short, saying that filters were left out of them', () => {
    const filters = filtersInForce(
      new URLSearchParams({
        view: 'search',
        q: 'strategy discussions with police and health '.repeat(4),
        region: 'Yorkshire and the Humber',
        la_type: 'Metropolitan district',
        section: 'weakness',
        year: '2010-11',
      }),
      filtersOfView('search'),
    );
    const name = exportFileName('search-findings', filters, 'csv', 'search');
    expect(name.length).toBeLessThanOrEqual(MAX_STEM + '.csv'.length);
    // The search is cut at a word; the filters that do not fit are left to the notes.
    expect(name).toMatch(
      /^search-findings_search-strategy-discussions-with-police_[a-z0-9_-]*_more-filters\.csv$/,
    );
    expect(name).toMatch(/^[a-z0-9_-]+\.csv$/);
  });
});

describe('every CSV the page writes', () => {
  interface CouncilCount {
    council_name: string;
    findings: number;
  }
  const COLUMNS: TableColumn<CouncilCount>[] = [
    { key: 'council_name', label: 'Council' },
    { key: 'findings', label: 'Findings', numeric: true },
  ];

  it('opens with its notes: title, filters, data version, when made and the link', async () => {
    const letter = fixture.letters[0]!;
    const made = new Date('2025-12-04T15:30:12.345Z');
    const { fileName, text } = buildCsvExport(
      {
        fileName: 'council-coverage',
        rows: [{ council_name: letter.council_name, findings: 3 }],
        columns: COLUMNS,
      },
      {
        viewId: 'overview',
        viewLabel: 'Overview',
        params: new URLSearchParams({ view: 'overview', region: letter.region! }),
        sharedKeys: filtersOfView('overview'),
        names: await names(),
        version: versionText(
          { version: 'contract 1.3 · taxonomy 1 · data 0123456789ab', builtOn: '2025-12-01' },
          2,
        ),
        made,
        link: 'https://example.org/a/?view=overview',
      },
    );
    expect(fileName).toBe(
      `overview_council-coverage_region-${letter.region!.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.csv`,
    );
    const { notes, table } = splitCsvNotes(text);
    expect(notes).toEqual([
      'Front-door inspections 2009-12: Council coverage (Overview)',
      `filters: Region = ${letter.region}`,
      'data version: contract 1.3 · taxonomy 1 · data 0123456789ab, built 2025-12-01; with 2 letters added in this browser',
      'made: 2025-12-04T15:30:12Z',
      'link: https://example.org/a/?view=overview',
    ]);
    expect(notes).toHaveLength(CSV_NOTE_LINES);
    // A council's row carries its ONS code, DfE number and region, as the reference table has them.
    const council = fixture.councils.find((c) => c.council_name === letter.council_name)!;
    expect(parseCsv(table)).toEqual([
      ['Council', 'ONS code', 'DfE number', 'Region', 'Findings'],
      [council.council_name, council.la_code, String(council.dfe_la_code), council.region, '3'],
    ]);
  });

  it('adds codes and region to every council row, keeping a row’s own and leaving unknowns empty', async () => {
    const { councils } = await names();
    const rows = [
      ...fixture.councils.map((c) => ({ council_name: c.council_name, findings: 1 })),
      { council_name: 'Atlantis', findings: 2 },
    ];
    const table = withCouncilColumns(rows, COLUMNS, councils);
    expect(table.columns.map((c) => c.label)).toEqual([
      'Council',
      'ONS code',
      'DfE number',
      'Region',
      'Findings',
    ]);
    for (const [i, c] of fixture.councils.entries())
      expect(table.rows[i]).toMatchObject({
        la_code: c.la_code,
        dfe_la_code: c.dfe_la_code,
        region: c.region,
      });
    expect(table.rows.at(-1)).toMatchObject({ la_code: null, dfe_la_code: null, region: null });
    // A table with a region of its own keeps it, and gains only the codes.
    const withRegion = withCouncilColumns(
      [{ council_name: fixture.councils[0]!.council_name, region: 'Own region' }],
      [
        { key: 'council_name', label: 'Council' },
        { key: 'region', label: 'Region' },
      ],
      councils,
    );
    expect(withRegion.columns.map((c) => c.key)).toEqual([
      'council_name',
      'la_code',
      'dfe_la_code',
      'region',
    ]);
    expect(withRegion.rows[0]!.region).toBe('Own region');
    // A column marked as naming councils counts too; a table without one is left as it is.
    const marked = withCouncilColumns(
      [{ value: fixture.councils[1]!.council_name, findings: 4 }],
      [
        { key: 'value', label: 'Council', council: true },
        { key: 'findings', label: 'Findings' },
      ],
      councils,
    );
    expect(marked.rows[0]!.la_code).toBe(fixture.councils[1]!.la_code);
    const plain = withCouncilColumns(
      [{ year: '2010-11' }],
      [{ key: 'year', label: 'Year' }],
      councils,
    );
    expect(plain.columns).toHaveLength(1);
  });

  it('writes notes no spreadsheet can run or split into the table', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (note) => {
        const line = csvNoteLine(note);
        expect(line.startsWith('# ')).toBe(true);
        expect(line).not.toMatch(/[\r\n"]/);
        // Each cell a spreadsheet would see (split at commas) starts with no formula character.
        for (const cell of line.split(',').slice(1)) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
      }),
    );
    const csv = toCsv([{ council_name: 'X', findings: 1 }], COLUMNS, [
      'filters: Search = a,=HYPERLINK("http://evil.example"),"b\nc',
    ]);
    expect(csv.split('\r\n')[0]).toBe(
      "# filters: Search = a,'=HYPERLINK('http://evil.example'),'b c",
    );
    expect(parseCsv(csv)[1]).toEqual(['Council', 'Findings']);
  });
});
