import type { ReactNode } from 'react';

/** One column of a table or CSV file: which field, its heading, and how to show its value. */
export interface TableColumn<Row> {
  key: keyof Row & string;
  label: string;
  format?: (value: Row[keyof Row], row: Row) => string;
  numeric?: boolean;
  /** How to show the cell in an HTML table (e.g. as a link); the CSV keeps the plain value. */
  render?: (row: Row) => ReactNode;
}

/**
 * A text cell a spreadsheet would run as a formula (CSV injection: it starts with `=`, `+`, `-`,
 * `@`, a tab or a carriage return) with an apostrophe put before it, which the spreadsheet shows
 * and runs nothing; letter text is written by others, so every text cell goes through this.
 */
export function neutraliseFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  // A number is written as one (a negative one stays a number); anything else is text.
  const safe =
    typeof value === 'number' || typeof value === 'bigint'
      ? String(value)
      : neutraliseFormula(Array.isArray(value) ? value.join('; ') : String(value));
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Rows as CSV text (RFC 4180, CRLF line ends) with the columns' labels as the header row. */
export function toCsv<Row>(rows: readonly Row[], columns: readonly TableColumn<Row>[]): string {
  const header = columns.map((c) => csvCell(c.label)).join(',');
  const body = rows.map((row) => columns.map((c) => csvCell(row[c.key])).join(','));
  return [header, ...body].join('\r\n') + '\r\n';
}

/** Offers the rows to the user as a CSV download named `fileName`. */
export function downloadCsv<Row>(
  fileName: string,
  rows: readonly Row[],
  columns: readonly TableColumn<Row>[],
): void {
  // The byte-order mark makes Excel read the file as UTF-8 (curly quotes in letters).
  const blob = new Blob(['\ufeff', toCsv(rows, columns)], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName.endsWith('.csv') ? fileName : `${fileName}.csv`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
