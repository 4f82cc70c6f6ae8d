/**
 * Run by fuzz.test.ts in a child process (so that a hang can be caught and killed):
 * `tsx tests/ingest/fuzz-parse.ts SEED RUNS`. Feeds the letter reader (src/core/parse-letter-file.ts,
 * as the ingest and the page run it) random and damaged bytes of every supported format: each
 * fixture and bundled letter cut short, with bytes overwritten, with random bytes spliced in, and
 * random bytes under every extension. Every case must give a letter or a one-line reason; a
 * throw or a case that never ends fails. Prints `case N: ...` on stderr as each case starts and,
 * at the end, a JSON summary on stdout.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { parseLetterFile } from '@/core/parse-letter-file';
import { buildCouncilMatcher } from '@/core/pipeline/match-council';
import { LETTER_EXTENSIONS } from '@/core/read/registry';
import { pdfToText } from '../../scripts/lib/read-pdf';

const ROOT = path.resolve(import.meta.dirname, '../..');
const [seed = '2016', runs = '1000'] = process.argv.slice(2);

/** Every file under a folder, in name order. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const full = path.join(dir, name);
      return statSync(full).isDirectory() ? filesUnder(full) : [full];
    });
}

/** The seeds: every fixture of every format and the bundled letters. */
const seeds = [
  ...filesUnder(path.join(ROOT, 'tests/fixtures/formats')),
  ...filesUnder(path.join(ROOT, 'data/letters')),
]
  .filter((file) => LETTER_EXTENSIONS.includes(path.extname(file).toLowerCase()))
  .map((file) => ({ name: path.basename(file), bytes: new Uint8Array(readFileSync(file)) }));

const matcher = buildCouncilMatcher();
/** A case that runs longer than this is taken to hang. */
const CASE_MS = 20_000;

type Damage =
  | { kind: 'cut'; at: number }
  | { kind: 'overwrite'; bytes: [number, number][] }
  | { kind: 'splice'; at: number; cut: number; bytes: Uint8Array }
  | { kind: 'random'; extension: string; bytes: Uint8Array };

const damage: fc.Arbitrary<Damage> = fc.oneof(
  fc.record({ kind: fc.constant('cut' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({
    kind: fc.constant('overwrite' as const),
    bytes: fc.array(
      fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 255 })),
      { minLength: 1, maxLength: 24 },
    ),
  }),
  fc.record({
    kind: fc.constant('splice' as const),
    at: fc.double({ min: 0, max: 1, noNaN: true }),
    cut: fc.integer({ min: 0, max: 4096 }),
    bytes: fc.uint8Array({ maxLength: 512 }),
  }),
  fc.record({
    kind: fc.constant('random' as const),
    extension: fc.constantFrom(...LETTER_EXTENSIONS),
    bytes: fc.uint8Array({ maxLength: 4096 }),
  }),
);

/** The name and bytes of a case: a seed damaged, or random bytes under an extension. */
function damaged(index: number, d: Damage): { name: string; bytes: Uint8Array } {
  const seed = seeds[index % seeds.length]!;
  const at = (fraction: number) => Math.floor(fraction * seed.bytes.length);
  switch (d.kind) {
    case 'cut':
      return { name: seed.name, bytes: seed.bytes.slice(0, at(d.at)) };
    case 'overwrite': {
      const bytes = seed.bytes.slice();
      for (const [where, value] of d.bytes)
        if (bytes.length > 0) bytes[Math.min(bytes.length - 1, at(where))] = value;
      return { name: seed.name, bytes };
    }
    case 'splice': {
      const start = at(d.at);
      const bytes = new Uint8Array([
        ...seed.bytes.subarray(0, start),
        ...d.bytes,
        ...seed.bytes.subarray(start + d.cut),
      ]);
      return { name: seed.name, bytes };
    }
    case 'random':
      return { name: `random${d.extension}`, bytes: d.bytes };
  }
}

let cases = 0;
let letters = 0;
let rejected = 0;
const result = await fc.check(
  fc.asyncProperty(fc.nat(), damage, async (index, d) => {
    const { name, bytes } = damaged(index, d);
    cases += 1;
    process.stderr.write(`case ${cases}: ${name}, ${d.kind}, ${bytes.length} bytes\n`);
    let timer: NodeJS.Timeout | undefined;
    const outcomes = await Promise.race([
      parseLetterFile(name, bytes, { readPdf: pdfToText, matcher }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer in ${CASE_MS} ms`)), CASE_MS);
      }),
    ]).finally(() => clearTimeout(timer));
    if (outcomes.length === 0) throw new Error('no outcome at all');
    for (const outcome of outcomes) {
      if (outcome.ok) letters += 1;
      else if (!outcome.reason || /\n/.test(outcome.reason))
        throw new Error(`not a one-line reason: ${JSON.stringify(outcome.reason)}`);
      else rejected += 1;
    }
  }),
  { seed: Number(seed), numRuns: Number(runs), endOnFailure: false },
);
process.stdout.write(
  `${JSON.stringify({
    seeds: seeds.length,
    cases,
    numRuns: result.numRuns,
    letters,
    rejected,
    failed: result.failed,
    counterexample: result.failed ? JSON.stringify(result.counterexample).slice(0, 500) : null,
    error: result.failed ? String(result.errorInstance).slice(0, 1000) : null,
  })}\n`,
);
