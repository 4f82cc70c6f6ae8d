/**
 * `npm run ingest -- [--out DIR] [--workers N] PATH...`: reads letters and writes the contract's
 * Parquet files. Exit 0: every input became a letter; 1: some were rejected (the rest are written); 2: usage.
 * A letter that looks wrong (check-letter.ts) is still written, and each problem is printed as
 * `warning: <file>: <problem>` and kept in its `parse_warnings`.
 */
import { type LetterIdentity, pickLetters } from '@/core/dedupe-letters';
import { defaultTaxonomy } from '@/core/pipeline/taxonomy';
import { assembleRows } from '@/core/pipeline/to-rows';
import { parseFiles } from './lib/parse-pool';
import { collectInputs } from './lib/read-inputs';
import { ParquetStage } from './lib/write-parquet';

const USAGE =
  'usage: npm run ingest -- [--out DIR] [--workers N] PATH...   (files, folders or zips of letters: .txt, .md, .pdf, .html, .docx, .doc, .odt, .rtf; N worker threads beside the main one, chosen from the cores and the number of files when not given)';

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
function parseArgs(
  argv: string[],
): { out: string; paths: string[]; workers: number | undefined } | null {
  let out = 'public/data';
  let workers: number | undefined;
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
    } else if (arg === '--help' || arg === '-h') return usage(null);
    else if (arg.startsWith('-') && arg !== '-') return usage(`unknown option ${arg}`);
    else paths.push(arg);
  }
  if (paths.length === 0) return usage('no letters given');
  return { out, paths, workers };
}

/** Prints a usage error and the usage line. */
function usage(problem: string | null): null {
  if (problem) process.stderr.write(`ingest: ${problem}\n`);
  process.stderr.write(`${USAGE}\n`);
  return null;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (!args) return 2;
  const { files, rejected: turnedAway, missing } = await collectInputs(args.paths);
  if (missing.length > 0) {
    usage(`no such file or folder: ${missing.join(', ')}`);
    return 2;
  }
  const rejected: Rejected[] = [...turnedAway];
  const total = files.length;
  const step = Math.max(10, Math.ceil(total / 10));
  let done = 0;
  let rejects = 0;
  const outcomes: Outcome[] = new Array<Outcome>(total);
  // Rows go to a staging database as each file is read, so a big run never holds them all.
  const stage = await ParquetStage.open(args.out);
  try {
    await parseFiles(
      files,
      (index, result) => {
        done += 1;
        if (result.ok) {
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
        } else {
          rejects += 1;
          outcomes[index] = result;
          process.stderr.write(`rejected: ${files[index]?.name}: ${result.reason}\n`);
        }
        if (total >= 20 && (done % step === 0 || done === total))
          process.stderr.write(`ingest: ${done}/${total} read, ${rejects} rejected\n`);
      },
      { scratchDir: stage.scratchDir, workers: args.workers },
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
        process.stderr.write(`warning: ${name}: ${warning}\n`);
      read.push({ ...outcome, index });
    }
    const { letters, duplicates } = pickLetters(read);
    for (const d of duplicates)
      process.stderr.write(
        `warning: ${d.dropped} and ${d.kept} are the same inspection (${d.letterId}); keeping ${d.kept}\n`,
      );
    for (const r of turnedAway) process.stderr.write(`rejected: ${r.file}: ${r.reason}\n`);
    if (letters.length === 0) {
      await stage.discard();
      process.stderr.write(`ingest: no letters could be read; ${args.out} left as it was\n`);
      return 1;
    }
    // The output order of assembleRows: by letter id, in code-unit order.
    letters.sort((a, b) => (a.letterId < b.letterId ? -1 : a.letterId > b.letterId ? 1 : 0));
    rejected.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
    const { themes, councils } = assembleRows([], defaultTaxonomy);
    await stage.commit(
      letters.map((l) => l.index),
      { themes, councils },
      { 'rejected.json': `${JSON.stringify(rejected, null, 2)}\n` },
    );
    const count = (key: 'findings' | 'themeTags') => letters.reduce((n, l) => n + l[key], 0);
    const warned = letters.filter((l) => l.warnings.length > 0).length;
    process.stderr.write(
      `ingest: ${letters.length} letters, ${count('findings')} findings, ${count('themeTags')} theme tags written to ${args.out}; ${rejected.length} rejected; ${warned} ${warned === 1 ? 'letter' : 'letters'} with warnings\n`,
    );
    return rejected.length > 0 ? 1 : 0;
  } catch (error) {
    await stage.discard();
    throw error;
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `ingest: failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(3);
  },
);
