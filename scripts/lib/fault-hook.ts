import { writeSync } from 'node:fs';

/**
 * The moments of an ingest at which a test may stop it, in the order they come:
 *
 * - `locked`: the output folder's lock is taken, nothing else done;
 * - `adopting`: files an earlier version wrote straight into the folder are being taken into a
 *   set (between the switch to that set and the links that replace the files one by one);
 * - `staged`: the staging database is open, no letter read yet;
 * - `parsing`: the first letter is staged;
 * - `writing`: the first Parquet file of the new set is written, the others not yet;
 * - `written`: the new set is whole and synced, not yet published;
 * - `linked`: the folder's links for the new set's files are in place, the switch not made;
 * - `switched`: the new set is published, the old one not yet removed;
 * - `cleaned`: old sets removed, the lock not yet given back.
 */
export const PAUSE_STAGES = [
  'locked',
  'adopting',
  'staged',
  'parsing',
  'writing',
  'written',
  'linked',
  'switched',
  'cleaned',
] as const;
export type PauseStage = (typeof PAUSE_STAGES)[number];

/** The stages named in `UCRA_INGEST_PAUSE_AT` (comma-separated), each paused at once. */
const wanted = new Set((process.env.UCRA_INGEST_PAUSE_AT ?? '').split(',').filter(Boolean));

/**
 * For fault tests only: when `UCRA_INGEST_PAUSE_AT` names this stage, says so on stderr
 * (`ingest: paused at STAGE (pid N)`) and blocks the process for good, so that a test can kill
 * it at exactly this point. Does nothing otherwise.
 */
export function pauseAt(stage: PauseStage): void {
  if (!wanted.delete(stage)) return;
  writeSync(2, `ingest: paused at ${stage} (pid ${process.pid})\n`);
  // Blocks the thread (and so the process) until it is killed.
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
}
