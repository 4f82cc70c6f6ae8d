import { useEffect, useId, useRef, useState, type DragEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { AppLink } from '@/app/app-link';
import { useSearchParams, viewParams } from '@/app/url-state';
import { formatCount, formatDate } from '@/lib/format';
import { noRows, QueryState } from '@/lib/query-state';
import { DataTable } from '@/lib/data-table';
import { ParseWarnings } from '@/lib/parse-warnings';
import type { AddedLetterRow } from './add-letters-sql';
import { useAddedLetters, useLetterCount } from './add-letters-queries';
import {
  addLetters,
  type BatchProgress,
  type BatchReport,
  type FileReport,
} from './add-letters-session';
import { cancellable, useBatchState } from './batch-store';
import { useGrowingCount } from './growing-count';
import { runBatch } from './run-batch';
import { LETTER_EXTENSIONS } from '@/core/read/registry';
import {
  forgetLetter,
  forgetLetters,
  storedLetter,
  type StoredLetter,
} from './added-letters-store';
import { removeAddedLetters } from './insert-letters';
import { refreshViews } from './refresh-views';
import './add-letters.css';

/** What the file picker offers: every extension a reader takes (src/core/read/registry.ts). */
const ACCEPT = LETTER_EXTENSIONS.join(',');

/** The "Add letters" view: read letters in this browser, see them everywhere, keep the data set. */
export function AddLettersView() {
  return (
    <div className="view add-letters">
      <AddPanel />
      <AddedPanel />
      <DownloadPanel />
    </div>
  );
}

function AddPanel() {
  const client = useQueryClient();
  const inputId = useId();
  const { running, outcome } = useBatchState();
  const [remember, setRemember] = useState(true);
  const [dragging, setDragging] = useState(false);
  const busy = running !== null;
  const panel = useRef<HTMLElement>(null);
  const cancelButton = useRef<HTMLButtonElement>(null);
  const outcomeRef = useRef<HTMLDivElement>(null);
  const wasRunning = useRef(busy);
  const canCancel = cancellable(running);
  const cancel = running?.cancel;

  // The file input is disabled while a batch runs: focus goes to Cancel rather than nowhere,
  // and to what became of the batch once Cancel is gone.
  useEffect(() => {
    const lost = () =>
      document.activeElement === null ||
      document.activeElement === document.body ||
      (document.activeElement as HTMLInputElement).disabled === true;
    if (busy && !wasRunning.current && lost()) cancelButton.current?.focus();
    if (!busy && wasRunning.current && lost()) outcomeRef.current?.focus();
    wasRunning.current = busy;
  }, [busy]);

  // Escape cancels, from the panel or from nowhere in particular (not from another control that
  // may use the key itself).
  useEffect(() => {
    if (!canCancel || !cancel) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || event.defaultPrevented) return;
      const target = event.target as Node | null;
      if (target !== document.body && !panel.current?.contains(target)) return;
      event.preventDefault();
      cancel();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [canCancel, cancel]);

  const add = (files: File[]) => {
    if (files.length === 0 || busy) return;
    void runBatch(files, remember, client);
  };

  const onDrop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setDragging(false);
    add([...event.dataTransfer.files]);
  };

  return (
    <section className="panel" aria-labelledby="add-heading" ref={panel}>
      <h2 id="add-heading">Add your letters</h2>
      <p className="panel-description">
        Ofsted&rsquo;s letters or councils&rsquo; own reports as PDF, web pages saved from the
        archive (<code>.html</code>), Word (<code>.docx</code>, <code>.doc</code>), OpenDocument (
        <code>.odt</code>), <code>.rtf</code> or text (<code>.txt</code>, <code>.md</code>), or zips
        of them, as many as you like. They are read here, in your browser, by the same code that
        reads the bundled letters; nothing is uploaded. A letter for an inspection already held
        (same council and start date) replaces the earlier one.
      </p>
      <div
        className={`drop-zone${dragging ? ' drop-zone-active' : ''}`}
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <label htmlFor={inputId}>Choose letter files, or drop them here</label>
        <input
          id={inputId}
          type="file"
          multiple
          accept={ACCEPT}
          disabled={busy}
          data-testid="add-letters-input"
          onChange={(event) => {
            const files = [...(event.target.files ?? [])];
            // Cleared so that choosing the same files again adds them again.
            event.target.value = '';
            add(files);
          }}
        />
        <label className="remember">
          <input
            type="checkbox"
            checked={remember}
            disabled={busy}
            onChange={(event) => setRemember(event.target.checked)}
          />{' '}
          Remember the added letters in this browser for my next visit
        </label>
      </div>
      {running && (
        <div className="add-running">
          <ProgressLine progress={running.progress} />
          <p className="add-cancel">
            <button
              ref={cancelButton}
              type="button"
              className="button button-secondary"
              data-testid="add-letters-cancel"
              aria-keyshortcuts="Escape"
              aria-disabled={!canCancel}
              aria-describedby={canCancel ? undefined : `${inputId}-cancel-hint`}
              onClick={() => running.cancel()}
            >
              {running.cancelling ? 'Cancelling…' : 'Cancel'}
            </button>{' '}
            <span className="hint" id={`${inputId}-cancel-hint`}>
              {running.cancelling
                ? 'Stopping: nothing of this batch will be kept.'
                : canCancel
                  ? '(or press Escape): nothing of this batch will be kept.'
                  : 'Too late to cancel: the letters are in, and the views are being updated.'}
            </span>
          </p>
        </div>
      )}
      {!running && outcome && (
        <div ref={outcomeRef} tabIndex={-1} className="add-outcome">
          {outcome.kind === 'added' && (
            <>
              <ProgressLine progress={outcome.progress} />
              <BatchResult report={outcome.report} />
            </>
          )}
          {outcome.kind === 'cancelled' && (
            <div className="state" role="status" data-testid="add-letters-cancelled">
              <p className="state-title">Cancelled: no letters were added.</p>
              <p>
                Nothing of the {formatCount(outcome.files)} {outcome.files === 1 ? 'file' : 'files'}{' '}
                you chose was kept: the data set, every view and the letters remembered in this
                browser are as they were before.
              </p>
            </div>
          )}
          {outcome.kind === 'failed' && (
            <div className="state state-error" role="alert">
              <p className="state-title">The letters could not be added.</p>
              <p>{outcome.message}</p>
            </div>
          )}
        </div>
      )}
    </section>
  );
}

