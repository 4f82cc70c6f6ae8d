import { StrictMode } from 'react';
import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { App } from '@/shell/app';

/**
 * The whole page as React renders it: the same tree in the browser (src/main.tsx) and at build
 * time (src/shell/prerender.tsx), so that the page can take over the prerendered markup as it is.
 */
export function AppRoot({ client }: { client: QueryClient }) {
  return (
    <StrictMode>
      <QueryClientProvider client={client}>
        <App />
      </QueryClientProvider>
    </StrictMode>
  );
}
