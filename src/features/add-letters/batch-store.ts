import { startTransition, useEffect, useState } from 'react';
import type { BatchProgress, BatchReport } from './add-letters-session';

/** The batch being added now: where it is, and how to stop it. */
export interface RunningBatch {
  files: number;
  progress: BatchProgress;
  /** Stops the batch (a no-op once its letters are committed). */
  cancel: () => void;
  /** Cancel was asked for and the batch is winding down (its insert rolling back). */
  cancelling: boolean;
}

/** How the last batch ended. */
export type BatchOutcome =
  | { kind: 'added'; report: BatchReport; progress: BatchProgress }
  | { kind: 'cancelled'; files: number }
  | { kind: 'failed'; message: string };

/** The add-letters batch as every part of the page sees it: the running one and the last end. */
export interface BatchState {
  running: RunningBatch | null;
  outcome: BatchOutcome | null;
}

let state: BatchState = { running: null, outcome: null };
const listeners = new Set<() => void>();

/** The batch state now. */
export function batchState(): BatchState {
  return state;
}

/**
 * Replaces the batch state and tells every subscriber. It lives outside the view, so that a
 * batch goes on (with its progress and Cancel) while the reader looks at another view.
 */
export function setBatchState(next: BatchState): void {
  state = next;
  listeners.forEach((listener) => listener());
}

/**
 * The batch state, re-rendering on each change. The re-render is a transition, which React
 * renders in slices that yield to input: a batch's progress, and its report of hundreds of
 * letters, never hold the page's thread for long.
 */
export function useBatchState(): BatchState {
  const [current, setCurrent] = useState(state);
  useEffect(() => {
    const update = () => startTransition(() => setCurrent(state));
    listeners.add(update);
    // A change made between the first render and this effect.
    update();
    return () => {
      listeners.delete(update);
    };
  }, []);
  return current;
}

/** Whether a batch is running and can still be cancelled. */
export function cancellable(running: RunningBatch | null): boolean {
  return running !== null && !running.cancelling && running.progress.phase !== 'finishing';
}
