/**
 * Tagging findings with saved themes (saved-themes.ts): the ingest's `--themes` letter by letter,
 * the page's search worker over every finding at once. A finding matches a query or not by its
 * own words alone (the query language has no ranking), so both give the same tags.
 */
import type { FindingRow, FindingThemeRow } from '../schema';
import { buildSearchIndex, search, type SearchIndex, type TextSpan } from './index';
import { parseQuery, type QueryNode } from './query';
import { SavedThemesError, USER_TAG_SOURCE, type SavedTheme } from './saved-themes';
import { matchedRuns } from './text';

/** The most pieces of matched words kept as a tag's evidence. */
export const MAX_USER_EVIDENCE = 5;

/** The separator between evidence pieces, as the tagger writes it. */
const EVIDENCE_SEPARATOR = ' … ';

/**
 * A tag's evidence from the spans of the words a query matched: each run of matched words
 * ({@link matchedRuns}) once (case aside), in text order, at most {@link MAX_USER_EVIDENCE},
 * joined as the tagger joins its evidence.
 */
export function matchedEvidence(text: string, spans: readonly TextSpan[]): string {
  const pieces: string[] = [];
  const seen = new Set<string>();
  for (const [start, end] of matchedRuns(text, spans)) {
    const piece = text.slice(start, end);
    const key = piece.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    pieces.push(piece);
    if (pieces.length === MAX_USER_EVIDENCE) break;
  }
  return pieces.join(EVIDENCE_SEPARATOR);
}

/** A saved theme ready to tag: its id and its parsed query. */
export interface CompiledUserTheme {
  id: string;
  name: string;
  query: QueryNode;
}

/** Parses each theme's query (they were checked when read: a query that fails here throws). */
export function compileUserThemes(
  themes: readonly SavedTheme[],
  ids: readonly string[],
): CompiledUserTheme[] {
  return themes.map((theme, i) => {
    const parsed = parseQuery(theme.query);
    if (!parsed.ok)
      throw new SavedThemesError(
        `The search of "${theme.name}" cannot be read: ${parsed.error.message}`,
      );
    return { id: ids[i]!, name: theme.name, query: parsed.query };
  });
}

/** The findings one saved theme matches in an index: their numbers (ascending) and evidence. */
export interface UserThemeMatches {
  findings: Uint32Array;
  evidence: string[];
}

/** Each theme's matches among the index's findings, in the themes' order. */
export function matchUserThemes(
  index: SearchIndex,
  themes: readonly CompiledUserTheme[],
): UserThemeMatches[] {
  return themes.map((theme) => {
    const result = search(index, theme.query);
    const evidence = Array.from(result.findings, (doc, k) =>
      matchedEvidence(index.texts[doc]!, result.spans(k)),
    );
    return { findings: result.findings, evidence };
  });
}

/**
 * One letter's theme rows with the saved themes' tags added: after each finding's own rows, one
 * row for each theme that matches it, in the themes' order, ranked after the finding's other
 * themes, with the matched words as evidence, `confidence` 1, never uncertain, `source` `user`.
 */
export function tagWithUserThemes(
  findings: readonly Pick<FindingRow, 'finding_id' | 'text'>[],
  findingThemes: readonly FindingThemeRow[],
  themes: readonly CompiledUserTheme[],
): FindingThemeRow[] {
  if (themes.length === 0 || findings.length === 0) return [...findingThemes];
  const index = buildSearchIndex(findings);
  const added = new Map<string, FindingThemeRow[]>();
  matchUserThemes(index, themes).forEach((matches, t) => {
    matches.findings.forEach((doc, k) => {
      const findingId = index.ids[doc]!;
      const list = added.get(findingId) ?? [];
      list.push({
        finding_id: findingId,
        theme_id: themes[t]!.id,
        rank: 0,
        evidence: matches.evidence[k]!,
        confidence: 1,
        uncertain: false,
        source: USER_TAG_SOURCE,
      });
      added.set(findingId, list);
    });
  });
  const own = new Map<string, FindingThemeRow[]>();
  for (const row of findingThemes) {
    const list = own.get(row.finding_id) ?? [];
    list.push(row);
    own.set(row.finding_id, list);
  }
  const out: FindingThemeRow[] = [];
  const placed = new Set<string>();
  const place = (findingId: string) => {
    if (placed.has(findingId)) return;
    placed.add(findingId);
    const mine = own.get(findingId) ?? [];
    out.push(...mine);
    (added.get(findingId) ?? []).forEach((row, i) =>
      out.push({ ...row, rank: mine.length + i + 1 }),
    );
  };
  for (const finding of findings) place(finding.finding_id);
  // Rows of a finding not given (none, from the ingest) keep their place after the others.
  for (const row of findingThemes) place(row.finding_id);
  return out;
}
