import { getEngineStatus, query } from '@/lib/duckdb';
import type { ExportScope } from '@/lib/export-context';
import {
  buildCsvExport,
  NO_NAMES,
  versionText,
  type CouncilRef,
  type CsvRequest,
  type ExportNames,
} from '@/lib/export-notes';
import { dataVersion } from '@/lib/precomputed';
import { saveFile } from '@/lib/save-file';

let names: Promise<ExportNames> | null = null;

/**
 * Theme labels and councils' names, codes and regions, read once from the data engine; none when
 * the engine cannot answer (the exports then give ids as they are).
 */
export function loadExportNames(): Promise<ExportNames> {
  names ??= Promise.all([
    query<{ theme_id: string; label: string }>('SELECT theme_id, label FROM themes'),
    query<CouncilRef>(
      'SELECT council_name, la_code, dfe_la_code, region FROM councils ORDER BY council_name',
    ),
  ]).then(
    ([themes, councils]) => ({
      themes: new Map(themes.map((t) => [t.theme_id, t.label])),
      councils,
    }),
    () => {
      names = null;
      return NO_NAMES;
    },
  );
  return names;
}

/** The data's version as exports state it, with the letters added in this browser. */
export function currentVersionText(): string {
  const status = getEngineStatus();
  return versionText(dataVersion(), status.state === 'ready' ? (status.addedLetters ?? 0) : 0);
}

/** The view's settings and shared filters, or the URL's as they are outside a view. */
export function scopeParams(scope: ExportScope | null): {
  viewId: string | null;
  viewLabel: string | null;
  params: URLSearchParams;
  sharedKeys: ExportScope['filterKeys'] | null;
} {
  return {
    viewId: scope?.viewId ?? null,
    viewLabel: scope?.viewLabel ?? null,
    params: new URLSearchParams(scope?.search ?? window.location.search),
    sharedKeys: scope?.filterKeys ?? null,
  };
}

/** The address of what the scope shows: the page with the view's settings. */
export function scopeLink(scope: ExportScope | null): string {
  const url = new URL(window.location.href);
  if (scope) url.search = scope.search;
  url.hash = '';
  return url.href;
}

/**
 * Offers rows as a CSV file carrying the filters in force (in its name and its notes), the data
 * version and the day made, with councils' codes and region: the one way the page writes CSV.
 * Resolves to the file name given.
 */
export async function exportCsv<Row>(
  scope: ExportScope | null,
  request: CsvRequest<Row>,
): Promise<string> {
  const { fileName, text } = buildCsvExport(request, {
    ...scopeParams(scope),
    names: await loadExportNames(),
    version: currentVersionText(),
    made: new Date(),
    link: scopeLink(scope),
  });
  // The byte-order mark makes Excel read the file as UTF-8 (curly quotes in letters).
  saveFile(fileName, new Blob(['\ufeff', text], { type: 'text/csv;charset=utf-8' }));
  return fileName;
}
