import { tableFromIPC, tableToIPC, Table, Utf8, Int32, vectorFromArray } from 'apache-arrow';
import { compileUserThemes, matchUserThemes } from '@/core/search/user-theme-tags';
import { indexFindings, runSearch, similarTo, type FindingsIndex } from './search-model';
import type { SearchAnswers, SearchQuestion, ThemeTags, ThemeQuery } from './search-protocol';
import type { SearchFindingRow } from './search-rows';

/**
 * The findings' search index and the answers to the page's questions about it: held by the search
 * worker (src/lib/search/search-worker.ts), or by the page itself when the worker fails
 * (src/lib/search/search-client.ts). The rows come as the Arrow IPC bytes the data engine answers
 * `buildSearchFindingsSql` with, so that the page's thread never turns them into objects.
 */
export class SearchEngine {
  private found: FindingsIndex | null = null;

  /** Indexes `rows` (finding k of the index is `rows[k]`). */
  loadRows(rows: readonly SearchFindingRow[]): SearchAnswers['load'] {
    const started = performance.now();
    this.found = indexFindings(rows);
    return { findings: rows.length, buildMs: Math.round(performance.now() - started) };
  }

  /** Reads the rows from an Arrow IPC stream or file, and indexes them. */
  loadIpc(ipc: Uint8Array): SearchAnswers['load'] {
    const started = performance.now();
    const rows = rowsOfTable(tableFromIPC(ipc));
    const info = this.loadRows(rows);
    return { ...info, buildMs: Math.round(performance.now() - started) };
  }

  private index(): FindingsIndex {
    if (!this.found) throw new Error('The search index is not built yet.');
    return this.found;
  }

  /** Answers one question; `transfer` lists the buffers the answer can hand over. */
  answer(question: SearchQuestion): {
    value: SearchAnswers[keyof SearchAnswers];
    transfer: ArrayBuffer[];
  } {
    switch (question.type) {
      case 'load':
        return { value: this.loadIpc(question.ipc), transfer: [] };
      case 'search':
        return {
          value: runSearch(this.index(), question.query, question.filters, question.limit),
          transfer: [],
        };
      case 'similar':
        return { value: similarTo(this.index(), question.findingId, question.limit), transfer: [] };
      case 'themes': {
        const tags = this.themeTags(question.themes);
        return { value: tags, transfer: [tags.ipc.buffer as ArrayBuffer] };
      }
    }
  }

  /** The saved themes' tags on every finding (see {@link ThemeTags}). */
  themeTags(themes: readonly ThemeQuery[]): ThemeTags {
    const found = this.index();
    const compiled = compileUserThemes(
      themes.map((t) => ({ name: t.id, query: t.query })),
      themes.map((t) => t.id),
    );
    const findingIds: string[] = [];
    const themeIds: string[] = [];
    const order: number[] = [];
    const evidence: string[] = [];
    const counts = matchUserThemes(found.index, compiled).map((matches, t) => {
      matches.findings.forEach((doc, k) => {
        findingIds.push(found.rows[doc]!.finding_id);
        themeIds.push(themes[t]!.id);
        order.push(t + 1);
        evidence.push(matches.evidence[k]!);
      });
      return matches.findings.length;
    });
    const table = new Table({
      finding_id: vectorFromArray(findingIds, new Utf8()),
      theme_id: vectorFromArray(themeIds, new Utf8()),
      theme_order: vectorFromArray(order, new Int32()),
      evidence: vectorFromArray(evidence, new Utf8()),
    });
    return { ipc: tableToIPC(table, 'stream'), counts };
  }
}

/** The search rows of an Arrow table with `buildSearchFindingsSql`'s columns. */
export function rowsOfTable(table: Table): SearchFindingRow[] {
  const column = (name: keyof SearchFindingRow) => {
    const vector = table.getChild(name);
    if (!vector) throw new Error(`The findings for search lack the column ${name}.`);
    return vector;
  };
  const names = [
    'finding_id',
    'text',
    'letter_id',
    'section',
    'position',
    'council_name',
    'reporting_year',
    'region',
    'la_type',
    'document_kind',
    'inspection_start',
    'letter_date',
    'added',
  ] as const satisfies readonly (keyof SearchFindingRow)[];
  const columns = names.map((name) => column(name).toArray() as ArrayLike<unknown>);
  const rows: SearchFindingRow[] = new Array<SearchFindingRow>(table.numRows);
  for (let r = 0; r < table.numRows; r++) {
    const row: Record<string, unknown> = {};
    for (let c = 0; c < names.length; c++) {
      const value = columns[c]![r];
      row[names[c]!] = typeof value === 'bigint' ? Number(value) : (value ?? null);
    }
    row.text ??= '';
    rows[r] = row as unknown as SearchFindingRow;
  }
  return rows;
}
