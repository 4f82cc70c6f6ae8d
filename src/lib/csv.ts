import type { ReactNode } from 'react';

/** One column of a table or CSV file: which field, its heading, and how to show its value. */
export interface TableColumn<Row> {
  key: keyof Row & string;
  label: string;
  format?: (value: Row[keyof Row], row: Row) => string;
  numeric?: boolean;
  /** How to show the cell in an HTML table (e.g. as a link); the CSV keeps the plain value. */
  render?: (row: Row) => ReactNode;
  /**
   * The column names a council (as a `council_name` column does): its exports add the council's
   * codes and region beside it (src/lib/export-notes.ts).
   */
  council?: boolean;
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

/**
 * Rows as CSV text (RFC 4180, CRLF line ends) with the columns' labels as the header row, after
 * the `notes`, each as a `# ` line made safe to open ({@link csvNoteLine}).
 */
export function toCsv<Row>(
  rows: readonly Row[],
  columns: readonly TableColumn<Row>[],
  notes: readonly string[] = [],
): string {
  const header = columns.map((c) => csvCell(c.label)).join(',');
  const body = rows.map((row) => columns.map((c) => csvCell(row[c.key])).join(','));
  return [...notes.map(csvNoteLine), header, ...body].join('\r\n') + '\r\n';
}

/**
 * One note as a CSV comment line, `# …`, that a spreadsheet can open safely: line breaks and tabs
 * become spaces, double quotes single ones (a quote would open a cell running into the table), and
 * each part after a comma (a cell to a spreadsheet) has a formula's first character neutralised.
 */
export function csvNoteLine(note: string): string {
  const flat = note.replace(/[\r\n\t]+/g, ' ').replace(/"/g, "'");
  const cells = flat.split(',').map((cell, i) => (i === 0 ? cell : neutraliseFormula(cell)));
  return `# ${cells.join(',')}`;
}
