import { announceSessionLettersChanged } from '@/lib/session-ready';
import { dedupeLetters } from '@/core/dedupe-letters';
import type { LetterFileResult } from '@/core/parse-letter-file';
import { unsupportedTypeReason } from '@/core/read/registry';
import type { LetterRows } from '@/core/pipeline/to-rows';
import { rememberLetters } from './added-letters-store';
import { insertLetters } from './insert-letters';
import { readInWorker } from './read-in-worker';
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
  result: Extract<LetterFileResult, { ok: true }>,
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

/** Where a batch is: files read so far (and rejected), then the insert. */
export interface BatchProgress {
  phase: 'reading' | 'inserting' | 'done';
  total: number;
  done: number;
  rejected: number;
}

/** What a batch did, file by file, and how long it took from the files to the updated tables. */
export interface BatchReport {
  files: FileReport[];
  added: number;
  rejected: number;
  ms: number;
}

/**
 * Reads files (or remembered texts) in the worker with the pipeline's stage code and puts the
 * letters into this session's tables, replacing any earlier copy of the same inspection; with
 * `remember`, the letters' texts are kept in this browser for the next visit.
 */
export async function addLetters(
  files: readonly { name: string; read: () => Promise<LetterSource> }[],
  options: { remember: boolean; onProgress: (progress: BatchProgress) => void },
): Promise<BatchReport> {
  const started = performance.now();
  // Counted in documents: a zip's members are known only once the worker has opened it.
  let total = files.length;
  // Each file's reports in order: one per document it held (several for a zip).
  const perFile: FileReport[][] = files.map(() => []);
  let done = 0;
  let rejected = 0;
  const report = (phase: BatchProgress['phase']) =>
    options.onProgress({ phase, total, done, rejected });
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

  const results = await readInWorker(
    wanted.map((w) => w.source),
    (_, documents) => {
      total += documents.length - 1;
      done += documents.length;
      rejected += documents.filter((d) => !d.ok).length;
      report('reading');
    },
  );
  const read: LetterRows[] = [];
  const texts = new Map<LetterRows, { report: FileReport; text: string }>();
  for (const [i, documents] of results.entries()) {
    const { index } = wanted[i]!;
    for (const result of documents ?? []) {
      if (!result.ok) {
        perFile[index]!.push({ name: result.name, status: 'rejected', reason: result.reason });
        continue;
      }
      const added: FileReport = addedFileReport(result);
      perFile[index]!.push(added);
      read.push(result.rows);
      texts.set(result.rows, { report: added, text: result.text });
    }
  }

  const { letters } = dedupeLetters(read);
  for (const rows of read) {
    if (letters.includes(rows)) continue;
    const entry = texts.get(rows)!;
    const kept = letters.find((l) => l.letter.letter_id === rows.letter.letter_id);
    Object.assign(entry.report, {
      status: 'duplicate',
      letter_id: rows.letter.letter_id,
      kept: kept?.letter.source_file ?? '',
    });
  }

  report('inserting');
  const outcome = await insertLetters(letters);
  // Corrections made in this browser apply to the new rows too (src/features/corrections).
  announceSessionLettersChanged();
  const reports = perFile.flat();
  for (const replaced of outcome.replaced) {
    for (const r of reports)
      if (r.status === 'added' && r.letter_id === replaced.letter_id)
        r.replaced = replaced.was_added ? 'added' : 'bundled';
  }
  if (options.remember) {
    const now = new Date().toISOString();
    await rememberLetters(
      letters.map((rows) => ({
        letter_id: rows.letter.letter_id,
        name: rows.letter.source_file,
        text: texts.get(rows)!.text,
        added_at: now,
      })),
    ).catch(() => undefined);
  }
  report('done');
  return {
    files: reports,
    added: letters.length,
    rejected,
    ms: Math.round(performance.now() - started),
  };
}
