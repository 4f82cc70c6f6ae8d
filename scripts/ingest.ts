/**
 * `npm run ingest -- [--out DIR] [--workers N] PATH...`: reads letters and writes the contract's
 * Parquet files (and `rejected.json`) into DIR as one set, published in one step
 * (lib/output-dir.ts). Exit codes: see `HELP`. A letter that looks wrong (check-letter.ts) is still
 * written, and each problem is printed as `warning: <file>: <problem>` and kept in its
 * `parse_warnings`.
 */
import { rmSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type LetterIdentity, pickLetters } from '@/core/dedupe-letters';
import type { ThemeRow } from '@/core/schema';
import { defaultTaxonomy } from '@/core/pipeline/taxonomy';
import {
  CORRECTIONS_FORMAT,
  CORRECTIONS_VERSION,
  CorrectionsError,
  letterOfKey,
  parseCorrectionsText,
  type Correction,
} from '@/core/corrections';
import { assembleRows, correctLetterRows, type LetterRows } from '@/core/pipeline/to-rows';
import {
  parseSavedThemesText,
  SavedThemesError,
  userThemeIds,
  userThemeRows,
} from '@/core/search/saved-themes';
import {
  compileUserThemes,
  tagWithUserThemes,
  type CompiledUserTheme,
} from '@/core/search/user-theme-tags';
import { pauseAt } from './lib/fault-hook';
import { OutputLockedError } from './lib/output-dir';
import { parseFiles } from './lib/parse-pool';
import { collectInputs } from './lib/read-inputs';
import { ParquetStage } from './lib/write-parquet';

const USAGE =
  'usage: npm run ingest -- [--out DIR] [--workers N] [--corrections FILE] [--themes FILE] PATH...   (files, folders or zips of letters: .txt, .md, .pdf, .html, .docx, .doc, .odt, .rtf; N worker threads beside the main one, chosen from the cores and the work in hand when not given)';

/** What `--help` prints: the usage line, what is written and the exit codes. */
const HELP = `${USAGE}

Reads every file given, every file in the folders given (dot-files left out) and every member of
the zips, and writes letters.parquet, findings.parquet, finding_themes.parquet, themes.parquet,
councils.parquet and rejected.json into DIR (default public/data), all published at once: a run
that fails or is killed leaves the previous files whole. Each file that cannot be read as a
letter is named on stderr with a one-line reason (\`rejected: FILE: REASON\`) and in rejected.json.

--corrections FILE applies a corrections file (the dashboard's "Export corrections"; format in
docs/data-contract.md): themes removed from or added to findings, findings moved to another
section. The corrections applied are written to DIR/corrections.json; one whose finding is not
among the letters read is named on stderr and in rejected.json (exit 1). A corrections file that
is not valid, or names a theme the taxonomy lacks, is a usage error: nothing is written.

--themes FILE applies a saved-themes file (the dashboard's "Export saved themes":
{"version": 1, "themes": [{"name": …, "query": …}]}): each theme is a search in the page's query
language, written as a user-defined theme (themes.parquet, user_defined true) with a tag in
finding_themes.parquet (source "user", the matched words as evidence) on every finding it
matches. A file that is not valid, or a name that is a taxonomy theme's id or label, is a usage
error: nothing is written.

Exit codes:
  0  every input became a letter
  1  some inputs were rejected; the letters read are written, and rejected.json names the rest
  2  usage error (an unknown option, no path, a path that does not exist, DIR not a folder):
     nothing written
  3  nothing usable: every input was rejected (or none was found); DIR is left as it was
     (rejected.json included: it describes the run that wrote the files beside it), and the
     rejected files are named on stderr only
  4  not written: another ingest is writing DIR (its pid and start time are named), or writing
     failed (a full disk, no permission); DIR is left as it was
`;

/** Exit codes, as `HELP` tells them. */
const EXIT = { ok: 0, someRejected: 1, usage: 2, nothingUsable: 3, notWritten: 4 } as const;

/** A name or reason as printed on stderr: control characters (a newline in a name) escaped. */
function printable(name: string): string {
  // eslint-disable-next-line no-control-regex
  return name.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) =>
    c === '\n' ? '\\n' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** A rejected input and its one-line reason, as listed in rejected.json. */
interface Rejected {
  file: string;
  reason: string;
}

/**
 * What is kept of a file once its rows are staged: enough to report on it and to pick one
 * letter per inspection, never the rows themselves.
 */
