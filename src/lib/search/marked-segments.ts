import { matchedRuns } from '@/core/search/text';

/** A piece of a finding's text, marked when it is a run of matched words. */
export interface MarkedSegment {
  text: string;
  marked: boolean;
}

/** `text` cut into plain and marked pieces, as `markText` (src/core/search/index.ts) marks it, for React text nodes. */
export function markedSegments(
  text: string,
  spans: readonly (readonly [number, number])[],
): MarkedSegment[] {
  const out: MarkedSegment[] = [];
  let last = 0;
  for (const [start, end] of matchedRuns(text, spans)) {
    if (start > last) out.push({ text: text.slice(last, start), marked: false });
    out.push({ text: text.slice(start, end), marked: true });
    last = end;
  }
  if (last < text.length) out.push({ text: text.slice(last), marked: false });
  return out;
}
