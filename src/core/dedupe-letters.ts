import type { DocumentKind } from './schema';
import type { LetterRows } from './pipeline/to-rows';

/** Two files that gave the same letter id (council and inspection start), and which one stays. */
export interface DuplicateLetter {
  letterId: string;
  kept: string;
  dropped: string;
}

/** What deduplication looks at in a letter: its id, its kind and the file it came from. */
export interface LetterIdentity {
  letterId: string;
  documentKind: DocumentKind;
  sourceFile: string;
}

/**
 * One letter per letter id, letters taken in the order given: a later file replaces an earlier
 * one, except that Ofsted's own letter is kept over a council's report of the same inspection.
 * Works on identities alone, so that a caller can stage rows elsewhere and pick them afterwards.
 */
export function pickLetters<T extends LetterIdentity>(
  letters: readonly T[],
): { letters: T[]; duplicates: DuplicateLetter[] } {
  const byId = new Map<string, T>();
  const duplicates: DuplicateLetter[] = [];
  for (const letter of letters) {
    const id = letter.letterId;
    const earlier = byId.get(id);
    if (!earlier) {
      byId.set(id, letter);
      continue;
    }
    const keep =
      earlier.documentKind === 'ofsted_letter' && letter.documentKind !== 'ofsted_letter'
        ? earlier
        : letter;
    const dropped = keep === letter ? earlier : letter;
    duplicates.push({ letterId: id, kept: keep.sourceFile, dropped: dropped.sourceFile });
    byId.set(id, keep);
  }
  return { letters: [...byId.values()], duplicates };
}

/** `pickLetters` over letters' rows: one letter per letter id. */
export function dedupeLetters(letters: readonly LetterRows[]): {
  letters: LetterRows[];
  duplicates: DuplicateLetter[];
} {
  const picked = pickLetters(
    letters.map((rows) => ({
      letterId: rows.letter.letter_id,
      documentKind: rows.letter.document_kind,
      sourceFile: rows.letter.source_file,
      rows,
    })),
  );
  return { letters: picked.letters.map((l) => l.rows), duplicates: picked.duplicates };
}
