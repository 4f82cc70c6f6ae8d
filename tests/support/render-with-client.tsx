import { afterEach } from 'vitest';
import { cleanup, render } from '@testing-library/react';
import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { resetDuckDb } from '@/lib/duckdb';

/** Renders `ui` under a react-query provider holding `client` (jsdom component tests). */
export function renderWith(client: QueryClient, ui: ReactNode) {
  return render(<QueryClientProvider client={client}>{ui}</QueryClientProvider>);
}

/**
 * Registers the clean-up every component test file needs after each test: the rendered tree,
 * the engine (whose start fails in jsdom) and the URL.
 */
export function cleanPageAfterEach(): void {
  afterEach(async () => {
    cleanup();
    await resetDuckDb();
    window.history.replaceState(null, '', '/');
  });
}