type Outcome =
  | (LetterIdentity & {
      ok: true;
      /** What looked wrong in the letter, one line each. */
      warnings: string[];
      findings: number;
      themeTags: number;
    })
  | { ok: false; reason: string };

/** Reads the command line; returns null (after printing why) on a usage error. */
function parseArgs(argv: string[]):
  | {
      out: string;
      paths: string[];
      workers: number | undefined;
      corrections: string | undefined;
      themes: string | undefined;
    }
  | 'help'
  | null {
  let out = 'public/data';
  let workers: number | undefined;
  let corrections: string | undefined;
  let themes: string | undefined;
  const paths: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    if (arg === '--out' || arg === '-o') {
      const value = argv[i + 1];
      if (!value) return usage('--out needs a folder');
      out = value;
      i += 1;
    } else if (arg.startsWith('--out=')) out = arg.slice('--out='.length);
    else if (arg === '--workers' || arg.startsWith('--workers=')) {
      const value = arg === '--workers' ? argv[(i += 1)] : arg.slice('--workers='.length);
      if (!value || !/^\d{1,2}$/.test(value)) return usage('--workers needs a number from 0 to 99');
      workers = Number(value);
    } else if (arg === '--corrections' || arg.startsWith('--corrections=')) {
      const value = arg === '--corrections' ? argv[(i += 1)] : arg.slice('--corrections='.length);
      if (!value) return usage('--corrections needs a file');
      corrections = value;
    } else if (arg === '--themes' || arg.startsWith('--themes=')) {
      const value = arg === '--themes' ? argv[(i += 1)] : arg.slice('--themes='.length);
      if (!value) return usage('--themes needs a file');
      themes = value;
    } else if (arg === '--help' || arg === '-h') return 'help';
    else if (arg.startsWith('-') && arg !== '-') return usage(`unknown option ${arg}`);
    else paths.push(arg);
  }
  if (paths.length === 0) return usage('no letters given');
  return { out, paths, workers, corrections, themes };
}

/** Prints a usage error and the usage line. */
function usage(problem: string): null {
  process.stderr.write(`ingest: ${problem}\n${USAGE}\n(npm run ingest -- --help tells more)\n`);
  return null;
}

