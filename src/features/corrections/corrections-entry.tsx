import { useId, useRef, useState, type ChangeEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { formatCount } from '@/lib/format';
import { query } from '@/lib/duckdb';
import {
  clearCorrections,
  correctionsFile,
  importCorrections,
  undoCorrection,
} from '@/app/corrections/corrections-store';
import { useUserCorrections } from '@/app/corrections/use-user-corrections';
import { useCorrectionsEngine, useCorrectionsSync } from './use-corrections';
import { describeCorrection } from '@/app/corrections/describe-correction';
import '@/app/corrections/corrections.css';

/** Offers the corrections as the JSON file the ingest's `--corrections` takes. */
function downloadCorrections(): void {
  const blob = new Blob([`${JSON.stringify(correctionsFile(), null, 2)}\n`], {
    type: 'application/json',
  });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = `corrections-${new Date().toISOString().slice(0, 10)}.json`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The taxonomy's theme ids, to check an imported file against. */
function useThemeIds() {
  return useQuery({
    queryKey: ['corrections', 'theme-ids'],
    queryFn: async () =>
      new Set(
        (
          await query<{ theme_id: string }>(
            // The taxonomy's: a saved theme's tags follow its search, never a correction.
            "SELECT theme_id FROM themes WHERE NOT starts_with(theme_id, 'user_')",
          )
        ).map((r) => r.theme_id),
      ),
    staleTime: Infinity,
  });
}

/**
 * The header's account of the corrections made in this browser: how many, each with its undo,
 * export as a file for the ingest, import one, forget them all (after a confirm). Keeps the
 * engine's tables in step with them.
 */
export function CorrectionsEntry() {
  useCorrectionsEngine();
  const list = useUserCorrections();
  const sync = useCorrectionsSync();
  const themeIds = useThemeIds();
  const [message, setMessage] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const inputId = useId();

  const onImport = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    try {
      const ids = themeIds.data ?? (await themeIds.refetch()).data ?? new Set<string>();
      const text = await file.text();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        throw new Error(`${file.name}: not a usable corrections file: not JSON`);
      }
      const n = importCorrections(json, ids, file.name);
      setMessage(`${formatCount(n)} corrections added from ${file.name}.`);
    } catch (error) {
      setMessage(error instanceof Error ? error.message : String(error));
    }
  };

  const unapplied = sync.state === 'applied' ? sync.unapplied : [];
  return (
    <details className="corrections-entry" data-testid="corrections-entry">
      <summary>
        {list.length === 0
          ? 'Corrections'
          : `${formatCount(list.length)} correction${list.length === 1 ? '' : 's'} by you`}
        <span role="status" className="corrections-sync" data-state={sync.state}>
          {sync.state === 'applying' && ' · applying…'}
          {sync.state === 'failed' && ' · could not be applied'}
        </span>
      </summary>
      <div className="corrections-panel">
        <p>
          Corrections you make in the Evidence and Letters views (a theme taken off a finding or
          added, a finding moved to another section) count at once in every chart, stay in this
          browser, and can be exported for a maintainer to publish (
          <code>npm run ingest -- --corrections FILE</code>).
        </p>
        {sync.state === 'failed' && <p role="alert">{sync.message}</p>}
        {unapplied.length > 0 && (
          <p className="corrections-unapplied" data-testid="corrections-unapplied">
            {formatCount(unapplied.length)} could not be applied:{' '}
            {unapplied.map((u) => u.reason).join('; ')}.
          </p>
        )}
        {list.length > 0 && (
          <ol className="corrections-list">
            {list.map((c) => (
              <li key={c.id}>
                <span>{describeCorrection(c)}</span>{' '}
                <button type="button" className="link-button" onClick={() => undoCorrection(c.id)}>
                  Undo<span className="visually-hidden"> {describeCorrection(c)}</span>
                </button>
              </li>
            ))}
          </ol>
        )}
        <p className="corrections-actions">
          <button
            type="button"
            className="button"
            disabled={list.length === 0}
            onClick={downloadCorrections}
          >
            Export corrections
          </button>{' '}
          <label className="button" htmlFor={inputId}>
            Import corrections…
          </label>
          <input
            id={inputId}
            ref={fileInput}
            className="visually-hidden"
            type="file"
            accept="application/json,.json"
            onChange={(event) => void onImport(event)}
          />{' '}
          {list.length > 0 &&
            (confirming ? (
              <>
                <span>Forget all {formatCount(list.length)}?</span>{' '}
                <button
                  type="button"
                  className="button"
                  onClick={() => {
                    clearCorrections();
                    setConfirming(false);
                  }}
                >
                  Yes, forget them
                </button>{' '}
                <button type="button" className="button" onClick={() => setConfirming(false)}>
                  Keep them
                </button>
              </>
            ) : (
              <button type="button" className="button" onClick={() => setConfirming(true)}>
                Forget all corrections
              </button>
            ))}
        </p>
        {message && (
          <p role="status" data-testid="corrections-message">
            {message}
          </p>
        )}
      </div>
    </details>
  );
}
