/**
 * `npm run bench:search [-- --sets=real,10k,100k,1m] [-- --quick] [-- --library-sets=real,10k,100k]`:
 * measures the search engine (src/core/search/) on the bundled letters and on synthetic sets of
 * 10k, 100k and 1M findings (the real findings recombined, as the dashboard benchmark makes
 * them: `bench/out/data-<set>`), and MiniSearch answering the same queries, and writes
 * bench/search.json.
 *
 * For each set: the time to build the index and its size; the latency of a fixed list of
 * realistic queries (parse, search, and the highlight spans of the first 20 matches, as a page
 * shows them), p50 and p95 over every run of every query; the latency of similar findings for
 * 30 findings spread over the set. MiniSearch (a well-kept full-text library) gets the same
 * queries translated into its query trees, with the lemma and the written word as two fields
 * and phrases checked on the text of its candidates (it keeps no word positions); its matches
 * are compared with ours, query by query. Quick mode (CI): the real letters and 10k only.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { mkdir } from 'node:fs/promises';
import { DuckDBInstance } from '@duckdb/node-api';
import MiniSearch, { type Query as MiniQuery } from 'minisearch';
import { format as prettierFormat, resolveConfig } from 'prettier';
import {
  buildSearchIndex,
  indexStats,
  searchText,
  type FindingText,
  type IndexStats,
} from '../../src/core/search/index';
import { parseQuery, type QueryNode, type WordPattern } from '../../src/core/search/query';
import { similarFindings } from '../../src/core/search/similar';
import { lemmaOf } from '../../src/core/search/lemma';
import { fold, forEachWord, words } from '../../src/core/search/text';
import { writeSyntheticParquet } from './synthetic-parquet';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The fixed list of queries: what people look for in these letters, every construct used. */
export const QUERIES = [
  'late assessments',
  'core assess*',
  'threshold* -strategy',
  '"not seen alone"',
  'police OR health',
  'timely assessments',
  '"out of hours"',
  'management oversight',
  'supervision',
  'case record*',
  'common assessment framework',
  'referral* -police',
  '"quality assurance"',
  'staff* capacity',
  'child protection enquir*',
  'initial assessment* timescale*',
  '"strategy discussion*"',
  'domestic violence',
  'caseload*',
  'unallocated',
  '(police OR health) referral*',
  'voice OR views',
  'electronic OR ICS',
  'partner agencies',
  '"well understood"',
  'consistent*',
  '"core assessments" -initial',
  'multi-agency',
  '"children seen"',
  'delay* OR backlog*',
  '"not always"',
  '"children\'s social care"',
];

const SET_FINDINGS: Record<string, number> = {
  real: 0,
  '10k': 10_000,
  '100k': 100_000,
  '1m': 1_000_000,
};
/** Highlight spans computed per query: the first page of results. */
const SHOWN = 20;

/** p-th percentile by nearest rank. */
function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

const round = (ms: number) => Math.round(ms * 100) / 100;
const mb = (bytes: number) => Math.round(bytes / 1e5) / 10;

function heapBytes(): number {
  (globalThis as { gc?: () => void }).gc?.();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

async function dataDir(set: string): Promise<string> {
  const out = path.join(ROOT, 'bench/out');
  await mkdir(out, { recursive: true });
  const real = path.join(out, 'data-real');
  if (!existsSync(path.join(real, 'letters.parquet'))) {
    const result = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'scripts/ingest.ts', '--out', real, 'data/letters'],
      { cwd: ROOT, stdio: 'inherit' },
    );
    if (result.status !== 0) throw new Error('search-bench: the ingest of data/letters failed');
  }
  if (set === 'real') return real;
  const findings = SET_FINDINGS[set];
  if (!findings) throw new Error(`search-bench: unknown set ${set} (real, 10k, 100k, 1m)`);
  return (await writeSyntheticParquet(real, findings, path.join(out, `data-${set}`))).dir;
}