/** The stage of the run in progress, for a signal handler to drop. */
let running: ParquetStage | null = null;
/** This run's scratch folder for the worker module, outside the output folder. */
let scratch: string | null = null;

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (args === 'help') {
    process.stdout.write(HELP);
    return EXIT.ok;
  }
  if (!args) return EXIT.usage;
  const outInfo = await stat(args.out).catch(() => null);
  if (outInfo && !outInfo.isDirectory()) {
    usage(`--out ${args.out} is not a folder`);
    return EXIT.usage;
  }
  // A bad corrections file changes nothing: it is refused before anything is read.
  let corrections: Correction[] = [];
  if (args.corrections !== undefined) {
    try {
      const text = await readFile(args.corrections, 'utf8');
      corrections = parseCorrectionsText(
        text,
        new Set(defaultTaxonomy.themes.map((t) => t.id)),
        args.corrections,
      ).corrections;
    } catch (error) {
      const reason =
        error instanceof CorrectionsError
          ? error.message
          : `${args.corrections}: cannot be read (${error instanceof Error ? error.message : String(error)})`;
      usage(printable(reason));
      return EXIT.usage;
    }
  }
  // So is a bad saved-themes file.
  let userThemes: { rows: ThemeRow[]; compiled: CompiledUserTheme[] } = { rows: [], compiled: [] };
  if (args.themes !== undefined) {
    try {
      userThemes = readUserThemes(await readFile(args.themes, 'utf8'), args.themes);
    } catch (error) {
      const reason =
        error instanceof SavedThemesError
          ? error.message
          : `${args.themes}: cannot be read (${error instanceof Error ? error.message : String(error)})`;
      usage(printable(reason));
      return EXIT.usage;
    }
  }
  const correcting = new LetterCorrections(corrections);
  const { files, rejected: turnedAway, missing } = await collectInputs(args.paths);
  if (missing.length > 0) {
    usage(`no such file or folder: ${missing.map(printable).join(', ')}`);
    return EXIT.usage;
  }
  const rejected: Rejected[] = [...turnedAway];
  if (files.length === 0) {
    for (const r of turnedAway)
      process.stderr.write(`rejected: ${printable(r.file)}: ${printable(r.reason)}\n`);
    return nothingUsable(args.out, turnedAway.length);
  }
  // Rows go to a staging database as each file is read, so a big run never holds them all.
  let stage: ParquetStage;
  try {
    stage = await ParquetStage.open(args.out);
  } catch (error) {
    if (!(error instanceof OutputLockedError)) throw error;
    process.stderr.write(`ingest: ${error.message}\n`);
    return EXIT.notWritten;
  }
  running = stage;
  const total = files.length;
  const step = Math.max(10, Math.ceil(total / 10));
  let done = 0;
  let rejects = 0;
  const outcomes: Outcome[] = new Array<Outcome>(total);
  try {
    scratch = await workerScratch();
    await parseFiles(
      files,
      (index, result) => {
        done += 1;
        if (result.ok) {
          result.rows = correcting.apply(result.rows);
          if (userThemes.compiled.length > 0)
            result.rows = {
              ...result.rows,
              findingThemes: tagWithUserThemes(
                result.rows.findings,
                result.rows.findingThemes,
                userThemes.compiled,
              ),
            };
          const { letter } = result.rows;
          stage.append(index, result.rows);
          outcomes[index] = {
            ok: true,
            letterId: letter.letter_id,
            documentKind: letter.document_kind,
            sourceFile: letter.source_file,
            warnings: result.warnings,
            findings: result.rows.findings.length,
            themeTags: result.rows.findingThemes.length,
          };
          pauseAt('parsing');
        } else {
          rejects += 1;
          outcomes[index] = result;
          process.stderr.write(
            `rejected: ${printable(files[index]?.name ?? '')}: ${printable(result.reason)}\n`,
          );
        }
        if (total >= 20 && (done % step === 0 || done === total))
          process.stderr.write(`ingest: ${done}/${total} read, ${rejects} rejected\n`);
      },
      { scratchDir: scratch, workers: args.workers },
    );
    // Outcomes are taken in file order, so which duplicate wins never depends on thread timing.
    const read: (Outcome & { ok: true; index: number })[] = [];
    for (const [index, outcome] of outcomes.entries()) {
      const name = files[index]?.name ?? '';
      if (!outcome.ok) {
        rejected.push({ file: name, reason: outcome.reason });
        continue;
      }
      // A letter that looks wrong still goes in; each problem is named with its file.
      for (const warning of outcome.warnings)
        process.stderr.write(`warning: ${printable(name)}: ${warning}\n`);
      read.push({ ...outcome, index });
    }
    const { letters, duplicates } = pickLetters(read);
    for (const d of duplicates)
      process.stderr.write(
        `warning: ${printable(d.dropped)} and ${printable(d.kept)} are the same inspection (${d.letterId}); keeping ${printable(d.kept)}\n`,
      );
    for (const r of turnedAway)
      process.stderr.write(`rejected: ${printable(r.file)}: ${printable(r.reason)}\n`);
    if (letters.length === 0) {
      await stage.discard();
      return nothingUsable(args.out, rejected.length);
    }
    for (const u of correcting.unapplied()) {
      const name = `${args.corrections ?? 'corrections'}#${u.index + 1}`;
      process.stderr.write(`rejected: ${printable(name)}: ${printable(u.reason)}\n`);
      rejected.push({ file: name, reason: u.reason });
    }
    const extra: Record<string, string> = {};
    if (args.corrections !== undefined)
      extra['corrections.json'] = `${JSON.stringify(
        {
          format: CORRECTIONS_FORMAT,
          version: CORRECTIONS_VERSION,
          corrections: correcting.applied(),
        },
        null,
        2,
      )}\n`;
    // The output order of assembleRows: by letter id, in code-unit order.
    letters.sort((a, b) => (a.letterId < b.letterId ? -1 : a.letterId > b.letterId ? 1 : 0));
    rejected.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
    const { themes, councils } = assembleRows([], defaultTaxonomy);
    await stage.commit(
      letters.map((l) => l.index),
      { themes: [...themes, ...userThemes.rows], councils },
      { ...extra, 'rejected.json': `${JSON.stringify(rejected, null, 2)}\n` },
    );
    const count = (key: 'findings' | 'themeTags') => letters.reduce((n, l) => n + l[key], 0);
    const warned = letters.filter((l) => l.warnings.length > 0).length;
    process.stderr.write(
      `ingest: ${letters.length} letters, ${count('findings')} findings, ${count('themeTags')} theme tags written to ${args.out}; ${rejected.length} rejected; ${warned} ${warned === 1 ? 'letter' : 'letters'} with warnings\n`,
    );
    return rejected.length > 0 ? EXIT.someRejected : EXIT.ok;
  } catch (error) {
    await stage.discard();
    throw error;
  } finally {
    running = null;
    if (scratch !== null) await rm(scratch, { recursive: true, force: true });
  }
}

