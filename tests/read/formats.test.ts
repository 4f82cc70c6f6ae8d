import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { parseLetterFile } from '@/core/parse-letter-file';
import { buildCouncilMatcher } from '@/core/pipeline/match-council';
import type { FindingRow, LetterRow } from '@/core/schema';
import { pdfToText } from '../../scripts/lib/read-pdf';
import { ROOT } from '../helpers/gold';
import { runIngest } from '../helpers/run-ingest';
import { readGold, scoreLetters, stemOf, type Score } from '../helpers/score-letters';

// Every set of letters in tests/fixtures/formats/manifest.json: the same labelled letters as
// written by real tools (LibreOffice to .pdf/.doc/.rtf/.odt, Chromium printing web pages,
// pdftotext -layout, Word-style .docx, web-archive pages, Windows-1252 and UTF-16 text). How each
// was made is in the manifest and its README; scripts/fixtures/make-format-fixtures.ts remakes them.
interface FixtureSet {
  dir: string;
  path: string;
  gold: string;
  writer: string;
  how: string;
  files: string[];
  members?: { name: string; expect: 'letter' | 'rejected' | 'ignored'; gold?: string }[];
}

const manifest = JSON.parse(
  readFileSync(path.join(ROOT, 'tests/fixtures/formats/manifest.json'), 'utf8'),
) as FixtureSet[];
const documentSets = manifest.filter((set) => !set.members);
const zipSet = manifest.find((set) => set.members)!;

/** At least this share of gold findings found, in the right section, in every set. */
const FLOOR = 0.97;
/** At most this share of extra findings (a finding split in two): never a letterhead's line. */
const EXTRA = 0.03;
/** A letterhead's, an address's or a signature block's line: never a finding. */
const LETTERHEAD_RE =
  /^(yours (sincerely|faithfully)|copy:|cc:|(her|his) majesty'?s inspector|direct [tf]\b|[tf]:? ?0\d{3}|\S+@\S+\.uk$|www\.|london borough of|royal exchange buildings|piccadilly gate|alexandra house|the national archives|publication date|you are here)|\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$/i;
const matcher = buildCouncilMatcher();
const results: Record<string, Score & { writer: string }> = {};

describe.each(documentSets)('letters in $dir', (set) => {
  it(`give the gold findings (≥ ${FLOOR * 100}% in text and section), all metadata, no letterhead`, async () => {
    const dir = path.resolve(ROOT, set.path);
    const names = readdirSync(dir).filter((name) => set.files.includes(name));
    expect(names.sort()).toEqual([...set.files].sort());
    const letters: LetterRow[] = [];
    const findings: FindingRow[] = [];
    for (const name of names) {
      const bytes = new Uint8Array(readFileSync(path.join(dir, name)));
      for (const result of await parseLetterFile(name, bytes, { readPdf: pdfToText, matcher })) {
        expect(result.ok ? '' : result.reason, name).toBe('');
        if (!result.ok) continue;
        letters.push(result.rows.letter);
        findings.push(...result.rows.findings);
      }
    }
    const score = scoreLetters(letters, findings, readGold(set.gold), new Set(names.map(stemOf)));
    results[set.dir] = { ...score, writer: set.writer };
    for (const finding of findings) expect(finding.text, set.dir).not.toMatch(LETTERHEAD_RE);
    const summary = `${set.dir}: ${score.matched}/${score.goldFindings} found, ${score.sectionsRight} in the right section, ${score.extra} extra, metadata ${score.metaRight}/${score.metaFields}`;
    console.log(`${summary}${score.problems.length ? `\n  ${score.problems.join('\n  ')}` : ''}`);
    expect(score.goldFindings).toBeGreaterThan(0);
    expect(score.matched / score.goldFindings, summary).toBeGreaterThanOrEqual(FLOOR);
    expect(score.sectionsRight / score.goldFindings, summary).toBeGreaterThanOrEqual(FLOOR);
    expect(score.metaRight, summary).toBe(score.metaFields);
    expect(score.extra / score.goldFindings, summary).toBeLessThanOrEqual(EXTRA);
  });
});

describe('a zip of letters in many formats, through the ingest CLI', () => {
  it('reads each letter member, rejects each bad one by name, and writes Parquet DuckDB reads back', async () => {
    const work = mkdtempSync(path.join(tmpdir(), 'formats-zip-'));
    const out = path.join(work, 'out');
    mkdirSync(out);
    const zip = path.resolve(ROOT, zipSet.path, zipSet.files[0]!);
    const run = runIngest(['--out', out, zip]);
    // Some members are not letters: exit 1, the others written.
    expect(run.status, run.stderr).toBe(1);
    const zipName = path.basename(zip);
    const members = zipSet.members!;
    const rejected = JSON.parse(readFileSync(path.join(out, 'rejected.json'), 'utf8')) as {
      file: string;
      reason: string;
    }[];
    expect(rejected.map((r) => r.file).sort()).toEqual(
      members
        .filter((m) => m.expect === 'rejected')
        .map((m) => `${zipName}/${m.name}`)
        .sort(),
    );
    for (const r of rejected) expect(run.stderr).toContain(`rejected: ${r.file}: ${r.reason}`);

    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    const read = async <T>(sql: string) =>
      (await connection.runAndReadAll(sql)).getRowObjectsJson() as unknown as T[];
    const file = (name: string) => path.join(out, name).replaceAll("'", "''");
    const letters = await read<LetterRow>(
      `SELECT * EXCLUDE (source_text), strftime(letter_date, '%Y-%m-%d') AS letter_date,
         strftime(inspection_start, '%Y-%m-%d') AS inspection_start,
         strftime(inspection_end, '%Y-%m-%d') AS inspection_end
       FROM read_parquet('${file('letters.parquet')}')`,
    );
    const findings = await read<FindingRow>(
      `SELECT * FROM read_parquet('${file('findings.parquet')}') ORDER BY letter_id, position`,
    );
    const wanted = members.filter((m) => m.expect === 'letter');
    expect(letters.map((l) => l.source_file).sort()).toEqual(
      wanted.map((m) => `${zipName}/${m.name}`).sort(),
    );
    for (const goldDir of new Set(wanted.map((m) => m.gold!))) {
      const stems = new Set(wanted.filter((m) => m.gold === goldDir).map((m) => stemOf(m.name)));
      const score = scoreLetters(letters, findings, readGold(goldDir), stems);
      const summary = `zip (${goldDir}): ${score.matched}/${score.goldFindings}, extra ${score.extra}, metadata ${score.metaRight}/${score.metaFields}\n  ${score.problems.join('\n  ')}`;
      console.log(summary);
      expect(score.matched / score.goldFindings, summary).toBeGreaterThanOrEqual(FLOOR);
      expect(score.sectionsRight / score.goldFindings, summary).toBeGreaterThanOrEqual(FLOOR);
      expect(score.metaRight, summary).toBe(score.metaFields);
      expect(score.extra / score.goldFindings, summary).toBeLessThanOrEqual(EXTRA);
    }
    connection.closeSync();
    // The figures of every set, for the record (test-results/ is not committed).
    mkdirSync(path.join(ROOT, 'test-results'), { recursive: true });
    writeFileSync(
      path.join(ROOT, 'test-results/formats-score.json'),
      `${JSON.stringify(results, null, 2)}\n`,
    );
  });
});
