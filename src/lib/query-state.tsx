import type { ReactNode } from 'react';
import { useQueryClient, type UseQueryResult } from '@tanstack/react-query';

/** Props of {@link QueryState}. */
export interface QueryStateProps<T> {
  query: Pick<UseQueryResult<T>, 'status' | 'data' | 'error'>;
  /** What is loading, e.g. "themes raised as weaknesses". */
  label: string;
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
  children: (data: T) => ReactNode;
}

/** Shows a query's loading, error, empty or data state, so that every view handles all four. */
export function QueryState<T>({ query, label, isEmpty, empty, children }: QueryStateProps<T>) {
  if (query.status === 'pending') {
    return (
      <div className="state state-loading" role="status" aria-live="polite">
        <span className="spinner" aria-hidden="true" /> Loading {label}…
      </div>
    );
  }
  if (query.status === 'error') {
    return <ErrorState title={`Could not load ${label}.`} error={query.error} />;
  }
  const data = query.data as T;
  if (isEmpty?.(data)) {
    return (
      <div className="state state-empty" role="status">
        {empty ?? <p>No {label} match the current filters. Try widening them.</p>}
      </div>
    );
  }
  return <>{children(data)}</>;
}

/** An error in words with a Retry button that re-runs every failed query (and so the engine). */
export function ErrorState({ title, error }: { title: string; error: unknown }) {
  const client = useQueryClient();
  const message = error instanceof Error ? error.message : String(error);
  const retry = () => {
    void client.refetchQueries({ predicate: (q) => q.state.status === 'error' });
  };
  return (
    <div className="state state-error" role="alert">
      <p className="state-title">{title}</p>
      <p>{message}</p>
      <button type="button" className="button" onClick={retry}>
        Retry
      </button>
    </div>
  );
}

/** True when a list of rows is empty: the usual `isEmpty` for {@link QueryState}. */
export function noRows(rows: readonly unknown[]): boolean {
  return rows.length === 0;
}
