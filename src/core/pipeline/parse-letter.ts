import { extractFindings, type ExtractedFinding } from './extract-findings';
import { findSections, type SectionHeading } from './find-sections';
import type { CouncilMatcher } from './match-council';
import { normaliseText } from './normalise-text';
import { LetterRejection, type LetterMetadata, readMetadata } from './read-metadata';

/** A letter read into metadata and findings, before themes are added. */
export interface ParsedLetter {
  letterId: string;
  sourceFile: string;
  /** The normalised text that finding spans point into. */
  sourceText: string;
  metadata: LetterMetadata;
  findings: ExtractedFinding[];
  /** The section headings met, with what stood under each (for check-letter.ts). */
  headings: SectionHeading[];
}

/** A URL- and file-safe slug: "King's Lynn" → "kings-lynn". */
export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’‘]/g, '')
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** Reads one document's text into a letter; throws `LetterRejection` with the reason when it cannot. */
export function parseLetter(
  raw: string,
  sourceFile: string,
  matcher?: CouncilMatcher,
): ParsedLetter {
  const sourceText = normaliseText(raw);
  if (sourceText.trim().length === 0) throw new LetterRejection('empty file');
  const metadata = readMetadata(sourceText, matcher);
  const headings: SectionHeading[] = [];
  const findings = extractFindings(findSections(sourceText, metadata.documentKind, headings));
  if (findings.length === 0)
    throw new LetterRejection('no findings under any recognised section heading');
  return {
    letterId: `${slugify(metadata.councilName)}-${metadata.inspectionStart}`,
    sourceFile,
    sourceText,
    metadata,
    findings,
    headings,
  };
}
