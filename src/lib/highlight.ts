/** A stretch of text, marked when it matched one of the phrases. */
export interface TextSegment {
  text: string;
  marked: boolean;
}

/** Splits an evidence string into its phrases (the tagger joins several with ` … `). */
export function evidencePhrases(evidence: readonly (string | null)[]): string[] {
  return evidence
    .flatMap((e) => (e ?? '').split(/\s*(?:…|[;|])\s*/))
    .map((p) => p.trim())
    .filter((p) => p.length > 1);
}

/** Cuts `text` into segments so that every case-insensitive occurrence of a phrase is marked. */
export function highlightSegments(text: string, phrases: readonly string[]): TextSegment[] {
  const lower = text.toLowerCase();
  const marks = new Array<boolean>(text.length).fill(false);
  for (const phrase of phrases) {
    const needle = phrase.toLowerCase();
    for (let at = lower.indexOf(needle); at !== -1; at = lower.indexOf(needle, at + 1)) {
      marks.fill(true, at, at + needle.length);
    }
  }
  const segments: TextSegment[] = [];
  let start = 0;
  for (let i = 1; i <= text.length; i++) {
    if (i === text.length || marks[i] !== marks[start]) {
      segments.push({ text: text.slice(start, i), marked: marks[start] ?? false });
      start = i;
    }
  }
  return segments;
}
