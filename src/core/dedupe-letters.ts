import type { LetterRows } from './pipeline/to-rows';

/** Two files that gave the same letter id (council and inspection start), and which one stays. */
export interface DuplicateLetter {
  letterId: string;
  kept: string;
  dropped: string;
}

/**
 * One letter per letter id, files taken in the order given: a later file replaces an earlier
 * one, except that Ofsted's own letter is kept over a council's report of the same inspection.
 */
export function dedupeLetters(letters: readonly LetterRows[]): {
  letters: LetterRows[];
  duplicates: DuplicateLetter[];
} {
  const byId = new Map<string, LetterRows>();
  const duplicates: DuplicateLetter[] = [];
  for (const rows of letters) {
    const id = rows.letter.letter_id;
    const earlier = byId.get(id);
    if (!earlier) {
      byId.set(id, rows);
      continue;
    }
    const keep =
      earlier.letter.document_kind === 'ofsted_letter' &&
      rows.letter.document_kind !== 'ofsted_letter'
        ? earlier
        : rows;
    const dropped = keep === rows ? earlier : rows;
    duplicates.push({
      letterId: id,
      kept: keep.letter.source_file,
      dropped: dropped.letter.source_file,
    });
    byId.set(id, keep);
  }
  return { letters: [...byId.values()], duplicates };
}
