/** A value bound to a prepared-statement placeholder; never pasted into SQL text. */
export type SqlParam = string | number | boolean;

/** SQL text with `?` placeholders and the values that fill them, in order. */
export interface SqlQuery {
  readonly sql: string;
  readonly params: readonly SqlParam[];
}

type SqlValue = SqlParam | SqlQuery | readonly SqlParam[];

const IDENTIFIER = /^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$/;

function isSqlQuery(value: SqlValue): value is SqlQuery {
  return typeof value === 'object' && !Array.isArray(value) && 'sql' in value;
}

/**
 * Tagged template that turns interpolated values into `?` placeholders (arrays become `(?, ?)`)
 * and splices nested `sql` fragments in place, so builders compose without pasting values.
 */
export function sql(strings: TemplateStringsArray, ...values: SqlValue[]): SqlQuery {
  let text = strings[0] ?? '';
  const params: SqlParam[] = [];
  values.forEach((value, i) => {
    if (isSqlQuery(value)) {
      text += value.sql;
      params.push(...value.params);
    } else if (Array.isArray(value)) {
      const list = value as readonly SqlParam[];
      // `IN ()` is a syntax error in DuckDB; builders must leave the clause out instead.
      if (list.length === 0) throw new Error('sql: an empty list cannot be bound');
      text += `(${list.map(() => '?').join(', ')})`;
      params.push(...list);
    } else {
      text += '?';
      params.push(value as SqlParam);
    }
    text += strings[i + 1] ?? '';
  });
  return { sql: text, params };
}

/** A table or (optionally qualified) column name from the code's constants, checked to be plain. */
export function identifier(name: string): SqlQuery {
  if (!IDENTIFIER.test(name)) throw new Error(`sql: not a plain identifier: ${name}`);
  return { sql: name, params: [] };
}

/** Joins fragments with a separator such as `' AND '` or `', '`. */
export function joinSql(parts: readonly SqlQuery[], separator: string): SqlQuery {
  return {
    sql: parts.map((p) => p.sql).join(separator),
    params: parts.flatMap((p) => p.params),
  };
}

/** `WHERE a AND b` for the given conditions, or nothing when there are none. */
export function whereSql(conditions: readonly SqlQuery[]): SqlQuery {
  if (conditions.length === 0) return { sql: '', params: [] };
  const joined = joinSql(conditions, ' AND ');
  return { sql: `WHERE ${joined.sql}`, params: joined.params };
}

/**
 * A query's rows as one list of structs, in the query's order (an empty list for none): for
 * answering several of a view's queries in one statement, one column each.
 */
export function rowsAsListSql(query: SqlQuery): SqlQuery {
  return sql`coalesce((
    SELECT list(r ORDER BY r_order)
    FROM (SELECT r, row_number() OVER () AS r_order FROM (${query}) AS r)
  ), [])`;
}

/** A one-row query's row as a struct (null for no row), for the same use. */
export function rowAsStructSql(query: SqlQuery): SqlQuery {
  return sql`(SELECT r FROM (${query}) AS r)`;
}

/** A value as a DuckDB literal: a quoted string (quotes doubled), a number, TRUE or FALSE. */
export function sqlLiteral(value: SqlParam): string {
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`sql: not a finite number: ${value}`);
    return Number.isInteger(value) ? String(value) : `CAST(${value} AS DOUBLE)`;
  }
  if (value.includes('\0')) throw new Error('sql: a string with a NUL character cannot be bound');
  return `'${value.replaceAll("'", "''")}'`;
}

/**
 * The query with each `?` placeholder replaced by its value as a literal ({@link sqlLiteral}):
 * the same statement for DuckDB to plan once with its values. (DuckDB plans a statement with
 * parameters again, with their values, every time it runs it; a statement prepared and then run
 * with parameters is planned twice.) Placeholders are found outside quoted strings, quoted names
 * and comments; a count that does not match the values is an error.
 */
export function inlineParams(query: SqlQuery): string {
  const { sql: text, params } = query;
  let out = '';
  let next = 0;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    let end = i + 1;
    if (c === "'" || c === '"') {
      end = text.indexOf(c, i + 1);
      // A doubled quote is one quote inside the string or name: keep scanning.
      while (end !== -1 && text[end + 1] === c) end = text.indexOf(c, end + 2);
      end = end === -1 ? text.length : end + 1;
    } else if (c === '-' && text[i + 1] === '-') {
      end = text.indexOf('\n', i);
      end = end === -1 ? text.length : end;
    } else if (c === '/' && text[i + 1] === '*') {
      end = text.indexOf('*/', i + 2);
      end = end === -1 ? text.length : end + 2;
    } else if (c === '?') {
      if (next >= params.length) throw new Error('sql: more placeholders than values');
      out += sqlLiteral(params[next++]!);
      i = end;
      continue;
    }
    out += text.slice(i, end);
    i = end;
  }
  if (next !== params.length) throw new Error('sql: more values than placeholders');
  return out;
}
