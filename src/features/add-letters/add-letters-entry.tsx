import { useEffect, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { AppLink } from '@/app/app-link';
import { useSearchParams, viewParams } from '@/app/url-state';
import { formatCount } from '@/lib/format';
import { retirePrecomputed } from '@/lib/precomputed';
import { settleAddedLettersRestore } from '@/lib/session-ready';
import { useLetterCount } from './add-letters-queries';
import { countStoredLetters } from './added-letters-store';
import { useBatchState } from './batch-store';
import './add-letters-entry.css';

/** The add-letters view's id in the URL. */
export const ADD_LETTERS_VIEW = 'add-letters';

let restoreStarted = false;

/**
 * The header's way in to "Add letters", with how many letters were added; on the first render it
 * puts back the letters remembered in this browser (loading the feature's code only if any are).
 */
export function AddLettersEntry() {
  const params = useSearchParams();
  const client = useQueryClient();
  const count = useLetterCount();
  const { running } = useBatchState();
  const [restore, setRestore] = useState<'checking' | 'none' | 'restoring' | 'done' | 'failed'>(
    'checking',
  );

  useEffect(() => {
    if (restoreStarted) return;
    restoreStarted = true;
    void countStoredLetters().then(async (stored) => {
      if (stored === 0) {
        settleAddedLettersRestore();
        return setRestore('none');
      }
      // The build's answers would show the bundled letters alone until the restore is done.
      retirePrecomputed();
      setRestore('restoring');
      try {
        const { restoreAddedLetters } = await import('./restore-added-letters');
        await restoreAddedLetters(client);
        setRestore('done');
      } catch {
        setRestore('failed');
      } finally {
        settleAddedLettersRestore();
      }
    });
  }, [client]);

  const added = count.data?.added ?? 0;
  return (
    <p
      className="add-letters-entry"
      data-testid="add-letters-entry"
      data-restore={restore}
      data-adding={running?.progress.phase}
    >
      <AppLink params={viewParams(ADD_LETTERS_VIEW, params)}>Add letters</AppLink>
      <span role="status">
        {restore === 'restoring' && ' · restoring the letters you added…'}
        {restore === 'failed' && ' · the letters you added could not be restored'}
        {restore !== 'restoring' && added > 0 && ` · ${formatCount(added)} added by you`}
        {/* A batch goes on in other views; its progress and Cancel are in Add letters. */}
        {running && ' · adding letters…'}
      </span>
    </p>
  );
}
