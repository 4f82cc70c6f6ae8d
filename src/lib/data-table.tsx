import type { TableColumn } from '@/lib/csv';
import type { TableSort } from '@/lib/view-state';

/** Props of {@link DataTable}. */
export interface DataTableProps<Row> {
  caption: string;
  rows: readonly Row[];
  columns: readonly TableColumn<Row>[];
  /** Row count above which the table shows the first rows only, with a note. */
  maxRows?: number;
  /** The rows sorted by a column; as given when unset. */
  sort?: TableSort | null;
  /**
   * Makes each column heading a button that sorts by it: ascending first for text, descending
   * first for numbers, the other way on a second press, back to the rows' own order on a third.
   */
  onSort?: (sort: TableSort | null) => void;
}

/** A cell's value to sort by: numbers as numbers, the rest as the text the table shows. */
function sortValue<Row>(row: Row, column: TableColumn<Row>): number | string | null {
  const value = row[column.key];
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  return column.format ? column.format(value, row) : String(value);
}

/**
 * The rows sorted by a column (stable: ties keep the rows' own order), empty cells last in
 * either direction; numbers by value, text by the reader's alphabet with numbers inside it in
 * order ("2" before "10").
 */
export function sortRows<Row>(
  rows: readonly Row[],
  columns: readonly TableColumn<Row>[],
  sort: TableSort | null | undefined,
): readonly Row[] {
  const column = sort && columns.find((c) => c.key === sort.key);
  if (!sort || !column) return rows;
  const sign = sort.dir === 'desc' ? -1 : 1;
  const collator = new Intl.Collator('en-GB', { numeric: true, sensitivity: 'base' });
  return rows
    .map((row, i) => ({ row, i, value: sortValue(row, column) }))
    .sort((a, b) => {
      if (a.value === null || b.value === null) {
        return a.value === b.value ? a.i - b.i : a.value === null ? 1 : -1;
      }
      const order =
        typeof a.value === 'number' && typeof b.value === 'number'
          ? a.value - b.value
          : collator.compare(String(a.value), String(b.value));
      return order * sign || a.i - b.i;
    })
    .map((entry) => entry.row);
}

/** The next sort when a column's heading is pressed: first way, the other way, then unsorted. */
export function nextSort<Row>(
  current: TableSort | null | undefined,
  column: TableColumn<Row>,
): TableSort | null {
  const first = column.numeric ? 'desc' : 'asc';
  if (!current || current.key !== column.key) return { key: column.key, dir: first };
  if (current.dir === first) return { key: column.key, dir: first === 'asc' ? 'desc' : 'asc' };
  return null;
}

/** An accessible HTML table of rows: a caption, column headers and right-aligned numbers. */
export function DataTable<Row>({
  caption,
  rows,
  columns,
  maxRows = 1000,
  sort,
  onSort,
}: DataTableProps<Row>) {
  const shown = sortRows(rows, columns, sort).slice(0, maxRows);
  const sortedBy = sort && columns.find((c) => c.key === sort.key);
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label={caption}>
      <table className="data-table">
        <caption>
          {caption}
          {rows.length > shown.length && ` (first ${shown.length} of ${rows.length} rows)`}
          {sortedBy && (
            <span className="visually-hidden">
              , sorted by {sortedBy.label}, {sort!.dir === 'asc' ? 'ascending' : 'descending'}
            </span>
          )}
        </caption>
        <thead>
          <tr>
            {columns.map((c) => {
              const dir = sort?.key === c.key ? sort.dir : undefined;
              return (
                <th
                  key={c.key}
                  scope="col"
                  className={c.numeric ? 'numeric' : undefined}
                  aria-sort={
                    dir === 'asc' ? 'ascending' : dir === 'desc' ? 'descending' : undefined
                  }
                >
                  {onSort ? (
                    <button
                      type="button"
                      className="sort-button table-sort-button"
                      data-sort={dir ?? 'none'}
                      onClick={() => onSort(nextSort(sort, c))}
                    >
                      {c.label}
                      <span className="table-sort-mark" aria-hidden="true">
                        {dir === 'asc' ? ' ▲' : dir === 'desc' ? ' ▼' : ''}
                      </span>
                    </button>
                  ) : (
                    c.label
                  )}
                </th>
              );
            })}
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
