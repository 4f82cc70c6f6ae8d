import type { QueryClient } from '@tanstack/react-query';

/**
 * Brings every view up to date after letters were added: cached answers of views not on screen
 * are dropped, so that none opens on figures from before, and those on screen are asked again.
 */
export async function refreshViews(client: QueryClient): Promise<void> {
  client.removeQueries({ type: 'inactive' });
  await client.invalidateQueries();
}