function ProgressLine({ progress }: { progress: BatchProgress }) {
  const { phase, total, done, rejected, letters, staged } = progress;
  const files = `${done} of ${total} files read, ${rejected} rejected`;
  const words =
    phase === 'reading'
      ? `Reading: ${files}`
      : phase === 'inserting'
        ? `Adding the letters to the data set: ${staged} of ${letters} in (${files})`
        : phase === 'finishing'
          ? `Updating the views with the ${letters} ${letters === 1 ? 'letter' : 'letters'} added (${files})`
          : files;
  const [value, max, label] =
    phase === 'reading' || phase === 'done'
      ? [done, total, `${done} of ${total} files read`]
      : phase === 'inserting'
        ? [staged, letters, `${staged} of ${letters} letters added`]
        : [letters, letters, `${letters} of ${letters} letters added`];
  return (
    <div className="add-progress" data-phase={phase}>
      <progress
        max={Math.max(max, 1)}
        value={value}
        aria-label={phase === 'reading' || phase === 'done' ? 'Files read' : 'Letters added'}
        aria-valuetext={label}
      />
      <p role="status" aria-live="polite" data-testid="add-letters-progress">
        {words}
      </p>
    </div>
  );
}

function describeAdded(file: Extract<FileReport, { status: 'added' }>): string {
  const notes = [
    file.replaced === 'bundled' && 'replaced the bundled letter for this inspection',
    file.replaced === 'added' && 'replaced the copy you added before',
    // An unknown council is one of the letter's warnings (check-letter.ts), shown below.
  ].filter(Boolean);
  return notes.join('; ');
}

