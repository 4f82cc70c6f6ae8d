import { useId, useState, type ChangeEvent } from 'react';
import { AppLink } from '@/app/app-link';
import {
  useReservedThemes,
  useSavedThemesEngine,
  useSavedThemesSync,
  YOURS_SUFFIX,
} from '@/app/saved-themes/saved-themes-engine';
import {
  setSavedThemes,
  showStoredThemes,
  useSavedThemes,
} from '@/app/saved-themes/saved-themes-store';
import { useSearchParams, viewParams } from '@/app/url-state';
import {
  parseSavedThemesText,
  savedThemesFile,
  SavedThemesError,
  savedThemesProblem,
  type SavedTheme,
} from '@/core/search/saved-themes';
import { formatCount } from '@/lib/format';
import './saved-themes.css';

/** Offers the saved themes as the JSON file the ingest's `--themes` takes. */
function downloadThemes(themes: readonly SavedTheme[]): void {
  const blob = new Blob([`${JSON.stringify(savedThemesFile(themes), null, 2)}\n`], {
    type: 'application/json',
  });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = `saved-themes-${new Date().toISOString().slice(0, 10)}.json`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * The themes of a file added to `current`: a theme already saved with the same name and search
 * is passed over; any other problem (a name taken, too many) refuses the whole file.
 */
function merged(
  current: readonly SavedTheme[],
  imported: readonly SavedTheme[],
  reserved: Parameters<typeof savedThemesProblem>[1],
  file: string,
): { themes: SavedTheme[]; added: number } {
  const known = new Set(current.map((t) => `${t.name.toLowerCase()}\u0000${t.query}`));
  const fresh = imported.filter((t) => !known.has(`${t.name.toLowerCase()}\u0000${t.query}`));
  const themes = [...current, ...fresh];
  const problem = savedThemesProblem(themes, reserved);
  if (problem)
    throw new SavedThemesError(
      `${file} was not imported: with the themes saved already, ${problem.charAt(0).toLowerCase()}${problem.slice(1)}`,
    );
  return { themes, added: fresh.length };
}

/**
 * The header's account of the saved themes (searches counted as themes in every view): each with
 * its count, a link to its search and a remove button; export as the file the ingest takes,
 * import one; what a link brought. Keeps the engine's theme tables in step with them.
 */
export function SavedThemesEntry() {
  useSavedThemesEngine();
  const state = useSavedThemes();
  const sync = useSavedThemesSync();
  const reserved = useReservedThemes();
  const params = useSearchParams();
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const inputId = useId();
  const { themes } = state;
  const counts = new Map(
    sync.state === 'applied' ? sync.applied.map((t) => [t.name, t.findings]) : [],
  );
  const refused = sync.state === 'applied' ? sync.refused : [];

  const onImport = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    try {
      if (!reserved) throw new SavedThemesError('The themes are still loading: try again shortly.');
      const imported = parseSavedThemesText(await file.text(), reserved, file.name);
      const { themes: next, added } = merged(themes, imported, reserved, file.name);
      if (added > 0) setSavedThemes(next);
      setMessage({
        text:
          added === 0
            ? `${file.name} holds no theme that is not saved already.`
            : `${formatCount(added)} saved ${added === 1 ? 'theme' : 'themes'} added from ${file.name}.`,
        error: false,
      });
    } catch (error) {
      setMessage({
        text:
          error instanceof SavedThemesError
            ? `${error.message} Nothing was changed.`
            : `${file.name} could not be read. Nothing was changed.`,
        error: true,
      });
    }
  };

  const remove = (name: string) => {
    setSavedThemes(themes.filter((t) => t.name !== name));
    setMessage({ text: `“${name}” is no longer saved.`, error: false });
  };

  return (
    <details className="saved-themes-entry" data-testid="saved-themes-entry">
      <summary>
        {themes.length === 0
          ? 'Your themes'
          : `${formatCount(themes.length)} ${themes.length === 1 ? 'theme' : 'themes'} of yours`}
        <span role="status" className="saved-themes-sync" data-state={sync.state}>
          {sync.state === 'applying' && ' · counting…'}
          {sync.state === 'failed' && ' · could not be counted'}
        </span>
      </summary>
      <div className="saved-themes-panel">
        <p>
          Save a search as a theme in the{' '}
          <AppLink params={viewParams('search', params)}>Search</AppLink> view: it is then counted
          beside the taxonomy&rsquo;s themes in every view, marked &ldquo;{YOURS_SUFFIX.trim()}
          &rdquo;, with the words it matched as its evidence. Saved themes stay in this browser and
          travel in the page&rsquo;s address, so a link shows the same figures; export them for{' '}
          <code>npm run ingest -- --themes FILE</code>.
        </p>
        {sync.state === 'failed' && <p role="alert">{sync.message}</p>}
        {state.fromLink && (
          <div className="saved-themes-link" data-testid="saved-themes-from-link">
            <p>
              {themes.length === 0
                ? 'The link you opened shows no saved themes.'
                : `The link you opened brought ${themes.length === 1 ? 'this theme' : 'these themes'}.`}{' '}
              {state.stored.length > 0
                ? `This browser keeps ${formatCount(state.stored.length)} of its own (${state.stored.map((t) => t.name).join(', ')}), not shown now; saving, removing or importing a theme here replaces them with the list below.`
                : 'Saving, removing or importing a theme keeps them in this browser.'}
            </p>
            <p>
              {themes.length > 0 && (
                <button type="button" className="button" onClick={() => setSavedThemes(themes)}>
                  Keep {themes.length === 1 ? 'it' : 'them'} in this browser
                </button>
              )}{' '}
              {state.stored.length > 0 && (
                <button type="button" className="button" onClick={showStoredThemes}>
                  Show this browser&rsquo;s themes instead
                </button>
              )}
            </p>
          </div>
        )}
        {state.problems.length > 0 && (
          <ul className="saved-themes-problems" role="alert">
            {state.problems.map((p) => (
              <li key={p}>{p} It is left out.</li>
            ))}
          </ul>
        )}
        {refused.length > 0 && (
          <ul className="saved-themes-problems" role="alert" data-testid="saved-themes-refused">
            {refused.map((t) => (
              <li key={t.name}>
                “{t.name}” is not counted: {t.reason}
              </li>
            ))}
          </ul>
        )}
        {themes.length > 0 ? (
          <ol className="saved-themes-list" data-testid="saved-themes-list">
            {themes.map((t) => (
              <li key={t.name}>
                <strong>{t.name}</strong>{' '}
                <AppLink params={viewParams('search', params, { q: t.query })}>
                  <code>{t.query}</code>
                  <span className="visually-hidden"> (search it)</span>
                </AppLink>
                {counts.has(t.name) && (
                  <span>
                    {' '}
                    · {formatCount(counts.get(t.name)!)}{' '}
                    {counts.get(t.name) === 1 ? 'finding' : 'findings'}
                  </span>
                )}{' '}
                <button type="button" className="link-button" onClick={() => remove(t.name)}>
                  Remove<span className="visually-hidden"> the saved theme {t.name}</span>
                </button>
              </li>
            ))}
          </ol>
        ) : (
          <p>No saved themes yet.</p>
        )}
        <p className="saved-themes-actions">
          <button
            type="button"
            className="button"
            disabled={themes.length === 0}
            onClick={() => downloadThemes(themes)}
          >
            Export saved themes
          </button>{' '}
          <label className="button" htmlFor={inputId}>
            Import saved themes…
          </label>
          <input
            id={inputId}
            className="visually-hidden"
            type="file"
            accept="application/json,.json"
            onChange={(event) => void onImport(event)}
          />
        </p>
        {message && (
          <p
            role={message.error ? 'alert' : 'status'}
            className={message.error ? 'saved-themes-error' : undefined}
            data-testid="saved-themes-message"
          >
            {message.text}
          </p>
        )}
      </div>
    </details>
  );
}
