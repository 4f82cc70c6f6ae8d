import type { TableColumn } from '@/lib/csv';

/** Props of {@link DataTable}. */
export interface DataTableProps<Row> {
  caption: string;
  rows: readonly Row[];
  columns: readonly TableColumn<Row>[];
  /** Row count above which the table shows the first rows only, with a note. */
  maxRows?: number;
}

/** An accessible HTML table of rows: a caption, column headers and right-aligned numbers. */
export function DataTable<Row>({ caption, rows, columns, maxRows = 1000 }: DataTableProps<Row>) {
  const shown = rows.slice(0, maxRows);
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label={caption}>
      <table className="data-table">
        <caption>
          {caption}
          {rows.length > shown.length && ` (first ${shown.length} of ${rows.length} rows)`}
        </caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.key} scope="col" className={c.numeric ? 'numeric' : undefined}>
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {shown.map((row, i) => (
            <tr key={i}>
              {columns.map((c, j) => {
                const value = row[c.key];
                const text = c.format ? c.format(value, row) : value == null ? '–' : String(value);
                const Cell = j === 0 ? 'th' : 'td';
                return (
                  <Cell
                    key={c.key}
                    scope={j === 0 ? 'row' : undefined}
                    className={c.numeric ? 'numeric' : undefined}
                  >
                    {c.render ? c.render(row) : text}
                  </Cell>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