/** The findings of a set, in the order the search CLI reads them. */
async function loadFindings(dir: string): Promise<FindingText[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const file = path.join(dir, 'findings.parquet').replace(/'/g, "''");
    const reader = await connection.runAndReadAll(
      `SELECT finding_id, coalesce(text, '') AS text FROM read_parquet('${file}') ORDER BY letter_id, position`,
    );
    const columns = reader.getColumnsObjectJS() as { finding_id: string[]; text: string[] };
    return columns.finding_id.map((finding_id, i) => ({ finding_id, text: columns.text[i]! }));
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

function parsed(query: string): QueryNode {
  const result = parseQuery(query);
  if (!result.ok)
    throw new Error(`search-bench: "${query}" does not parse: ${result.error.message}`);
  return result.query;
}

// ---- MiniSearch, answering our query language -------------------------------------------------

/** Whether a word of a text (folded, and its lemma) matches a word pattern of the query. */
function wordMatches(form: string, lemma: string, pattern: WordPattern): boolean {
  return pattern.prefix
    ? form.startsWith(pattern.text) || lemma.startsWith(pattern.text)
    : lemma === lemmaOf(pattern.text);
}

function hasPhrase(node: QueryNode): boolean {
  if (node.type === 'phrase') return true;
  if (node.type === 'term') return false;
  if (node.type === 'not') return hasPhrase(node.child);
  return node.children.some(hasPhrase);
}

/** A word pattern as a MiniSearch query: the lemma field, or either field by prefix. */
function miniWord(word: WordPattern): MiniQuery {
  if (!word.prefix) return { queries: [lemmaOf(word.text)], fields: ['lemma'], prefix: false };
  return {
    combineWith: 'OR',
    queries: [
      { queries: [word.text], fields: ['lemma'], prefix: true },
      { queries: [word.text], fields: ['form'], prefix: true },
    ],
  };
}

/** A phrase-free query as one MiniSearch query tree. */
function miniQuery(node: QueryNode): MiniQuery {
  switch (node.type) {
    case 'term':
      return miniWord(node.word);
    case 'phrase':
      return { combineWith: 'AND', queries: node.words.map(miniWord) };
    case 'not':
      return miniQuery(node.child);
    case 'or':
      return { combineWith: 'OR', queries: node.children.map(miniQuery) };
    case 'and': {
      const wanted = node.children.filter((c) => c.type !== 'not').map(miniQuery);
      const unwanted = node.children.filter((c) => c.type === 'not').map(miniQuery);
      const all: MiniQuery = { combineWith: 'AND', queries: wanted };
      return unwanted.length === 0 ? all : { combineWith: 'AND_NOT', queries: [all, ...unwanted] };
    }
  }
}

class MiniEngine {
  readonly mini: MiniSearch<{ id: number; text: string }>;

  constructor(readonly findings: readonly FindingText[]) {
    const tokenize = (text: string) => {
      const out: string[] = [];
      forEachWord(text, (s, e) => out.push(text.slice(s, e)));
      return out;
    };
    this.mini = new MiniSearch<{ id: number; text: string }>({
      fields: ['lemma', 'form'],
      extractField: (doc, field) => (field === 'id' ? doc.id : doc.text),
      tokenize,
      processTerm: (term, field) => (field === 'lemma' ? lemmaOf(fold(term)) : fold(term)),
      searchOptions: { tokenize: (s) => [s], processTerm: (t) => t },
    });
    this.mini.addAll(findings.map((f, id) => ({ id, text: f.text })));
  }

  private run(query: MiniQuery): number[] {
    return this.mini.search(query).map((r) => r.id as number);
  }

  /** Finding numbers matching a query, ascending. */
  evaluate(node: QueryNode): number[] {
    if (!hasPhrase(node)) return this.run(miniQuery(node)).sort((a, b) => a - b);
    return [...this.evalSet(node)].sort((a, b) => a - b);
  }

  private evalSet(node: QueryNode): Set<number> {
    switch (node.type) {
      case 'term':
        return new Set(this.run(miniWord(node.word)));
      case 'phrase': {
        const candidates = this.run(miniQuery(node));
        return new Set(candidates.filter((d) => this.hasPhraseIn(d, node.words)));
      }
      case 'not':
        return this.evalSet(node.child);
      case 'or': {
        const out = new Set<number>();
        for (const c of node.children) for (const d of this.evalSet(c)) out.add(d);
        return out;
      }
      case 'and': {
        const wanted = node.children.filter((c) => c.type !== 'not').map((c) => this.evalSet(c));
        wanted.sort((a, b) => a.size - b.size);
        let out = wanted[0] ?? new Set<number>();
        for (const s of wanted.slice(1)) out = new Set([...out].filter((d) => s.has(d)));
        for (const c of node.children.filter((c) => c.type === 'not')) {
          const s = this.evalSet(c);
          out = new Set([...out].filter((d) => !s.has(d)));
        }
        return out;
      }
    }
  }

  private hasPhraseIn(doc: number, patterns: readonly WordPattern[]): boolean {
    const list = words(this.findings[doc]!.text).map((w) => ({
      form: w.word,
      lemma: lemmaOf(w.word),
    }));
    for (let i = 0; i + patterns.length <= list.length; i++) {
      if (patterns.every((p, j) => wordMatches(list[i + j]!.form, list[i + j]!.lemma, p)))
        return true;
    }
    return false;
  }

  /** Spans of the words matching any word of the query (MiniSearch gives no positions). */
  spans(doc: number, node: QueryNode): Array<[number, number]> {
    const patterns: WordPattern[] = [];
    const collect = (n: QueryNode) => {
      if (n.type === 'term') patterns.push(n.word);
      else if (n.type === 'phrase') patterns.push(...n.words);
      else if (n.type !== 'not') n.children.forEach(collect);
    };
    collect(node);
    return words(this.findings[doc]!.text)
      .filter((w) => patterns.some((p) => wordMatches(w.word, lemmaOf(w.word), p)))
      .map((w) => [w.start, w.end]);
  }
}

// ---- The benchmark ------------------------------------------------------------------------------

/** A duration measured twice: on the wall clock, and as this process's CPU time. */
interface Sample {
  wall: number;
  cpu: number;
}

/** Runs `fn`, returning its result and how long it took. */
function timed<T>(fn: () => T): { value: T; sample: Sample } {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const value = fn();
  const wall = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { value, sample: { wall, cpu: (used.user + used.system) / 1000 } };
}

/**
 * p50 and p95 by nearest rank, on the wall clock and in CPU time. On a quiet machine the two
 * agree (CPU time is a little higher when the garbage collector's helper threads work); on a
 * loaded one the wall clock also counts the time the process waited for a core.
 */
interface Latency {
  p50_ms: number;
  p95_ms: number;
  cpu_p50_ms: number;
  cpu_p95_ms: number;
  samples: number;
}

interface QueryFigure {
  query: string;
  matches: number;
  median_ms: number;
  cpu_median_ms: number;
}

export interface SetFigures {
  findings: number;
  build_ms: number;
  build_cpu_ms: number;
  heap_mb: number;
  index: IndexStats & { index_mb: number };
  queries: Latency & { per_query: QueryFigure[] };
  similar: Latency & { limit: number };
  minisearch?: {
    build_ms: number;
    build_cpu_ms: number;
    heap_mb: number;
    queries: Latency & { per_query: QueryFigure[] };
    same_matches: boolean;
    differing_queries: string[];
  };
}

export interface SearchBench {
  measured_at: string;
  node: string;
  cores: number;
  /** The machine's load average over the last minute when the run ended. */
  load_average: number;
  minisearch_version: string;
  queries: string[];
  sets: Record<string, SetFigures>;
}

function latency(samples: readonly Sample[]): Latency {
  const wall = samples.map((s) => s.wall);
  const cpu = samples.map((s) => s.cpu);
  return {
    p50_ms: round(percentile(wall, 50)),
    p95_ms: round(percentile(wall, 95)),
    cpu_p50_ms: round(percentile(cpu, 50)),
    cpu_p95_ms: round(percentile(cpu, 95)),
    samples: samples.length,
  };
}

function rounds(findings: number): number {
  return findings >= 500_000 ? 3 : findings >= 50_000 ? 5 : 10;
}

/** Each query's samples and match count, and the figures made of them. */
class QueryTimes {
  readonly all: Sample[] = [];
  readonly per = new Map<string, Sample[]>(QUERIES.map((q) => [q, []]));
  readonly matches = new Map<string, number[]>();

  add(query: string, sample: Sample, found: number[]): void {
    this.all.push(sample);
    this.per.get(query)!.push(sample);
    this.matches.set(query, found);
  }

  figures(): Latency & { per_query: QueryFigure[] } {
    return {
      ...latency(this.all),
      per_query: QUERIES.map((query) => ({
        query,
        matches: this.matches.get(query)!.length,
        median_ms: round(
          percentile(
            this.per.get(query)!.map((s) => s.wall),
            50,
          ),
        ),
        cpu_median_ms: round(
          percentile(
            this.per.get(query)!.map((s) => s.cpu),
            50,
          ),
        ),
      })),
    };
  }
}

async function benchSet(
  set: string,
  withLibrary: boolean,
  log: (line: string) => void,
): Promise<SetFigures> {
  const findings = await loadFindings(await dataDir(set));
  log(`bench:search: ${set}: ${findings.length} findings, building the index…`);
  const before = heapBytes();
  let index = buildSearchIndex([]);
  let build: Sample = { wall: Infinity, cpu: Infinity };
  for (let i = 0; i < (findings.length >= 500_000 ? 1 : 3); i++) {
    index = buildSearchIndex([]);
    heapBytes();
    const run = timed(() => buildSearchIndex(findings));
    index = run.value;
    if (run.sample.wall < build.wall) build = run.sample;
  }
  const heap = heapBytes() - before;
  const stats = indexStats(index);
  const nodes = QUERIES.map(parsed);

  let engine: MiniEngine | null = null;
  let miniBuild: Sample = { wall: 0, cpu: 0 };
  let miniHeap = 0;
  if (withLibrary) {
    log(`bench:search: ${set}: building MiniSearch…`);
    const miniBefore = heapBytes();
    const run = timed(() => new MiniEngine(findings));
    engine = run.value;
    miniBuild = run.sample;
    miniHeap = heapBytes() - miniBefore;
  }

  // Ours and MiniSearch take turns, pass after pass, so that the machine's other load falls on
  // both alike; the first pass warms up and is not counted.
  log(`bench:search: ${set}: ${QUERIES.length} queries…`);
  const ours = new QueryTimes();
  const theirs = new QueryTimes();
  heapBytes();
  for (let pass = 0; pass <= rounds(findings.length); pass++) {
    QUERIES.forEach((query) => {
      const run = timed(() => {
        const answer = searchText(index, query);
        if (!answer.ok) throw new Error(answer.error.message);
        const shown = Math.min(SHOWN, answer.result.findings.length);
        for (let k = 0; k < shown; k++) answer.result.spans(k);
        return answer.result.findings;
      });
      if (pass > 0) ours.add(query, run.sample, Array.from(run.value));
    });
    if (!engine) continue;
    QUERIES.forEach((query, i) => {
      const node = nodes[i]!;
      const run = timed(() => {
        const docs = engine.evaluate(node);
        for (let k = 0; k < Math.min(SHOWN, docs.length); k++) engine.spans(docs[k]!, node);
        return docs;
      });
      if (pass > 0) theirs.add(query, run.sample, run.value);
    });
  }

  log(`bench:search: ${set}: similar findings…`);
  heapBytes();
  const similar: Sample[] = [];
  const picks = Array.from({ length: 30 }, (_, i) =>
    Math.floor(((i + 0.5) * findings.length) / 30),
  );
  for (const p of picks.slice(0, 10)) similarFindings(index, p, 10);
  for (const p of picks) similar.push(timed(() => similarFindings(index, p, 10)).sample);

  const figures: SetFigures = {
    findings: findings.length,
    build_ms: Math.round(build.wall),
    build_cpu_ms: Math.round(build.cpu),
    heap_mb: mb(heap),
    index: { ...stats, index_mb: mb(stats.index_bytes) },
    queries: ours.figures(),
    similar: { ...latency(similar), limit: 10 },
  };
  if (engine) {
    const differing = QUERIES.filter((q) => {
      const a = ours.matches.get(q)!;
      const b = theirs.matches.get(q)!;
      return a.length !== b.length || a.some((d, k) => d !== b[k]);
    });
    figures.minisearch = {
      build_ms: Math.round(miniBuild.wall),
      build_cpu_ms: Math.round(miniBuild.cpu),
      heap_mb: mb(miniHeap),
      queries: theirs.figures(),
      same_matches: differing.length === 0,
      differing_queries: differing,
    };
  }
  return figures;
}

function printFigures(result: SearchBench): void {
  const cell = (text: string | number, width = 12) => String(text).padStart(width);
  const pair = (wall: number, cpu: number) => `${wall} / ${cpu}`;
  console.log('');
  console.log(
    `times in ms, wall clock / CPU time (load average ${result.load_average} on ${result.cores} cores)`,
  );
  console.log(
    `${'set'.padEnd(6)}${cell('findings', 10)}${cell('build', 16)}${cell('index MB', 10)}${cell('query p50', 16)}${cell('query p95', 16)}${cell('similar p50', 16)}${cell('similar p95', 16)}`,
  );
  for (const [name, s] of Object.entries(result.sets)) {
    console.log(
      `${name.padEnd(6)}${cell(s.findings, 10)}${cell(pair(s.build_ms, s.build_cpu_ms), 16)}${cell(s.index.index_mb, 10)}${cell(pair(s.queries.p50_ms, s.queries.cpu_p50_ms), 16)}${cell(pair(s.queries.p95_ms, s.queries.cpu_p95_ms), 16)}${cell(pair(s.similar.p50_ms, s.similar.cpu_p50_ms), 16)}${cell(pair(s.similar.p95_ms, s.similar.cpu_p95_ms), 16)}`,
    );
  }
  const withLibrary = Object.entries(result.sets).filter(([, s]) => s.minisearch);
  if (withLibrary.length > 0) {
    console.log('');
    console.log(`MiniSearch ${result.minisearch_version} on the same queries, beside ours:`);
    console.log(
      `${'set'.padEnd(6)}${cell('build ours', 16)}${cell('build mini', 16)}${cell('heap MB', 14)}${cell('p50 ours', 16)}${cell('p50 mini', 16)}${cell('p95 ours', 16)}${cell('p95 mini', 16)}  same matches`,
    );
    for (const [name, s] of withLibrary) {
      const m = s.minisearch!;
      console.log(
        `${name.padEnd(6)}${cell(pair(s.build_ms, s.build_cpu_ms), 16)}${cell(pair(m.build_ms, m.build_cpu_ms), 16)}${cell(`${s.heap_mb} / ${m.heap_mb}`, 14)}${cell(pair(s.queries.p50_ms, s.queries.cpu_p50_ms), 16)}${cell(pair(m.queries.p50_ms, m.queries.cpu_p50_ms), 16)}${cell(pair(s.queries.p95_ms, s.queries.cpu_p95_ms), 16)}${cell(pair(m.queries.p95_ms, m.queries.cpu_p95_ms), 16)}  ${m.same_matches ? 'yes' : `no: ${m.differing_queries.join(' | ')}`}`,
      );
    }
  }
  console.log('(budget: query p95 under 100 ms at 100k findings)');
}

/** Runs the benchmark and writes bench/search.json; returns the figures. */
export async function benchSearch(options: {
  sets: string[];
  librarySets: string[];
  log?: (line: string) => void;
}): Promise<SearchBench> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const miniPackage = JSON.parse(
    await readFile(path.join(ROOT, 'node_modules/minisearch/package.json'), 'utf8'),
  ) as { version: string };
  const result: SearchBench = {
    measured_at: new Date().toISOString(),
    node: process.version,
    cores: availableParallelism(),
    load_average: 0,
    minisearch_version: miniPackage.version,
    queries: QUERIES,
    sets: {},
  };
  for (const set of options.sets) {
    result.sets[set] = await benchSet(set, options.librarySets.includes(set), log);
  }
  result.load_average = Math.round(loadavg()[0]! * 10) / 10;
  const file = path.join(ROOT, 'bench/search.json');
  const config = (await resolveConfig(file)) ?? {};
  await writeFile(
    file,
    await prettierFormat(JSON.stringify(result), { ...config, parser: 'json' }),
  );
  printFigures(result);
  console.log(`written to ${path.relative(ROOT, file)}`);
  return result;
}

function listOption(name: string): string[] | undefined {
  return process.argv
    .find((a) => a.startsWith(`--${name}=`))
    ?.slice(name.length + 3)
    .split(',')
    .filter(Boolean);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const quick = process.argv.includes('--quick');
  const sets = listOption('sets') ?? (quick ? ['real', '10k'] : ['real', '10k', '100k', '1m']);
  const librarySets = listOption('library-sets') ?? ['real', '10k', '100k'];
  benchSearch({ sets, librarySets }).catch((error: unknown) => {
    process.stderr.write(
      `bench:search: failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  });
}
