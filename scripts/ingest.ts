/**
 * `npm run ingest -- [--out DIR] PATH...`: reads letters and writes the contract's Parquet files.
 * Exit 0: every input became a letter; 1: some were rejected (the rest are written); 2: usage.
 */
import { dedupeLetters } from '@/core/dedupe-letters';
import { unsupportedTypeReason } from '@/core/letter-file-types';
import { defaultTaxonomy } from '@/core/pipeline/taxonomy';
import { assembleRows, type LetterRows } from '@/core/pipeline/to-rows';
import { parseFiles } from './lib/parse-pool';
import { collectInputs } from './lib/read-inputs';
import { writeParquetFiles } from './lib/write-parquet';

const USAGE =
  'usage: npm run ingest -- [--out DIR] PATH...   (files or folders of .txt/.md/.pdf letters)';

/** A rejected input and its one-line reason, as listed in rejected.json. */
interface Rejected {
  file: string;
  reason: string;
}

/** Reads the command line; returns null (after printing why) on a usage error. */
function parseArgs(argv: string[]): { out: string; paths: string[] } | null {
  let out = 'public/data';
  const paths: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    if (arg === '--out' || arg === '-o') {
      const value = argv[i + 1];
      if (!value) return usage('--out needs a folder');
      out = value;
      i += 1;
    } else if (arg.startsWith('--out=')) out = arg.slice('--out='.length);
    else if (arg === '--help' || arg === '-h') return usage(null);
    else if (arg.startsWith('-') && arg !== '-') return usage(`unknown option ${arg}`);
    else paths.push(arg);
  }
  if (paths.length === 0) return usage('no letters given');
  return { out, paths };
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
  const { files, unsupported, missing } = await collectInputs(args.paths);
  if (missing.length > 0) {
    usage(`no such file or folder: ${missing.join(', ')}`);
    return 2;
  }
  const rejected: Rejected[] = unsupported.map((f) => ({
    file: f.name,
    reason: unsupportedTypeReason(f.name) ?? 'unsupported file type',
  }));
  const total = files.length;
  const step = Math.max(10, Math.ceil(total / 10));
  let done = 0;
  let rejects = 0;
  const results = await parseFiles(files, (index, result) => {
    done += 1;
    if (!result.ok) {
      rejects += 1;
      process.stderr.write(`rejected: ${files[index]?.name}: ${result.reason}\n`);
    }
    if (total >= 20 && (done % step === 0 || done === total))
      process.stderr.write(`ingest: ${done}/${total} read, ${rejects} rejected\n`);
  });
  // Results are taken in file order, so which duplicate wins never depends on thread timing.
  const read: LetterRows[] = [];
  for (const [i, result] of results.entries()) {
    const name = files[i]?.name ?? '';
    if (!result.ok) {
      rejected.push({ file: name, reason: result.reason });
      continue;
    }
    if (!result.councilKnown)
      process.stderr.write(
        `warning: ${name}: council "${result.rows.letter.council_name}" is not in the reference table; la_code, dfe_la_code and region left empty\n`,
      );
    read.push(result.rows);
  }
  const { letters, duplicates } = dedupeLetters(read);
  for (const d of duplicates)
    process.stderr.write(
      `warning: ${d.dropped} and ${d.kept} are the same inspection (${d.letterId}); keeping ${d.kept}\n`,
    );
  for (const r of rejected.filter((r) => unsupported.some((u) => u.name === r.file)))
    process.stderr.write(`rejected: ${r.file}: ${r.reason}\n`);
  if (letters.length === 0) {
    process.stderr.write(`ingest: no letters could be read; ${args.out} left as it was\n`);
    return 1;
  }
  const rows = assembleRows(letters, defaultTaxonomy);
  rejected.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  await writeParquetFiles(rows, args.out, {
    'rejected.json': `${JSON.stringify(rejected, null, 2)}\n`,
  });
  process.stderr.write(
    `ingest: ${rows.letters.length} letters, ${rows.findings.length} findings, ${rows.finding_themes.length} theme tags written to ${args.out}; ${rejected.length} rejected\n`,
  );
  return rejected.length > 0 ? 1 : 0;
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