/** What a batch did: the letters added (each with its warnings), duplicates and rejects. */
export function BatchResult({ report }: { report: BatchReport }) {
  const params = useSearchParams();
  const added = report.files.filter((f) => f.status === 'added');
  const rejected = report.files.filter((f) => f.status === 'rejected');
  const duplicates = report.files.filter((f) => f.status === 'duplicate');
  // Hundreds of letters are listed a few dozen per frame.
  const addedShown = useGrowingCount(added.length);
  return (
    <div className="batch-result" data-testid="add-letters-result" data-ms={report.ms}>
      <p className="batch-summary" role="status">
        {formatCount(report.added)} {report.added === 1 ? 'letter' : 'letters'} added
        {rejected.length > 0 && `, ${formatCount(rejected.length)} not added`} in{' '}
        {(report.ms / 1000).toFixed(1)} s.
      </p>
      {added.length > 0 && (
        <ul className="file-list">
          {added.slice(0, addedShown).map((file) => (
            <li key={file.name}>
              <strong>{file.name}</strong>:{' '}
              <AppLink params={viewParams('letter', params, { letter: file.letter_id })}>
                {file.council_name}, inspected {formatDate(file.inspection_start)}
              </AppLink>{' '}
              ({file.findings} findings){describeAdded(file) && ` – ${describeAdded(file)}`}
              <ParseWarnings
                warnings={file.warnings}
                title={`Added, but it may not have been read right (${file.warnings.length === 1 ? 'a warning' : `${file.warnings.length} warnings`}):`}
              />
            </li>
          ))}
        </ul>
      )}
      {duplicates.length > 0 && (
        <ul className="file-list">
          {duplicates.map((file) => (
            <li key={file.name}>
              <strong>{file.name}</strong>: the same inspection as {file.kept}, which was kept
            </li>
          ))}
        </ul>
      )}
      {rejected.length > 0 && (
        <>
          <h3>Not added</h3>
          <ul className="file-list file-list-rejected" data-testid="add-letters-rejected">
            {rejected.map((file) => (
              <li key={file.name}>
                <strong>{file.name}</strong>: {file.reason}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

function AddedPanel() {
  const params = useSearchParams();
  const client = useQueryClient();
  const letters = useAddedLetters();
  // Hundreds of rows go in a few dozen per frame (the caption counts them all from the first).
  const rowsShown = useGrowingCount(letters.data?.length ?? 0);
  const [forgetting, setForgetting] = useState<'no' | 'confirm' | 'yes'>('no');
  const [removed, setRemoved] = useState<{
    letter: StoredLetter | null;
    row: AddedLetterRow;
  } | null>(null);
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState('');
  const forget = async () => {
    setForgetting('yes');
    await forgetLetters().catch(() => undefined);
    // The bundled letters that added ones replaced come back only from the bundled files.
    window.location.reload();
  };
  const remove = async (row: AddedLetterRow) => {
    setBusy(true);
    try {
      const letter = await storedLetter(row.letter_id).catch(() => null);
      await removeAddedLetters([row.letter_id]);
      await forgetLetter(row.letter_id).catch(() => undefined);
      setRemoved({ letter, row });
      setNote(`Removed ${row.council_name} (${row.source_file}).`);
      await refreshViews(client);
    } catch (error) {
      setNote(`Could not remove it: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      setBusy(false);
    }
  };
  const undo = async () => {
    const letter = removed?.letter;
    if (!letter) return;
    setBusy(true);
    try {
      await addLetters(
        [
          {
            name: letter.name,
            read: () => Promise.resolve({ name: letter.name, text: letter.text }),
          },
        ],
        { remember: true, onProgress: () => undefined },
      );
      await refreshViews(client);
      setNote(`${removed.row.council_name} is back.`);
      setRemoved(null);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="panel" aria-labelledby="added-heading">
      <h2 id="added-heading">Letters added by you</h2>
      <p role="status" className="added-note" data-testid="added-note">
        {note}{' '}
        {removed?.letter && (
          <button type="button" className="button" disabled={busy} onClick={() => void undo()}>
            Undo
          </button>
        )}
        {removed && (
          <span className="hint">
            {' '}
            If it had replaced a bundled letter, that letter comes back when the page is reloaded.
          </span>
        )}
      </p>
      <QueryState
        query={letters}
        label="the letters added by you"
        isEmpty={noRows}
        empty={<p>None yet. Letters you add show here and in every view.</p>}
      >
        {(rows) => (
          <>
            <p className="panel-description">
              Every view counts them; the <strong>Source</strong> filter shows them alone or leaves
              them out.
            </p>
            <DataTable<AddedLetterRow>
              caption={`${rows.length} ${rows.length === 1 ? 'letter' : 'letters'} added by you`}
              rows={rows.slice(0, rowsShown)}
              columns={[
                {
                  key: 'council_name',
                  label: 'Council',
                  render: (row) => (
                    <AppLink params={viewParams('letter', params, { letter: row.letter_id })}>
                      {row.council_name}
                    </AppLink>
                  ),
                },
                {
                  key: 'inspection_start',
                  label: 'Inspected',
                  format: (v) => formatDate(String(v)),
                },
                {
                  key: 'region',
                  label: 'Region',
                  format: (v) => (v ? String(v) : 'not recognised'),
                },
                { key: 'source_file', label: 'File' },
                { key: 'finding_count', label: 'Findings', numeric: true },
                {
                  key: 'letter_id',
                  label: 'Remove',
                  render: (row) => (
                    <button
                      type="button"
                      className="button button-secondary"
                      disabled={busy}
                      onClick={() => void remove(row)}
                    >
                      Remove
                      <span className="visually-hidden">
                        {' '}
                        {row.council_name}, {row.source_file}
                      </span>
                    </button>
                  ),
                },
              ]}
            />
            <p>
              {forgetting === 'confirm' ? (
                <>
                  <span>
                    Forget all {rows.length} added {rows.length === 1 ? 'letter' : 'letters'}? This
                    cannot be undone.
                  </span>{' '}
                  <button type="button" className="button" onClick={() => void forget()}>
                    Yes, forget them all
                  </button>{' '}
                  <button
                    type="button"
                    className="button button-secondary"
                    onClick={() => setForgetting('no')}
                  >
                    Keep them
                  </button>
                </>
              ) : (
                <>
                  <button
                    type="button"
                    className="button button-secondary"
                    disabled={forgetting === 'yes'}
                    onClick={() => setForgetting('confirm')}
                  >
                    Forget added letters
                  </button>{' '}
                  <span className="hint">
                    Removes them all from this browser and reloads the page with the bundled
                    letters.
                  </span>
                </>
              )}
            </p>
          </>
        )}
      </QueryState>
    </section>
  );
}

interface PreparedFile {
  name: string;
  url: string;
  bytes: number;
  rows: number;
}

function DownloadPanel() {
  const count = useLetterCount();
  const [prepared, setPrepared] = useState<{ files: PreparedFile[]; at: number } | null>(null);
  const [state, setState] = useState<'idle' | 'preparing' | 'failed'>('idle');
  const [failure, setFailure] = useState('');
  const urls = useRef<string[]>([]);
  // A prepared download is for the data as it stood: every insert refetches the counts, and
  // a download prepared before that is no longer offered.
  const version = count.dataUpdatedAt;
  const files = prepared?.at === version ? prepared.files : null;
  useEffect(() => () => urls.current.forEach((url) => URL.revokeObjectURL(url)), []);

  const prepare = async () => {
    setState('preparing');
    try {
      // The Parquet writer loads only when someone asks for the files.
      const { exportDataSet } = await import('./export-data-set');
      const written = await exportDataSet();
      urls.current.forEach((url) => URL.revokeObjectURL(url));
      const made = written.map((file) => ({
        name: file.name,
        url: URL.createObjectURL(
          new Blob([file.bytes as Uint8Array<ArrayBuffer>], {
            type: 'application/vnd.apache.parquet',
          }),
        ),
        bytes: file.bytes.length,
        rows: file.rows,
      }));
      urls.current = made.map((file) => file.url);
      setPrepared({ files: made, at: version });
      setState('idle');
    } catch (error) {
      setFailure(error instanceof Error ? error.message : String(error));
      setState('failed');
    }
  };

  return (
    <section className="panel" aria-labelledby="download-heading">
      <h2 id="download-heading">Download the data set</h2>
      <p className="panel-description">
        The bundled and added letters together, as the same five Parquet files the pipeline writes
        (same names, columns and types): put them in a copy of the site&rsquo;s <code>data/</code>{' '}
        folder, share them, or open them with DuckDB, pandas or R.
      </p>
      <button
        type="button"
        className="button"
        disabled={state === 'preparing'}
        onClick={() => void prepare()}
      >
        {state === 'preparing' ? 'Writing the Parquet files…' : 'Prepare the download'}
      </button>
      {state === 'failed' && (
        <div className="state state-error" role="alert">
          <p className="state-title">The Parquet files could not be written.</p>
          <p>{failure}</p>
        </div>
      )}
      {files && (
        <ul className="file-list download-list" data-testid="add-letters-downloads">
          {files.map((file) => (
            <li key={file.name}>
              <a href={file.url} download={file.name}>
                {file.name}
              </a>{' '}
              ({formatCount(file.rows)} rows, {formatCount(Math.ceil(file.bytes / 1024))} KB)
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
