import { announceSessionLettersChanged } from '@/lib/session-ready';
import { pickLetters } from '@/core/dedupe-letters';
import { unsupportedTypeReason } from '@/core/read/registry';
import type { ReadResult } from './add-letters-worker';
import { insertLetters } from './insert-letters';
import { openWorkerBatch } from './read-in-worker';
import type { LetterSource } from './read-letters';

/** What became of one file of a batch. */
export type FileReport =
  | {
      name: string;
      status: 'added';
      letter_id: string;
      council_name: string;
      inspection_start: string;
      findings: number;
      councilKnown: boolean;
      /** What looked wrong when it was read, one line each (as in `parse_warnings`). */
      warnings: string[];
      /** The copy this letter replaced: bundled with the site, or added earlier. */
      replaced: 'bundled' | 'added' | null;
    }
  | { name: string; status: 'rejected'; reason: string }
  | { name: string; status: 'duplicate'; letter_id: string; kept: string };

/** The report of a document read as a letter, before deduplication and the insert. */
export function addedFileReport(
  result: Extract<ReadResult, { ok: true }>,
): Extract<FileReport, { status: 'added' }> {
  const letter = result.rows.letter;
  return {
    name: result.name,
    status: 'added',
    letter_id: letter.letter_id,
    council_name: letter.council_name,
    inspection_start: letter.inspection_start,
    findings: letter.finding_count,
    councilKnown: result.councilKnown,
    warnings: result.warnings,
    replaced: null,
  };
}

/**
 * Where a batch is: files read so far (and rejected); then the letters going into the engine
 * (`inserting`, as long as it can still be cancelled); then, once they are in, the derived
 * tables and the browser's store brought up to date (`finishing`).
 */
export interface BatchProgress {
  phase: 'reading' | 'inserting' | 'finishing' | 'done';
  total: number;
  done: number;
  rejected: number;
  /** Letters to go in (known once reading is over), and how many are in the stage tables. */
  letters: number;
  staged: number;
}

/** What a batch did, file by file, and how long it took from the files to the updated tables. */
export interface BatchReport {
  files: FileReport[];
  added: number;
  rejected: number;
  ms: number;
}

/** What a batch is given, and how it is stopped. */
export interface BatchOptions {
  remember: boolean;
  onProgress: (progress: BatchProgress) => void;
  /**
   * Aborting it stops the batch: its worker at once, or its insert at the next step, rolled back.
   * The batch then rejects with an AbortError, and the session's tables and the letters
   * remembered in this browser are as they were. Once the letters are committed (`finishing`)
   * it has no effect.
   */
  signal?: AbortSignal;
}

/** A read letter on its way in: where it came from in the batch and its report line. */
interface ReadLetter {
  letterId: string;
  documentKind: Extract<ReadResult, { ok: true }>['rows']['letter']['document_kind'];
  sourceFile: string;
  key: [number, number];
  report: FileReport;
}

/**
 * Reads files (or remembered texts) in the worker with the pipeline's stage code and puts the
 * letters into this session's tables, replacing any earlier copy of the same inspection; with
 * `remember`, the letters' texts are kept in this browser for the next visit. The page's thread
 * does no parsing, tagging or Arrow building: the worker does, and hands over Arrow IPC.
 */
export async function addLetters(
  files: readonly { name: string; read: () => Promise<LetterSource> }[],
  options: BatchOptions,
): Promise<BatchReport> {
  const started = performance.now();
  // Counted in documents: a zip's members are known only once the worker has opened it.
  let total = files.length;
  // Each file's reports in order: one per document it held (several for a zip).
  const perFile: FileReport[][] = files.map(() => []);
  let done = 0;
  let rejected = 0;
  let letters = 0;
  let staged = 0;
  const report = (phase: BatchProgress['phase']) =>
    options.onProgress({ phase, total, done, rejected, letters, staged });
  report('reading');

  // Files of another type are turned away before their bytes are read.
  const wanted: { index: number; source: LetterSource }[] = [];
  for (const [index, file] of files.entries()) {
    const unsupported = unsupportedTypeReason(file.name);
    if (unsupported) {
      perFile[index] = [{ name: file.name, status: 'rejected', reason: unsupported }];
      done += 1;
      rejected += 1;
      continue;
    }
    try {
      wanted.push({ index, source: await file.read() });
    } catch (error) {
      const reason = `could not be opened: ${error instanceof Error ? error.message : String(error)}`;
      perFile[index] = [{ name: file.name, status: 'rejected', reason }];
      done += 1;
      rejected += 1;
    }
  }
  report('reading');

  const batch = openWorkerBatch(options.signal);
  try {
    const results = await batch.read(
      wanted.map((w) => w.source),
      (_, documents) => {
        total += documents.length - 1;
        done += documents.length;
        rejected += documents.filter((d) => !d.ok).length;
        report('reading');
      },
    );
    const read: ReadLetter[] = [];
    for (const [i, documents] of results.entries()) {
      const { index } = wanted[i]!;
      for (const [j, result] of (documents ?? []).entries()) {
        if (!result.ok) {
          perFile[index]!.push({ name: result.name, status: 'rejected', reason: result.reason });
          continue;
        }
        const added: FileReport = addedFileReport(result);
        perFile[index]!.push(added);
        const { letter } = result.rows;
        read.push({
          letterId: letter.letter_id,
          documentKind: letter.document_kind,
          sourceFile: letter.source_file,
          key: [i, j],
          report: added,
        });
      }
    }
    const kept = pickLetters(read).letters;
    const keptSet = new Set(kept);
    for (const entry of read) {
      if (keptSet.has(entry)) continue;
      const winner = kept.find((l) => l.letterId === entry.letterId);
      Object.assign(entry.report, {
        status: 'duplicate',
        letter_id: entry.letterId,
        kept: winner?.sourceFile ?? '',
      });
    }
    letters = kept.length;
    // The worker lays the kept letters' rows out for the engine.
    const chunks = await batch.stage(kept.map((l) => l.key));
    report('inserting');
    const outcome = await insertLetters(
      { count: kept.length, chunks },
      {
        signal: options.signal,
        onStaged: (n) => {
          staged = n;
          report('inserting');
        },
        onCommit: () => report('finishing'),
      },
    );
    // Corrections made in this browser apply to the new rows too (src/features/corrections).
    announceSessionLettersChanged();
    const reports = perFile.flat();
    for (const replaced of outcome.replaced) {
      for (const r of reports)
        if (r.status === 'added' && r.letter_id === replaced.letter_id)
          r.replaced = replaced.was_added ? 'added' : 'bundled';
    }
    // The worker writes the texts (the page's thread never clones them), once they are in.
    if (options.remember && kept.length > 0)
      await batch.remember(new Date().toISOString()).catch(() => undefined);
    report('done');
    return {
      files: reports,
      added: kept.length,
      rejected,
      ms: Math.round(performance.now() - started),
    };
  } finally {
    batch.release();
  }
}
