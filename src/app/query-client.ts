import { QueryClient } from '@tanstack/react-query';

/** The app's query client: data only change with a new build, so results never go stale. */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: Infinity,
        // Failures here are missing or corrupt files: retrying at once would fail the same way.
        retry: false,
        refetchOnWindowFocus: false,
      },
    },
  });
}