/**
 * The corrections of a corrections file, applied letter by letter as each is read (the rows go
 * to the stage at once and are never held together): which were applied, and why the others were
 * not.
 */
class LetterCorrections {
  private readonly byLetter = new Map<string, { index: number; correction: Correction }[]>();
  private readonly done = new Set<number>();
  private readonly reasons = new Map<number, string>();

  constructor(private readonly corrections: readonly Correction[]) {
    corrections.forEach((correction, index) => {
      const letterId = letterOfKey(correction.finding_key);
      const list = this.byLetter.get(letterId) ?? [];
      list.push({ index, correction });
      this.byLetter.set(letterId, list);
    });
  }

  /** The letter's rows with its corrections applied (the same rows when it has none). */
  apply(rows: LetterRows): LetterRows {
    const mine = this.byLetter.get(rows.letter.letter_id);
    if (!mine) return rows;
    const out = correctLetterRows(
      rows,
      mine.map((m) => m.correction),
    );
    const appliedNow = new Set(out.applied);
    for (const m of mine) {
      if (appliedNow.has(m.correction)) this.done.add(m.index);
      else {
        const why = out.unapplied.find((u) => u.correction === m.correction);
        if (why) this.reasons.set(m.index, why.reason);
      }
    }
    return out.rows;
  }

  /** The corrections applied to some letter, in the file's order. */
  applied(): Correction[] {
    return this.corrections.filter((_, index) => this.done.has(index));
  }

  /** The corrections applied to no letter read, with why. */
  unapplied(): { index: number; reason: string }[] {
    return this.corrections.flatMap((c, index) =>
      this.done.has(index)
        ? []
        : [
            {
              index,
              reason:
                this.reasons.get(index) ??
                `no finding ${c.finding_key} among the letters read (its letter was not given, or its text changed)`,
            },
          ],
    );
  }
}

/**
 * A saved-themes file's themes (names checked against the taxonomy's ids and labels), as the
 * rows of themes.parquet and ready to tag findings; throws SavedThemesError when it is not valid.
 */
function readUserThemes(
  text: string,
  file: string,
): { rows: ThemeRow[]; compiled: CompiledUserTheme[] } {
  const taxonomy = defaultTaxonomy.themes;
  const saved = parseSavedThemesText(
    text,
    { ids: taxonomy.map((t) => t.id), labels: taxonomy.map((t) => t.label) },
    file,
  );
  const ids = userThemeIds(saved, new Set(taxonomy.map((t) => t.id)));
  return {
    rows: userThemeRows(saved, ids, { taxonomyVersion: defaultTaxonomy.version }),
    compiled: compileUserThemes(saved, ids),
  };
}

/** Says that no input could be read (DIR is left as it was) and gives exit code 3. */
function nothingUsable(out: string, rejects: number): number {
  process.stderr.write(
    rejects > 0
      ? `ingest: no letters could be read (${rejects} rejected); ${out} left as it was\n`
      : `ingest: no letters found in the paths given; ${out} left as it was\n`,
  );
  return EXIT.nothingUsable;
}

/** Prefix of the run's scratch folder in the system's temporary folder: the pid follows. */
const SCRATCH_PREFIX = 'ucra-ingest-';

/**
 * A scratch folder for the parse workers' bundled module, in the system's temporary folder (a
 * module left under the project by a killed run would be linted); those of killed runs go.
 */
async function workerScratch(): Promise<string> {
  for (const name of await readdir(tmpdir()).catch(() => [] as string[])) {
    const pid = new RegExp(`^${SCRATCH_PREFIX}(\\d+)-`).exec(name)?.[1];
    if (pid === undefined || Number(pid) === process.pid) continue;
    try {
      process.kill(Number(pid), 0);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ESRCH')
        await rm(path.join(tmpdir(), name), { recursive: true, force: true });
    }
  }
  return mkdtemp(path.join(tmpdir(), `${SCRATCH_PREFIX}${process.pid}-`));
}

// Ctrl-C or a polite kill: drop the staged set and give the lock back on the way out (the
// published set is whole at any moment; a run killed outright is tidied up by the next one).
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
  ['SIGHUP', 129],
] as const)
  process.on(signal, () => {
    running?.discardSync();
    if (scratch !== null) rmSync(scratch, { recursive: true, force: true });
    process.exit(code);
  });

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `ingest: failed: ${error instanceof Error ? error.message : String(error)}; nothing was published, the previous files are as they were\n`,
    );
    process.exit(EXIT.notWritten);
  },
);
