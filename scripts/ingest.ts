/**
 * `npm run ingest -- [--out DIR] PATH...`: reads letters and writes the contract's Parquet files.
 * Exit 0: every input became a letter; 1: some were rejected (the rest are written); 2: usage.
 */
import path from 'node:path';
import { defaultTaxonomy } from '@/core/pipeline/taxonomy';
import { buildCouncilMatcher } from '@/core/pipeline/match-council';
import { type ParsedLetter, parseLetter } from '@/core/pipeline/parse-letter';
import { LetterRejection } from '@/core/pipeline/read-metadata';
import { toRows } from '@/core/pipeline/to-rows';
import { collectInputs, NotTextError, readLetterFile } from './lib/read-inputs';
import { UnreadablePdfError } from './lib/read-pdf';
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
    reason: `unsupported file type "${path.extname(f.name) || '(none)'}": expected .txt, .md or .pdf`,
  }));
  const matcher = buildCouncilMatcher();
  const byId = new Map<string, ParsedLetter>();
  const total = files.length;
  const step = Math.max(10, Math.ceil(total / 10));
  for (const [i, file] of files.entries()) {
    try {
      const letter = parseLetter(await readLetterFile(file), file.name, matcher);
      if (!letter.metadata.council)
        process.stderr.write(
          `warning: ${file.name}: council "${letter.metadata.councilName}" is not in the reference table; la_code, dfe_la_code and region left empty\n`,
        );
      const earlier = byId.get(letter.letterId);
      if (earlier) {
        const keep =
          earlier.metadata.documentKind === 'ofsted_letter' &&
          letter.metadata.documentKind !== 'ofsted_letter'
            ? earlier
            : letter;
        const dropped = keep === letter ? earlier : letter;
        process.stderr.write(
          `warning: ${dropped.sourceFile} and ${keep.sourceFile} are the same inspection (${letter.letterId}); keeping ${keep.sourceFile}\n`,
        );
        byId.set(letter.letterId, keep);
      } else byId.set(letter.letterId, letter);
    } catch (error) {
      if (!(
        error instanceof LetterRejection ||
        error instanceof NotTextError ||
        error instanceof UnreadablePdfError
      ))
        throw error;
      rejected.push({ file: file.name, reason: error.message });
      process.stderr.write(`rejected: ${file.name}: ${error.message}\n`);
    }
    if (total >= 20 && ((i + 1) % step === 0 || i + 1 === total))
      process.stderr.write(`ingest: ${i + 1}/${total} read, ${rejected.length} rejected\n`);
  }
  for (const r of rejected.filter((r) => unsupported.some((u) => u.name === r.file)))
    process.stderr.write(`rejected: ${r.file}: ${r.reason}\n`);
  if (byId.size === 0) {
    process.stderr.write(`ingest: no letters could be read; ${args.out} left as it was\n`);
    return 1;
  }
  const rows = toRows([...byId.values()], defaultTaxonomy);
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
