import { useSyncExternalStore } from 'react';
import { subscribeCorrections, userCorrections, type UserCorrection } from './corrections-store';

/** The corrections made in this browser, live: components re-render when the list changes. */
export function useUserCorrections(): readonly UserCorrection[] {
  return useSyncExternalStore(subscribeCorrections, userCorrections, userCorrections);
}
