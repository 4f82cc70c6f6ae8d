import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildSearchIndex, searchText } from '@/core/search/index';
import { runSearchCli, useIngestedLetters } from './support';

const data = useIngestedLetters();

/** Parses RFC 4180 CSV (quoted cells, doubled quotes, CRLF or LF line ends). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell]);
  return rows;
}

function expectedIds(query: string): string[] {
  const index = buildSearchIndex(data.findings);
  const answer = searchText(index, query);
  if (!answer.ok) throw new Error(answer.error.message);
  return Array.from(answer.result.findings, (n) => index.ids[n]!);
}

describe('npm run search', () => {
  let json: ReturnType<typeof runSearchCli>;
  beforeAll(() => {
    json = runSearchCli(['police OR health', '--out', data.dir, '--format', 'json']);
  });

  it('prints matches with [[marked]] words and counts per council, year and section', () => {
    const run = runSearchCli(['"core assessments"', '--out', data.dir]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const ids = expectedIds('"core assessments"');
    expect(run.stdout).toContain(`: ${ids.length} of ${data.findings.length} findings`);
    for (const id of ids) expect(run.stdout).toContain(id);
    expect(run.stdout).toMatch(/\[\[core assessments?\]\]/i);
    expect(run.stdout).toContain('per council:');
    expect(run.stdout).toContain('per reporting year:');
    expect(run.stdout).toContain('per section:');
  });

  it('writes JSON that parses, with the matches, their spans and the counts', () => {
    expect(json.status).toBe(0);
    const out = JSON.parse(json.stdout) as {
      matches: number;
      read_as: string;
      results: Array<{
        finding_id: string;
        council_name: string;
        reporting_year: string;
        section: string;
        themes: string[];
        text: string;
        spans: Array<[number, number]>;
      }>;
      counts: Record<string, Array<{ value: string; findings: number }>>;
    };
    const ids = expectedIds('police OR health');
    expect(out.read_as).toBe('police OR health');
    expect(out.matches).toBe(ids.length);
    expect(out.results.map((r) => r.finding_id)).toEqual(ids);
    for (const r of out.results) {
      expect(r.council_name).not.toBe('');
      expect(r.reporting_year).toMatch(/^\d{4}-\d{2}$/);
      expect(Array.isArray(r.themes)).toBe(true);
      for (const [s, e] of r.spans)
        expect(r.text.slice(s, e).toLowerCase()).toMatch(/^(police|health)$/);
    }
    for (const key of ['council_name', 'reporting_year', 'section']) {
      const total = out.counts[key]!.reduce((sum, c) => sum + c.findings, 0);
      expect(total, key).toBe(ids.length);
    }
  });

  it('writes CSV that parses, one row per match', () => {
    const run = runSearchCli(['assess*', '--out', data.dir, '--format', 'csv', '--limit', '5']);
    expect(run.status).toBe(0);
    const rows = parseCsv(run.stdout);
    expect(rows[0]).toEqual([
      'finding_id',
      'council_name',
      'reporting_year',
      'section',
      'themes',
      'text',
      'marked_text',
    ]);
    expect(rows.slice(1).map((r) => r[0])).toEqual(expectedIds('assess*').slice(0, 5));
    for (const r of rows.slice(1)) {
      expect(r).toHaveLength(7);
      expect(r[6]).toMatch(/\[\[assess/i);
      expect(r[6]!.replace(/\[\[|\]\]/g, '')).toBe(r[5]);
    }
  });

  it('exits 2 with the reason for a query that cannot be read', () => {
    const run = runSearchCli(['referral "late assessments', '--out', data.dir]);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim()).toBe('search: The quote opened before "late" is never closed.');
    expect(runSearchCli(['police OR', '--out', data.dir]).status).toBe(2);
    expect(runSearchCli(['police', '--format', 'xml', '--out', data.dir]).status).toBe(2);
  });

  it('exits 1 when the folder has no data', () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'search-empty-'));
    try {
      const run = runSearchCli(['police', '--out', empty]);
      expect(run.status).toBe(1);
      expect(run.stderr).toContain('no data in');
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('lists the findings most like one with --similar', () => {
    const id = data.findings[5]!.finding_id;
    const run = runSearchCli([
      '--similar',
      id,
      '--out',
      data.dir,
      '--format',
      'json',
      '--limit',
      '3',
    ]);
    expect(run.status).toBe(0);
    const out = JSON.parse(run.stdout) as {
      results: Array<{ finding_id: string; score: number; shared: string[] }>;
    };
    expect(out.results).toHaveLength(3);
    expect(out.results.map((r) => r.finding_id)).not.toContain(id);
    for (const r of out.results) expect(r.shared.length).toBeGreaterThan(0);
  });
});
