import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { Section } from '@/core/schema';

/** The project's root folder. */
export const ROOT = path.resolve(import.meta.dirname, '../..');

/** The folder of bundled letters. */
export const LETTERS_DIR = path.join(ROOT, 'data/letters');

/** A hand-labelled finding from tests/fixtures/gold/findings.jsonl. */
export interface GoldFinding {
  source_file: string;
  section: Section;
  position: number;
  text: string;
  themes: string[];
  previously_identified: boolean;
}

/** A hand-labelled letter from tests/fixtures/gold/letters.jsonl. */
export interface GoldLetter {
  source_file: string;
  document_kind: string;
  council_name: string;
  letter_date: string | null;
  inspection_start: string;
  inspection_end: string;
  inspector: string | null;
  has_priority_actions: boolean;
  counts: Record<Section, number>;
}

function readJsonl<T>(name: string): T[] {
  return readFileSync(path.join(ROOT, 'tests/fixtures/gold', name), 'utf8')
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line) => JSON.parse(line) as T);
}

/** Every gold finding. */
export const goldFindings: GoldFinding[] = readJsonl<GoldFinding>('findings.jsonl');

/** Every gold letter. */
export const goldLetters: GoldLetter[] = readJsonl<GoldLetter>('letters.jsonl');

/** The bundled letters' file names, sorted. */
export const letterFiles: string[] = readdirSync(LETTERS_DIR)
  .filter((f) => /\.(txt|md)$/.test(f))
  .sort();

/** A bundled letter's text. */
export function readLetter(name: string): string {
  return readFileSync(path.join(LETTERS_DIR, name), 'utf8');
}

/** Folds quotes, dashes and whitespace so that texts from typographic variants compare equal. */
export function comparable(text: string): string {
  return text
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201C\u201D]/g, '"')
    .replace(/\s+/g, ' ')
    .trim();
}
