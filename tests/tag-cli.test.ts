import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TAXONOMY_V1_THEME_IDS } from '@/core/pipeline/taxonomy';

const root = fileURLToPath(new URL('..', import.meta.url));

interface Run {
  stdout: string;
  stderr: string;
  status: number | null;
}

function runTag(input: string): Run {
  const result = spawnSync('npx', ['tsx', 'scripts/tag.ts'], {
    cwd: root,
    input,
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (result.error) throw result.error;
  return { stdout: result.stdout, stderr: result.stderr, status: result.status };
}

function outputObjects(stdout: string): Record<string, unknown>[] {
  return stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

const findings = [
  {
    finding_id: 'north-yorkshire-2009-06-30#20',
    section: 'priority_action',
    text: 'In one of the teams visited there were 50 unallocated referrals awaiting allocation.',
    position: 20,
  },
  {
    text: 'Strategy discussions are usually held where appropriate and involve the police.',
    note: 'ünïcödé “quotes” kept',
  },
  {
    position: 3,
    text: 'Culture and ethnicity are not consistently taken into account in assessments.',
  },
];
const goodInput = `${findings.map((f) => JSON.stringify(f)).join('\n')}\n`;

describe('npm run -s tag (scripts/tag.ts)', () => {
  it('adds ranked theme ids to each object and keeps its other fields in order', () => {
    const run = runTag(goodInput);
    expect(run.status).toBe(0);
    expect(run.stderr).not.toMatch(/line \d+/);
    const out = outputObjects(run.stdout);
    expect(out).toHaveLength(findings.length);
    out.forEach((object, i) => {
      const input = findings[i] as Record<string, unknown>;
      expect(Object.keys(object)).toEqual([...Object.keys(input), 'themes']);
      for (const [key, value] of Object.entries(input)) expect(object[key]).toEqual(value);
      const themes = object.themes as string[];
      expect(themes.length).toBeGreaterThanOrEqual(1);
      for (const id of themes) expect(TAXONOMY_V1_THEME_IDS).toContain(id);
    });
    expect((out[0] as { themes: string[] }).themes[0]).toBe('unallocated_cases');
    expect((out[1] as { themes: string[] }).themes).toEqual([
      'child_protection_enquiries',
      'multi_agency_working',
    ]);
    expect((out[2] as { themes: string[] }).themes[0]).toBe('equality_diversity');
  });

  it('reports bad lines by number on stderr, skips them, goes on and exits 1', () => {
    const input = [
      JSON.stringify(findings[0]),
      'this is not json',
      '',
      JSON.stringify({ id: 4, body: 'no text field' }),
      JSON.stringify({ text: 42 }),
      '["an", "array"]',
      JSON.stringify(findings[1]),
    ].join('\r\n');
    const run = runTag(input);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/line 2: not valid JSON/);
    expect(run.stderr).toMatch(/line 4: the object has no "text" field/);
    expect(run.stderr).toMatch(/line 5: "text" must be a string/);
    expect(run.stderr).toMatch(/line 6: expected a JSON object/);
    expect(run.stderr).not.toMatch(/line 3:/);
    const out = outputObjects(run.stdout);
    expect(out.map((o) => o.text)).toEqual([findings[0]?.text, findings[1]?.text]);
  });

  it('writes identical bytes on two runs', () => {
    const first = runTag(goodInput);
    const second = runTag(goodInput);
    expect(first.stdout).not.toBe('');
    expect(second.stdout).toBe(first.stdout);
  });
});
