import type { CouncilRow, FindingRow, FindingThemeRow, LetterRow, ThemeRow } from '../schema';
import {
  applyCorrections,
  findingKeys,
  type Correction,
  type UnappliedCorrection,
} from '../corrections';
import { checkLetter } from './check-letter';
import type { ParsedLetter } from './parse-letter';
import { toCouncilRows } from './match-council';
import { isUncertain, tagThemes } from './tag-themes';
import type { Taxonomy } from './taxonomy';

/** The five tables of the data contract, ready to be written. */
export interface ContractRows {
  letters: LetterRow[];
  findings: FindingRow[];
  finding_themes: FindingThemeRow[];
  themes: ThemeRow[];
  councils: CouncilRow[];
}

/** One letter's rows: the letter, its findings and their themes. */
export interface LetterRows {
  letter: LetterRow;
  findings: FindingRow[];
  findingThemes: FindingThemeRow[];
}

/**
 * Tags a letter's findings and lays the letter out as rows, with its warnings (`checkLetter`,
 * unless given) in `parse_warnings`.
 */
export function toLetterRows(
  letter: ParsedLetter,
  taxonomy: Taxonomy,
  warnings: readonly string[] = checkLetter(letter),
): LetterRows {
  const m = letter.metadata;
  const findings: FindingRow[] = [];
  const findingThemes: FindingThemeRow[] = [];
  for (const finding of letter.findings) {
    const findingId = `${letter.letterId}#${finding.position}`;
    findings.push({
      finding_id: findingId,
      letter_id: letter.letterId,
      position: finding.position,
      section: finding.section,
      text: finding.text,
      char_start: finding.charStart,
      char_end: finding.charEnd,
      previously_identified: finding.previouslyIdentified,
      finding_key: null,
      page: pageAt(letter.sourceText, finding.charStart),
    });
    for (const tag of tagThemes(finding.text, taxonomy)) {
      findingThemes.push({
        finding_id: findingId,
        theme_id: tag.themeId,
        rank: tag.rank,
        evidence: tag.evidence,
        confidence: tag.confidence,
        uncertain: isUncertain(tag.confidence, taxonomy),
        source: 'tagger',
      });
    }
  }
  const keys = findingKeys(findings);
  for (const f of findings) f.finding_key = keys.get(f.finding_id) ?? null;
  return {
    letter: {
      letter_id: letter.letterId,
      source_file: letter.sourceFile,
      document_kind: m.documentKind,
      council_name: m.councilName,
      la_code: m.council?.ons_code_2011_2013 ?? null,
      dfe_la_code: m.council ? Number(m.council.dfe_la_code) : null,
      region: m.council?.region_name ?? null,
      letter_date: m.letterDate,
      inspection_start: m.inspectionStart,
      inspection_end: m.inspectionEnd,
      inspection_year: m.inspectionYear,
      reporting_year: m.reportingYear,
      inspector: m.inspector,
      has_priority_actions: letter.findings.some((f) => f.section === 'priority_action'),
      finding_count: letter.findings.length,
      source_text: letter.sourceText,
      parse_warnings: warnings.length > 0 ? warnings.join('\n') : null,
    },
    findings,
    findingThemes,
  };
}

/**
 * The page (1-based) that an offset of a document's text falls on, counting form feeds (the page
 * turns every reader marks); null for a document without any, which has no pages to cite.
 */
export function pageAt(text: string, offset: number): number | null {
  if (!text.includes('\f')) return null;
  let page = 1;
  for (let at = text.indexOf('\f'); at >= 0 && at < offset; at = text.indexOf('\f', at + 1))
    page += 1;
  return page;
}

/** Puts letters' rows together with the themes and councils tables, ordered by letter id. */
export function assembleRows(perLetter: LetterRows[], taxonomy: Taxonomy): ContractRows {
  const ordered = [...perLetter].sort((a, b) => compare(a.letter.letter_id, b.letter.letter_id));
  return {
    letters: ordered.map((r) => r.letter),
    findings: ordered.flatMap((r) => r.findings),
    finding_themes: ordered.flatMap((r) => r.findingThemes),
    themes: taxonomy.themes.map((t) => ({
      theme_id: t.id,
      label: t.label,
      group_label: t.groupLabel,
      description: t.description,
      taxonomy_version: taxonomy.version,
      user_defined: false,
    })),
    councils: toCouncilRows(),
  };
}

/** Tags every finding and lays the letters out as the contract's rows, in a stable order. */
export function toRows(parsed: ParsedLetter[], taxonomy: Taxonomy): ContractRows {
  return assembleRows(
    parsed.map((letter) => toLetterRows(letter, taxonomy)),
    taxonomy,
  );
}

/** Code-point order, independent of the machine's locale. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One letter's rows after the corrections that name its findings, and what came of each. */
export interface CorrectedLetterRows {
  rows: LetterRows;
  applied: Correction[];
  unapplied: UnappliedCorrection[];
}

/**
 * Applies people's corrections (src/core/corrections.ts) to one letter's rows: themes removed or
 * added (marked `reviewed`), findings moved to another section, and the letter's
 * `has_priority_actions` brought in line with its findings' sections. A correction of another
 * letter's finding comes back unapplied.
 */
export function correctLetterRows(
  rows: LetterRows,
  corrections: readonly Correction[],
): CorrectedLetterRows {
  if (corrections.length === 0) return { rows, applied: [], unapplied: [] };
  const corrected = applyCorrections(rows.findings, rows.findingThemes, corrections);
  return {
    rows: {
      letter: {
        ...rows.letter,
        has_priority_actions: corrected.findings.some((f) => f.section === 'priority_action'),
      },
      findings: corrected.findings,
      findingThemes: corrected.findingThemes,
    },
    applied: corrected.applied,
    unapplied: corrected.unapplied,
  };
}
