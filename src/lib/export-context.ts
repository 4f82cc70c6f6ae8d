import { createContext, useContext } from 'react';
import type { FilterKey } from '@/lib/filters';

/** The view an export is made from: its name, the settings it shows, its shared filters. */
export interface ExportScope {
  /** The view's id, e.g. `evidence`: file names begin with it. */
  viewId: string;
  /** The view's name, e.g. `Evidence`. */
  viewLabel: string;
  /** The query string the view shows (it may lag the URL while a filter change is answered). */
  search: string;
  /** The shared filters the view applies; the others set in the URL change nothing in it. */
  filterKeys: readonly FilterKey[];
}

/**
 * The open view as its exports describe it; src/shell/app.tsx provides it around the view. Outside
 * it (a component on its own), exports take the URL as it is and every shared filter set in it.
 */
export const ExportScopeContext = createContext<ExportScope | null>(null);

/** The view exports are made from, or null outside one. */
export function useExportScope(): ExportScope | null {
  return useContext(ExportScopeContext);
}
