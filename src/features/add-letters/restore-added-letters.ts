import type { QueryClient } from '@tanstack/react-query';
import { addLetters, type BatchReport } from './add-letters-session';
import { storedLetters } from './added-letters-store';
import { refreshViews } from './refresh-views';

/**
 * Puts the letters remembered in this browser back into the session's tables, read again by the
 * current pipeline, and refreshes every view; null when none are remembered.
 */
export async function restoreAddedLetters(client: QueryClient): Promise<BatchReport | null> {
  const stored = await storedLetters();
  if (stored.length === 0) return null;
  const report = await addLetters(
    stored.map((letter) => ({
      name: letter.name,
      read: () => Promise.resolve({ name: letter.name, text: letter.text }),
    })),
    { remember: false, onProgress: () => undefined },
  );
  await refreshViews(client);
  return report;
}
