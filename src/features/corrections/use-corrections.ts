import { useEffect, useSyncExternalStore } from 'react';
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { UnappliedCorrection } from '@/core/corrections';
import { addedLettersRestored, onSessionLettersChanged } from '@/lib/session-ready';
import { subscribeCorrections, userCorrections } from '@/app/corrections/corrections-store';

/** Where the engine stands with the list: applying it, applied (with any it could not), failed. */
export type SyncState =
  | { state: 'idle' }
  | { state: 'applying' }
  | { state: 'applied'; unapplied: UnappliedCorrection[] }
  | { state: 'failed'; message: string };

let syncState: SyncState = { state: 'idle' };
const syncListeners = new Set<() => void>();

function setSync(next: SyncState): void {
  syncState = next;
  for (const listener of syncListeners) listener();
}

/** How applying the corrections went, live. */
export function useCorrectionsSync(): SyncState {
  return useSyncExternalStore(
    (listener) => {
      syncListeners.add(listener);
      return () => void syncListeners.delete(listener);
    },
    () => syncState,
    () => syncState,
  );
}

let started = false;
let touched = false;

async function sync(client: QueryClient): Promise<void> {
  const list = userCorrections();
  // Nothing was ever corrected in this session and nothing is stored: the engine is as read.
  if (list.length === 0 && !touched) return;
  touched = true;
  setSync({ state: 'applying' });
  try {
    // A correction may name a letter added in this browser: those are put back first.
    await addedLettersRestored();
    const { applyUserCorrections } = await import('./apply-corrections');
    const outcome = await applyUserCorrections(list);
    client.removeQueries({ type: 'inactive' });
    await client.invalidateQueries();
    setSync({ state: 'applied', unapplied: outcome.unapplied });
  } catch (error) {
    setSync({ state: 'failed', message: error instanceof Error ? error.message : String(error) });
  }
}

/**
 * Keeps the engine's tables in step with the corrections made in this browser: applies the
 * stored ones once the data is loaded, and the whole list again after every change. Mount once.
 */
export function useCorrectionsEngine(): void {
  const client = useQueryClient();
  useEffect(() => {
    if (started) return;
    started = true;
    void sync(client);
    subscribeCorrections(() => void sync(client));
    onSessionLettersChanged(() => void sync(client));
  }, [client]);
}
