/**
 * The split of the labelled findings into the side the tagger is tuned (and its word model
 * trained) on and the side kept back and only measured on: `tests/fixtures/accuracy-split.json`.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');

export interface Split {
  tune: Record<string, string[] | 'all'>;
  kept_back: Record<string, string[] | 'all'>;
  /** Why a theme's kept-back figure needs care beyond its numbers, by theme id. */
  kept_back_notes?: Record<string, string>;
  fresh_batches?: { file: string; lines: [number, number]; f1_before: number; written: string }[];
  /**
   * Findings written and labelled by someone who never saw the cues, the model or the tagger,
   * kept out of tuning like the letters kept back; `npm run measure-accuracy` reports them.
   */
  held_out?: Record<string, string[] | 'all'>;
}

export interface LabelledFinding {
  source_file?: string;
  text: string;
  themes: string[];
}

export async function readSplit(): Promise<Split> {
  return JSON.parse(
    await readFile(path.join(ROOT, 'tests/fixtures/accuracy-split.json'), 'utf8'),
  ) as Split;
}

/** The labelled findings (text and themes) of one side of the split, in the split's order. */
export async function sideOf(
  side: Record<string, string[] | 'all'>,
): Promise<{ sources: string[]; findings: LabelledFinding[] }> {
  const sources: string[] = [];
  const findings: LabelledFinding[] = [];
  for (const [file, wanted] of Object.entries(side)) {
    const rows = (await readFile(path.join(ROOT, file), 'utf8'))
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as LabelledFinding);
    if (wanted === 'all') {
      sources.push(file);
      findings.push(...rows);
      continue;
    }
    for (const name of wanted) {
      const mine = rows.filter((r) => r.source_file === name);
      if (mine.length === 0) throw new Error(`${file} has no findings of ${name}`);
      sources.push(name);
      findings.push(...mine);
    }
  }
  return { sources, findings };
}
