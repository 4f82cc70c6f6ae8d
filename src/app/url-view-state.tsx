import { useMemo, type ReactNode } from 'react';
import { navigateWith, useSearchParams } from '@/app/url-state';
import { ViewStateProvider, type ParamChanges } from '@/lib/view-state';

/**
 * Gives the panels of the open view their display state (Chart or Table, a table's sort) from
 * the URL the view shows, and changes it as a new entry of the browser's history: it survives a
 * reload and a shared link, and back and forward step through it (src/lib/view-state.tsx).
 */
export function UrlViewState({ children }: { children: ReactNode }) {
  const params = useSearchParams();
  const value = useMemo(
    () => ({ params, change: (changes: ParamChanges) => navigateWith(changes) }),
    [params],
  );
  return <ViewStateProvider value={value}>{children}</ViewStateProvider>;
}
