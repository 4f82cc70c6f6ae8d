import type { QueryClient } from '@tanstack/react-query';
import { addLetters, type BatchProgress } from './add-letters-session';
import { batchState, cancellable, setBatchState } from './batch-store';
import { isAbort } from './cancelled';
import { refreshViews } from './refresh-views';

/**
 * How often the progress line is redrawn while files are read: each letter read would be a
 * render of its own (hundreds in a big batch); a person reads no faster than this.
 */
const PROGRESS_MS = 100;

/**
 * Adds the picked files as one batch, unless one is running: progress in the batch store (shown
 * by the view and the header, at most every {@link PROGRESS_MS}), Cancel through it, and the
 * batch's end (its report, a cancellation or a failure) left there for the view to show.
 */
export async function runBatch(
  files: readonly File[],
  remember: boolean,
  client: QueryClient,
): Promise<void> {
  if (files.length === 0 || batchState().running) return;
  const controller = new AbortController();
  const started = performance.now();
  let latest: BatchProgress = {
    phase: 'reading',
    total: files.length,
    done: 0,
    rejected: 0,
    letters: 0,
    staged: 0,
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const publish = () => {
    clearTimeout(timer);
    timer = undefined;
    const running = batchState().running;
    if (running) setBatchState({ ...batchState(), running: { ...running, progress: latest } });
  };
  const cancel = () => {
    const running = batchState().running;
    if (!cancellable(running)) return;
    controller.abort();
    setBatchState({ ...batchState(), running: { ...running!, cancelling: true } });
  };
  setBatchState({
    running: { files: files.length, progress: latest, cancel, cancelling: false },
    outcome: null,
  });
  try {
    const report = await addLetters(
      files.map((file) => ({
        name: file.name,
        // The file itself goes to the worker, which reads its bytes there.
        read: () => Promise.resolve({ name: file.name, file }),
      })),
      {
        remember,
        signal: controller.signal,
        onProgress: (progress) => {
          latest = progress;
          // A new phase shows at once (from `finishing` on, Cancel can do nothing, and the
          // button says so); the counts at most every PROGRESS_MS.
          if (progress.phase !== latestShown()) publish();
          else timer ??= setTimeout(publish, PROGRESS_MS);
        },
      },
    );
    await refreshViews(client);
    clearTimeout(timer);
    setBatchState({
      running: null,
      outcome: {
        kind: 'added',
        // Timed from the files to every open view's queries answered again.
        report: { ...report, ms: Math.round(performance.now() - started) },
        progress: latest,
      },
    });
  } catch (error) {
    clearTimeout(timer);
    setBatchState({
      running: null,
      outcome: isAbort(error)
        ? { kind: 'cancelled', files: files.length }
        : { kind: 'failed', message: error instanceof Error ? error.message : String(error) },
    });
  }
}

/** The phase the progress line shows now. */
function latestShown(): BatchProgress['phase'] | undefined {
  return batchState().running?.progress.phase;
}
