import { useSyncExternalStore } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import {
  getEngineStatus,
  resetDuckDb,
  startDuckDb,
  subscribeEngineStatus,
  type EngineStatus,
} from '@/lib/duckdb';
import { formatCount } from '@/lib/format';

/** The engine before it starts: what the build's prerendered page says (src/shell/prerender.tsx). */
const NOT_STARTED: EngineStatus = { state: 'idle' };
const notStarted = () => NOT_STARTED;

/** The data engine's state in words: loading step, failure with Retry, or what was loaded. */
export function EngineStatusBar() {
  // Taking over the prerendered page, React first renders what the build rendered ("Starting…"),
  // then the engine's state as it is by then.
  const status = useSyncExternalStore(subscribeEngineStatus, getEngineStatus, notStarted);
  const client = useQueryClient();
  if (status.state === 'error') {
    const retry = async () => {
      await resetDuckDb();
      void startDuckDb().catch(() => undefined);
      await client.refetchQueries({ predicate: (q) => q.state.status === 'error' });
    };
    return (
      <div className="engine-status engine-error" role="alert">
        <p>
          <strong>The data could not be loaded.</strong> {status.message}
        </p>
        <button type="button" className="button" onClick={() => void retry()}>
          Retry
        </button>
      </div>
    );
  }
  return (
    <p className="engine-status" role="status" aria-live="polite">
      {status.state === 'ready'
        ? `${formatCount(status.rowCounts.letters)} letters and ${formatCount(status.rowCounts.findings)} findings ${
            status.addedLetters
              ? `(${formatCount(status.addedLetters)} of the letters added by you)`
              : `loaded in ${(status.readyMs / 1000).toFixed(1)} s`
          }.`
        : status.state === 'loading'
          ? `${status.step}…`
          : 'Starting…'}
    </p>
  );
}
