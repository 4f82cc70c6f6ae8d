import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { neutraliseFormula, toCsv, type TableColumn } from '@/lib/csv';

interface Row {
  text: string | null;
  count: number | null;
  tags?: string[];
}

const COLUMNS: TableColumn<Row>[] = [
  { key: 'text', label: 'Text' },
  { key: 'count', label: 'Count' },
];

/** The cells of one CSV record (RFC 4180: quoted cells, doubled quotes). */
function cells(line: string): string[] {
  const out: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      out.push(cell);
      cell = '';
    } else cell += c;
  }
  out.push(cell);
  return out;
}

describe('CSV downloads and spreadsheet formulas', () => {
  it.each([
    [
      '=HYPERLINK("http://evil.example","click")',
      `"'=HYPERLINK(""http://evil.example"",""click"")"`,
    ],
    ['+1+1', "'+1+1"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1:A2)', "'@SUM(A1:A2)"],
    ['\t=1', "'\t=1"],
    ['\r=1', `"'\r=1"`],
    ['=1,2', `"'=1,2"`],
  ])('puts an apostrophe before %j', (text, cell) => {
    expect(toCsv([{ text, count: 1 }], COLUMNS)).toBe(`Text,Count\r\n${cell},1\r\n`);
  });

  it('leaves other text, numbers (negative ones too) and empty cells as they are', () => {
    const rows: Row[] = [
      { text: 'Social workers = too few', count: -3 },
      { text: "Children's services", count: 0.25 },
      { text: null, count: null },
      { text: '', count: 12 },
    ];
    expect(toCsv(rows, COLUMNS)).toBe(
      "Text,Count\r\nSocial workers = too few,-3\r\nChildren's services,0.25\r\n,\r\n,12\r\n",
    );
  });

  it('treats a list cell and a heading as text', () => {
    const columns: TableColumn<Row>[] = [{ key: 'tags', label: '=Tags' }];
    expect(toCsv([{ text: null, count: null, tags: ['-a', 'b'] }], columns)).toBe(
      "'=Tags\r\n'-a; b\r\n",
    );
  });

  it('never lets a text cell start a formula, and keeps its text after the apostrophe', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        // The record is everything after the heading's line: a quoted cell may hold line breaks.
        const csv = toCsv([{ text, count: 0 }], COLUMNS);
        const record = csv.slice(csv.indexOf('\r\n') + 2).replace(/\r\n$/, '');
        const cell = cells(record).slice(0, -1).join(',');
        expect(cell).toBe(neutraliseFormula(text));
        expect(/^[=+\-@\t\r]/.test(cell)).toBe(false);
        expect(cell.replace(/^'(?=[=+\-@\t\r])/, '')).toBe(text);
      }),
      // A line break inside the cell (a run in CI once found it).
      { examples: [['\r\n'], ['x\r\n,0\r\n']] },
    );
  });
});
