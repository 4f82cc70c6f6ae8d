import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClientProvider } from '@tanstack/react-query';
import { App } from '@/app/app';
import { createQueryClient } from '@/app/query-client';
import { startDuckDb } from '@/lib/duckdb';
import '@/app/app.css';

// Start the engine at once; views await the same promise, and failures show in the status bar.
startDuckDb().catch(() => undefined);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={createQueryClient()}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
);
