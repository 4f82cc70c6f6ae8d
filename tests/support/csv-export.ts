/** RFC 4180 CSV text (a byte-order mark first, CRLF or LF line ends) as rows of cells. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const body = text.replace(/^\ufeff/, '');
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (quoted) {
      if (c === '"' && body[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n') {
      row.push(cell.replace(/\r$/, ''));
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell || row.length) rows.push([...row, cell]);
  return rows;
}

/**
 * A CSV file the page wrote, apart: its note lines (`# …`, the `# ` taken off) and the text after
 * them, from the header row on.
 */
export function splitCsvNotes(text: string): { notes: string[]; table: string } {
  const lines = text.replace(/^\ufeff/, '').split('\r\n');
  const notes: string[] = [];
  while (lines[0]?.startsWith('# ')) notes.push(lines.shift()!.slice(2));
  return { notes, table: lines.join('\r\n') };
}

/** A CSV file the page wrote, without its note lines: the header row first. */
export function withoutCsvNotes(text: string): string {
  return splitCsvNotes(text).table;
}
