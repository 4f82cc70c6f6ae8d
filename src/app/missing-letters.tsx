import { useId, useRef, useState } from 'react';
import { queryOptions, useQuery, useQueryClient } from '@tanstack/react-query';
import { AppLink } from '@/app/app-link';
import { letterAdder } from '@/app/letter-adder';
import { useSearchParams, viewParams } from '@/app/url-state';
import { LETTER_EXTENSIONS } from '@/core/read/registry';
import { runQuery } from '@/lib/duckdb';
import { addedLettersRestored } from '@/lib/session-ready';
import { sql } from '@/lib/sql';
import './missing-letters.css';

/** The add-letters view's id in the URL. */
const ADD_LETTERS_VIEW = 'add-letters';

/**
 * Query options for which of some letter ids this browser does not hold: asked once the letters
 * remembered in this browser are back (src/lib/session-ready.ts), so that a link to a letter
 * added here earlier is never taken for one that is missing while they are restored.
 */
export function missingLettersQueryOptions(ids: readonly string[]) {
  return queryOptions({
    queryKey: ['letters-missing', [...ids].sort()],
    queryFn: async () => {
      await addedLettersRestored();
      if (ids.length === 0) return [];
      const held = await runQuery<{ letter_id: string }>(
        sql`SELECT letter_id FROM letters WHERE letter_id IN ${[...ids]}`,
      );
      const found = new Set(held.map((r) => r.letter_id));
      return ids.filter((id) => !found.has(id));
    },
  });
}

/** Which of these letter ids this browser does not hold (none while it is being checked). */
export function useMissingLetters(ids: readonly string[]) {
  return useQuery({ ...missingLettersQueryOptions(ids), enabled: ids.length > 0 });
}

/** What became of the files chosen here. */
type AddState =
  | { state: 'idle' }
  | { state: 'adding'; files: number }
  | { state: 'done'; lines: string[]; stillMissing: boolean }
  | { state: 'failed'; message: string };

/**
 * Where a link names letters this browser does not hold (a letter view or evidence link to a
 * letter someone added in their own browser): says so in words, and offers to add them here,
 * from a file picker on the spot or in the Add letters view. Shows nothing while the letters are
 * being looked for, and nothing once they are all held.
 */
export function MissingLetters({
  ids,
  what = 'this link',
  showChecking = false,
}: {
  ids: readonly string[];
  /** What needs the letters, as a sentence names it ("this link", "this evidence link"). */
  what?: string;
  /** Says the letters are being looked for while they are, instead of showing nothing. */
  showChecking?: boolean;
}) {
  const missing = useMissingLetters(ids);
  const params = useSearchParams();
  const client = useQueryClient();
  const headingId = useId();
  const input = useRef<HTMLInputElement>(null);
  const [add, setAdd] = useState<AddState>({ state: 'idle' });
  const list = missing.data ?? [];
  if (missing.isPending && showChecking) {
    return (
      <div className="state state-loading" role="status">
        <span className="spinner" aria-hidden="true" /> Looking for{' '}
        {ids.length === 1 ? 'the letter' : 'the letters'} {what} needs…
      </div>
    );
  }
  if (missing.isError) {
    return (
      <div className="state state-error" role="alert">
        <p className="state-title">
          Could not check whether this browser holds the letters {what} needs.
        </p>
      </div>
    );
  }
  if (list.length === 0) return null;

  const addFiles = async (files: File[]) => {
    if (files.length === 0) return;
    setAdd({ state: 'adding', files: files.length });
    try {
      const add = await letterAdder();
      const outcomes = await add(files, client);
      const needed = new Set(list);
      const lines = outcomes.map((f) =>
        f.status === 'added'
          ? needed.has(f.letter_id)
            ? `${f.name}: added as “${f.letter_id}”, the letter ${what} needs.`
            : `${f.name}: added as “${f.letter_id}” (${f.council_name}), which is not the letter ${what} needs.`
          : f.status === 'duplicate'
            ? `${f.name}: the same inspection as ${f.kept}, not added again.`
            : `${f.name}: not added: ${f.reason}.`,
      );
      const added = new Set(outcomes.flatMap((f) => (f.status === 'added' ? [f.letter_id] : [])));
      setAdd({ state: 'done', lines, stillMissing: list.some((id) => !added.has(id)) });
    } catch (error) {
      setAdd({ state: 'failed', message: error instanceof Error ? error.message : String(error) });
    }
  };

  const one = list.length === 1;
  return (
    <section
      className="missing-letters"
      aria-labelledby={headingId}
      data-testid="missing-letters"
      data-missing={list.join(',')}
    >
      <h2 id={headingId}>
        {one
          ? `This browser does not hold the letter ${what} needs`
          : `This browser does not hold ${list.length} of the letters ${what} needs`}
      </h2>
      <p>
        {one ? 'The letter ' : 'The letters '}
        {list.map((id, i) => (
          <span key={id}>
            {i > 0 && (i === list.length - 1 ? ' and ' : ', ')}
            <code>{id}</code>
          </span>
        ))}{' '}
        {one ? 'is' : 'are'} neither among the letters published with this dashboard nor among those
        added in this browser. Letters added with <strong>Add letters</strong> stay in the browser
        that read them: a link to one opens only where the same letter has been added. If you have
        the {one ? 'file' : 'files'}, add {one ? 'it' : 'them'} here (nothing is uploaded) and{' '}
        {what} will open.
      </p>
      <div className="missing-letters-actions">
        <button
          type="button"
          className="button"
          aria-disabled={add.state === 'adding'}
          onClick={() => {
            if (add.state !== 'adding') input.current?.click();
          }}
        >
          {one ? 'Add the letter’s file…' : 'Add the letters’ files…'}
        </button>
        <input
          ref={input}
          type="file"
          multiple
          hidden
          accept={LETTER_EXTENSIONS.join(',')}
          data-testid="missing-letters-input"
          onChange={(event) => {
            const files = [...(event.target.files ?? [])];
            event.target.value = '';
            void addFiles(files);
          }}
        />
        <AppLink params={viewParams(ADD_LETTERS_VIEW, params)}>
          Open Add letters (many files, zips, drag and drop)
        </AppLink>
      </div>
      <div role="status" aria-live="polite" className="missing-letters-status">
        {add.state === 'adding' &&
          `Reading ${add.files === 1 ? 'the file' : `${add.files} files`} in this browser…`}
        {add.state === 'done' && (
          <>
            <ul>
              {add.lines.map((line, i) => (
                <li key={i}>{line}</li>
              ))}
            </ul>
            {add.stillMissing && (
              <p>
                {one ? 'The letter' : 'Some letters'} {what} needs {one ? 'is' : 'are'} still
                missing: choose another file.
              </p>
            )}
          </>
        )}
      </div>
      {add.state === 'failed' && (
        <p role="alert" className="missing-letters-error">
          The files could not be added: {add.message}
        </p>
      )}
    </section>
  );
}
