// `npm run -s tag`: JSON lines in, the same objects with `themes` added out (see the data contract).
import { createInterface } from 'node:readline';
import { tagThemes } from '@/core/pipeline/tag-themes';
import { defaultTaxonomy } from '@/core/pipeline/taxonomy';

/** What one input line gives: an output line, a problem to report, or nothing (blank line). */
type LineResult = { output: string } | { problem: string } | null;

/** Tags one JSON line; other fields keep their order, `themes` comes last (or in place if present). */
function tagJsonLine(line: string): LineResult {
  if (line.trim() === '') return null;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { problem: `not valid JSON (${reason})` };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
    return { problem: `expected a JSON object with a "text" field, got ${kind}` };
  }
  const record = value as Record<string, unknown>;
  if (!('text' in record)) return { problem: 'the object has no "text" field' };
  if (typeof record.text !== 'string') {
    return { problem: `"text" must be a string, got ${JSON.stringify(record.text)}` };
  }
  // A blank finding is an upstream fault; tagging it would hide that.
  if (record.text.trim() === '') return { problem: '"text" is empty' };
  const themes = tagThemes(record.text, defaultTaxonomy).map((tag) => tag.themeId);
  return { output: JSON.stringify({ ...record, themes }) };
}

async function main(): Promise<void> {
  // A reader that stops early (`| head`) closes the pipe; that is not an error of ours.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  let lineNumber = 0;
  let problems = 0;
  let pending: string[] = [];
  for await (const raw of lines) {
    lineNumber += 1;
    // A byte-order mark from Windows editors is not part of the first object.
    const line = lineNumber === 1 ? raw.replace(/^\uFEFF/, '') : raw;
    const result = tagJsonLine(line);
    if (result === null) continue;
    if ('problem' in result) {
      problems += 1;
      process.stderr.write(`tag: line ${lineNumber}: ${result.problem}; line skipped\n`);
      continue;
    }
    pending.push(result.output);
    if (pending.length >= 500) {
      process.stdout.write(`${pending.join('\n')}\n`);
      pending = [];
    }
  }
  if (pending.length > 0) process.stdout.write(`${pending.join('\n')}\n`);
  if (problems > 0) {
    process.stderr.write(`tag: ${problems} line(s) skipped\n`);
    process.exitCode = 1;
  }
}

await main();
