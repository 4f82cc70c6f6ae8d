import type { Section } from '../schema';
import type { SectionedParagraph } from './find-sections';
import { collapseWhitespace, foldForMatching } from './normalise-text';

/** A finding read out of a letter, before themes are added. */
export interface ExtractedFinding {
  /** 1-based, in document order. */
  position: number;
  section: Section;
  /** Bullet glyphs and markup removed, whitespace collapsed. */
  text: string;
  /** Span of the finding in the source text. */
  charStart: number;
  charEnd: number;
  previouslyIdentified: boolean;
}

// "This was an area for development at the previous inspection", "identified as areas for
// development at the last inspection", "raised at the previous visit", "previously identified".
const PREVIOUS_INSPECTION_RE =
  /\b(previous|last|earlier|prior|preceding|2009|2010|2011)\s+(unannounced\s+)?(inspection|visit)\b/;
const RAISED_RE =
  /\b(area|areas|issue|issues)\s+(for|of)\s+(development|priority action|improvement)\b|\b(identified|raised|highlighted|noted|reported|found|recommended)\b/;
const PREVIOUSLY_RE =
  /\bpreviously (identified|raised|highlighted|noted|reported)\b|\b(identified|raised|highlighted|noted) (previously|before|at the last)\b/;

/** True when a finding says it was raised at the previous inspection. */
export function isPreviouslyIdentified(text: string): boolean {
  const folded = foldForMatching(text).toLowerCase();
  if (PREVIOUSLY_RE.test(folded)) return true;
  // A sentence that names the previous inspection names it in the whole text: most do not.
  if (!PREVIOUS_INSPECTION_RE.test(folded)) return false;
  return folded
    .split(/(?<=[.!?])\s+/)
    .some((sentence) => PREVIOUS_INSPECTION_RE.test(sentence) && RAISED_RE.test(sentence));
}

/** Turns the paragraphs that stand in sections into numbered findings with their spans. */
export function extractFindings(paragraphs: SectionedParagraph[]): ExtractedFinding[] {
  const findings: ExtractedFinding[] = [];
  for (const { section, paragraph } of paragraphs) {
    const first = paragraph.lines[0];
    const last = paragraph.lines[paragraph.lines.length - 1];
    const text = collapseWhitespace(paragraph.text);
    if (!first || !last || !/[\p{L}\p{N}]/u.test(text)) continue;
    findings.push({
      position: findings.length + 1,
      section,
      text,
      charStart: first.contentStart,
      charEnd: Math.max(first.contentStart, last.contentEnd),
      previouslyIdentified: isPreviouslyIdentified(text),
    });
  }
  return findings;
}
