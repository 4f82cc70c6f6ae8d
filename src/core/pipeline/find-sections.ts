import type { DocumentKind, Section } from '../schema';
import { INSPECTION_NAME_RE, type Line, splitLines } from './lines';
import { foldForMatching } from './normalise-text';

/** A run of lines that reads as one unit: a bullet, a numbered paragraph or a plain paragraph. */
export interface Paragraph {
  lines: Line[];
  /** Content without markup, lines joined with single spaces. */
  text: string;
  bullet: boolean;
  number: string | null;
  /** True when one or more blank lines (or page furniture) stand before it. */
  afterGap: boolean;
  /** True when a page break or page furniture stands in the gap before it. */
  afterPageBreak: boolean;
  /** True once it has taken in the items of a list it introduced ("In particular:"). */
  subList?: boolean;
}

/**
 * A heading (or a lead-in naming one section) as the letter gives it, and what stood under it
 * before the next heading or the end of the findings: for check-letter.ts to find a heading with
 * nothing under it.
 */
export interface SectionHeading {
  section: Section;
  /** The heading's text, markup removed. */
  text: string;
  /** Paragraphs under it that became findings. */
  findings: number;
  /** Paragraphs under it that are not findings: "None identified", a running title. */
  notes: number;
}

/** True when a heading of `section` is open with nothing under it yet. */
function isBareHeading(heading: SectionHeading | null, section: Section): boolean {
  return heading !== null && heading.section === section && heading.findings + heading.notes === 0;
}

/** A paragraph that sits in a section and so is (part of) a finding. */
export interface SectionedParagraph {
  section: Section;
  paragraph: Paragraph;
}

const STOPWORDS = new Set(
  'a an and as at by for from in into is of on or the to with within their its'.split(' '),
);

/**
 * The number of pieces `text.split(/\s+/)` gives (runs of whitespace plus one), without building
 * them: this is asked of every paragraph.
 */
function splitCount(text: string): number {
  let count = 1;
  let inSpace = false;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    const space =
      code === 32 || (code >= 9 && code <= 13) || (code > 127 && /\s/.test(text.charAt(i)));
    if (space && !inSpace) count += 1;
    inSpace = space;
  }
  return count;
}

/**
 * Lower-cases and folds a paragraph's text and drops a trailing colon, full stop or question mark, and a
 * trailing aside in brackets ("Areas for development (continued)" after a page turn).
 */
function headingKey(text: string): string {
  return (
    foldForMatching(text)
      .toLowerCase()
      .replace(/[\s:.?\-–]+$/, '')
      .replace(/\s*\([^()]{1,40}\)$/, '')
      .replace(/[\s:.\-–]+$/, '')
      // A letter or a numbered part before the heading's words ("A. Strengths", "Section 2:
      // Strengths", "Part B - Areas for development"); a number alone is peeled as a line's number.
      .replace(
        /^((section|part)\s+(\d{1,2}|[a-h]|[ivx]{1,4})\s*[:.)\-–]?|([a-h]|[ivx]{1,4})[.)])\s+/,
        '',
      )
      .replace(/^(the|our|key|main|particular|some)\s+/, '')
      .trim()
  );
}

const TITLE_HEADINGS: [Section, RegExp][] = [
  [
    'strength',
    /^(areas? of (particular )?)?(key |main |notable )?strengths?( identified| noted| were identified)?$|^(areas? of )?(good|effective|strong|positive) (practice|performance|features)( identified| noted)?$|^what (is|was) working well$|^what works well$|^what (the )?(council|authority|local authority|service|it) (does|did) well$/,
  ],
  [
    'satisfactory',
    /^((areas? of )?satisfactory( practice| performance| areas| arrangements)?|(areas?|practice) (of practice )?(that|which|where (practice|arrangements))? ?(meets?|met|meeting) (the )?(statutory )?requirements|meets? requirements|(meeting|met) requirements)$|^(areas? of )?(adequate|acceptable) (practice|performance)$|^practice (that|which) (is|was) (satisfactory|adequate)$/,
  ],
  [
    'development',
    /^(areas?|aspects?) (for|of|requiring|needing) (further )?(development|improvement)( identified)?$|^development (areas?|needs|points)$|^improvement (areas|needs|points)$|^areas? to (develop|improve)$|^(areas?|aspects?) (that|which) (need|needs|needed|require|requires|required) (further )?(development|improvement|to improve|to be improved|to develop)$|^(areas?|aspects?) in need of (further )?(development|improvement)$|^areas? where (further )?(development|improvement) (is|was|are|were) (needed|required)$|^recommendations? for (further )?(development|improvement)$|^(areas? of |main |key )?weakness(es)?( identified| noted)?$|^what (the )?(council|authority|local authority|service|it) (needs?|should|must|has) (to )?(improve|do better|develop)$/,
  ],
  [
    'priority_action',
    /^((areas? )?(for )?priority actions?|areas? for (urgent|immediate|priority) action|areas? requiring (urgent|immediate|priority) action)( identified)?$|^priority areas?( for (action|improvement))?$|^areas? (requiring|needing|for) (urgent|immediate|priority) attention$/,
  ],
];

const SECTION_CUES: [Section, RegExp][] = [
  ['strength', /\bstrengths?\b/],
  [
    'satisfactory',
    /\bsatisfactor(y|ily)\b|\b(meets?|met|meeting) (the )?(minimum |statutory )?requirements?\b|\bin accordance with (national|statutory) guid/,
  ],
  [
    'development',
    /\b(areas?|aspects?) (for|of|requiring|needing) (further )?(development|improvement)\b|\bdevelopment areas?\b|\bweakness(es)?\b|\b(require|requires|need|needs) (further )?development\b/,
  ],
  ['priority_action', /\bpriority actions?\b|\bareas? for (urgent|immediate) action\b/],
];

/** The sections whose cue words a text mentions. */
function sectionCues(text: string): Section[] {
  const key = foldForMatching(text).toLowerCase();
  return SECTION_CUES.filter(([, re]) => re.test(key)).map(([section]) => section);
}

/** The section a short title-like heading names, if it names one. */
export function titleHeadingSection(text: string): Section | null {
  const key = headingKey(text);
  if (splitCount(key) > 9) return null;
  for (const [section, re] of TITLE_HEADINGS) if (re.test(key)) return section;
  return null;
}

const STOP_RES = [
  /identified above will be\b/,
  /\bwill be (specifically )?(considered|followed up|reviewed|evaluated) (in|at|during) (any|the|your) (future|next|subsequent)\b/,
  /^yours\s+(sincerely|faithfully|truly)\b/,
  /^(kind |best |with best )?regards\b/,
  /^(copy|copies|cc)( to)?\s*:/,
  /^(copy|copies|cc)( to)?$/,
  /^dear\s/,
  // The closing paragraphs other letters end with, in place of "identified above will be…".
  /^(i|we) (would|should) (like to |also like to )?thank\b/,
  /\bwill contribute to (ofsted'?s |the |our )?annual (review|rating|performance)\b/,
  /^a copy of this letter (has been|is being|will be|is) (sent|copied|published)\b/,
  /^this letter (will be|is being|has been) (published|placed|sent|copied)\b/,
  /^(we|i|inspectors|ofsted) will (consider|follow up|look at|review|return to)\b.*\b(next|future|subsequent) (annual )?(unannounced )?(inspection|visit)s?\b/,
  /^if you have any (questions|queries|comments)\b/,
  // A signature block without its "Yours sincerely": the signatory's role ends the findings.
  /^(her|his) majesty'?s (chief )?inspector( of [a-z ]+)?\.?$/,
  /^(hmi|lead inspector|divisional manager|regional director)(,? [a-z ,']+)?\.?$/,
];

const RESPONSE_RES = [
  /\bfollowed up\b/,
  /\bstrateg(y|ies) (is|are) in place\b/,
  /\bas regards\b/,
  /\bin response to (the|these|this)\b/,
  /\b(our|the council's|the trust's) (response|action plan)\b/,
  /\b(have|has) been (addressed|actioned)\b/,
  /^(summary|conclusions?|response|next steps|actions?( taken| planned)?|action plan|recommendations?)$/,
];

/** True for a short line in title case or capitals that heads something other than a section. */
function isOtherHeading(paragraph: Paragraph): boolean {
  if (paragraph.bullet || paragraph.lines.length > 2) return false;
  const text = paragraph.text.replace(/[:.]$/, '');
  const words = text.split(/\s+/);
  if (words.length > 7 || /[.!?;,]$/.test(paragraph.text)) return false;
  if (paragraph.number !== null && !paragraph.number.includes('.') && words.length <= 6)
    return true;
  return isTitleCase(text);
}

/** True when every content word of a text is capitalised ("FINDINGS OF THE INSPECTION"). */
function isTitleCase(text: string): boolean {
  const content = text.split(/\s+/).filter((w) => !STOPWORDS.has(w.toLowerCase()));
  if (content.length === 0) return false;
  const capitalised = content.filter((w) => /^[A-Z0-9("'‘“]/.test(w)).length;
  return capitalised === content.length && /[A-Za-z]/.test(text);
}

/** True for a council report's numbered part heading ("3. Summary") or a named part. */
function opensNewPart(paragraph: Paragraph): boolean {
  if (paragraph.number !== null && !paragraph.number.includes('.')) return true;
  return /^(background|introduction|summary|conclusions?|recommendations?|next steps|appendix|response|actions?|inspection findings|findings)\b/i.test(
    paragraph.text,
  );
}

/**
 * Groups lines into paragraphs: a bullet, a number or a blank line starts a new one. `words`, the
 * document's own ({@link documentWords}), decides the hyphens at line ends.
 */
export function groupParagraphs(
  lines: Line[],
  words: ReadonlySet<string> = documentWords(lines),
): Paragraph[] {
  const paragraphs: Paragraph[] = [];
  let current: Paragraph | null = null;
  let gap = true;
  let pageBreak = false;
  const unwrapped = isUnwrapped(lines);
  const width = unwrapped ? null : wrapWidth(lines);
  const dense = width === null ? new Set<Line>() : denseUnmarkedLists(lines);
  let previous: Line | null = null;
  for (const line of lines) {
    const inDenseList = previous !== null && dense.has(previous) && dense.has(line);
    if (line.blank) {
      if (current) paragraphs.push(current);
      current = null;
      gap = true;
      pageBreak ||= line.pageBreak;
      continue;
    }
    const opensNew =
      current === null ||
      (unwrapped && !/^[a-z]/.test(line.text)) ||
      (width !== null &&
        previous !== null &&
        // Where items have their marks, the marks divide them: an indented line goes on the item.
        !(current?.bullet === true && isIndented(line)) &&
        (endedShort(previous, line, width, inDenseList) ||
          (inDenseList && sentenceEndsItem(previous, line)))) ||
      line.bullet ||
      line.number !== null ||
      (titleHeadingSection(line.text) !== null && !wrapsOnto(current.text, line.text)) ||
      (current.lines.length === 1 && titleHeadingSection(current.text) !== null);
    if (opensNew) {
      if (current) paragraphs.push(current);
      current = {
        lines: [line],
        text: line.text,
        bullet: line.bullet,
        number: line.number,
        afterGap: gap,
        afterPageBreak: pageBreak,
      };
    } else if (current) {
      current.lines.push(line);
      current.text = joinFragments(current.text, line.text, words);
    }
    gap = false;
    pageBreak = false;
    previous = line;
  }
  if (current) paragraphs.push(current);
  return paragraphs;
}

/**
 * The column where a hard-wrapped document's full lines end (most of its long lines end at or
 * before it), or null when too few lines tell or when columns mean nothing: only text laid out
 * in columns (`pdftotext -layout`, where indented blocks keep their indent) places a line's end
 * where the page did; elsewhere a line's length in characters depends on its letters' widths.
 */
function wrapWidth(lines: Line[]): number | null {
  const text = lines.filter((line) => !line.blank);
  const indented = text.filter(isIndented).length;
  if (indented < Math.max(4, text.length * 0.15)) return null;
  const ends = lines
    .filter((line) => !line.blank && line.text.length >= 40)
    .map((line) => line.raw.trimEnd().length)
    .sort((a, b) => a - b);
  if (ends.length < 8) return null;
  return ends[Math.floor(ends.length * 0.9)] ?? null;
}

/**
 * Lines of lists laid out with no marks and no gaps (`pdftotext -layout` of a browser's print,
 * whose bullets are drawn): six or more indented lines in a row, none with a mark.
 */
function denseUnmarkedLists(lines: Line[]): Set<Line> {
  const dense = new Set<Line>();
  let run: Line[] = [];
  const close = () => {
    if (run.length >= 6 && run.every((line) => !line.bullet && line.number === null))
      for (const line of run) dense.add(line);
    run = [];
  };
  for (const line of lines) {
    if (!line.blank && isIndented(line)) run.push(line);
    else close();
  }
  close();
  return dense;
}

/**
 * In such a list a sentence that ends at the end of a line and a capital that opens the next
 * start a new item: nothing else tells items apart there (an item's own sentences that happen
 * to break at a line's end are split too, the lesser loss).
 */
function sentenceEndsItem(previous: Line, line: Line): boolean {
  return /[.!?]["'’”)\]]*$/.test(previous.text) && /^[A-Z]/.test(line.text);
}

/** True for a line set in from the margin by two spaces or more, as column layouts keep them. */
function isIndented(line: Line): boolean {
  return /^ {2,}\S/.test(line.raw);
}

/**
 * True when a hard-wrapped line was ended before the edge on purpose: the next line's first word
 * would have fitted after it with room to spare (a little after a full stop or colon, a lot
 * otherwise, as column positions from a proportional font are approximate), unless it starts
 * in lower case after an unfinished sentence (in a list without marks or gaps, a capital after
 * any line that stops short). Text from a PDF whose list marks were drawn, not written,
 * separates its items only so.
 */
function endedShort(previous: Line, line: Line, width: number, denseList: boolean): boolean {
  if (previous.blank) return false;
  const end = previous.raw.trimEnd().length;
  const firstWord = /^\S+/.exec(line.text)?.[0].length ?? 0;
  const room = width - (end + 1 + firstWord);
  const terminal = /[.!?:;]["'’”)\]]*$/.test(previous.text);
  // A lower-case word after an unfinished sentence goes on with it, wherever the line broke.
  if (!terminal && /^[a-z]/.test(line.text)) return false;
  return room > width * (terminal || (denseList && /^[A-Z]/.test(line.text)) ? 0.03 : 0.08);
}

/**
 * True when the document is not hard-wrapped (several lines run past any page width): then every
 * line is a paragraph of its own, even without a blank line between, unless it reads as the rest
 * of the line before.
 */
function isUnwrapped(lines: Line[]): boolean {
  return lines.filter((line) => line.text.length > 150).length >= 3;
}

/** True when a line reads as the wrapped rest of the text before it rather than a heading. */
function wrapsOnto(before: string, line: string): boolean {
  // After a finished sentence or a lead-in's colon, "Strengths." is a heading with a full stop.
  if (/[.!?:]$/.test(before)) return false;
  return /[.;,]$/.test(line) || /^[a-z]/.test(line);
}

/** The words a document uses, lower-cased, hyphenated compounds whole ("multi-agency"). */
export function documentWords(lines: readonly Line[]): Set<string> {
  const words = new Set<string>();
  for (const line of lines)
    for (const word of line.text.toLowerCase().match(/[a-z]+(?:-[a-z]+)*/g) ?? []) words.add(word);
  return words;
}

/**
 * Joins two wrapped fragments. A hyphen that a line break split is kept ("multi-" + "agency",
 * "Multi-" + "Agency"), unless the rest is in lower case and the document uses the word whole
 * elsewhere and never with that hyphen: then the hyphen was the typesetter's ("assess-" + "ment",
 * as a hyphenating layout breaks a word).
 */
export function joinFragments(left: string, right: string, words?: ReadonlySet<string>): string {
  if (!/[A-Za-z]-$/.test(left) || !/^[A-Za-z]/.test(right)) return `${left} ${right}`;
  const before = (/([A-Za-z]+)-$/.exec(left)?.[1] ?? '').toLowerCase();
  const after = /^[a-z]+/.exec(right)?.[0] ?? '';
  if (after !== '' && words?.has(before + after) && !words.has(`${before}-${after}`))
    return left.slice(0, -1) + right;
  return left + right;
}

const DANGLING_END =
  /\b(the|a|an|of|to|and|or|in|with|for|by|on|at|from|that|which|who|as|between|their|its|is|are|was|were|be|been|not|than|but|including|such|into|within|this|these|those|whose|where|when|while|has|have|had)$/i;

/** True when `next` reads as the rest of `previous`, split by a page break or a stray blank line. */
function continues(previous: Paragraph, next: Paragraph): boolean {
  if (next.bullet || next.number !== null) return false;
  if (/^[a-z]/.test(next.text)) return true;
  const unterminated = !/[.!?:;)"'’”]$/.test(previous.text);
  if (unterminated && DANGLING_END.test(previous.text)) return true;
  // Across a page break (a form feed, a page number, a running header) a bullet goes on until
  // the next bullet: exported letters do not start a new finding at the top of a page unmarked.
  // A short title-case line after a finished sentence is the next page's running header
  // ("Kent County Council      Ofsted"), not the rest of the bullet.
  return next.afterPageBreak && previous.bullet && (unterminated || !isOtherHeading(next));
}

/**
 * True when a bullet is an item of a list that the finding before it introduces ("…are not
 * properly safeguarded. In particular:" then "strategy discussions are not always held"): it
 * starts in lower case, and the finding ends in a colon or has taken in such items already.
 * Converters that flatten nested lists (Word to HTML, PDF to text) leave them so.
 */
function isSubItem(previous: Paragraph, next: Paragraph): boolean {
  if (!next.bullet || !/^[a-z]/.test(next.text)) return false;
  return /:$/.test(previous.text) || previous.subList === true;
}

/** What a paragraph does in the letter's structure. */
type Role =
  | { kind: 'heading'; section: Section }
  | { kind: 'lead-in'; clears: boolean }
  | { kind: 'stop' }
  | { kind: 'end-of-findings' }
  | { kind: 'other-heading' }
  | { kind: 'inline'; section: Section }
  | { kind: 'body' };

/** Decides a paragraph's role from its wording and the kind of document it is in. */
function classify(paragraph: Paragraph, kind: DocumentKind, open: Section | null): Role {
  const key = headingKey(paragraph.text);
  const folded = foldForMatching(paragraph.text).toLowerCase();
  if (!paragraph.bullet) {
    const title = titleHeadingSection(paragraph.text);
    if (title) return { kind: 'heading', section: title };
    if (STOP_RES.some((re) => re.test(folded))) return { kind: 'stop' };
    if (kind === 'council_report' && RESPONSE_RES.some((re) => re.test(key)))
      return { kind: 'end-of-findings' };
  }
  const words = splitCount(paragraph.text);
  const cues = sectionCues(paragraph.text);
  // "… in the following areas." with a full stop still introduces the list under it.
  const introduces =
    /:$/.test(paragraph.text) ||
    (/\b(the following|in particular|as follows)\b/.test(folded) &&
      !/[.!?]$/.test(paragraph.text)) ||
    /\b(the following( areas| ways| respects| aspects)?|as follows)\.$/.test(folded) ||
    // "The following strengths were identified." and "Inspectors identified the following
    // areas for development." head a list with a full stop too.
    (/^(the following|(the )?(inspection|inspectors?|inspection team|we|ofsted) (has |have )?(identified|found|noted|judged|saw) the following)\b/.test(
      folded,
    ) &&
      /\b(were|was|are|is) (identified|noted|found|judged|seen)\.$|\bthe following [a-z ]+\.$|\b(require|requires|need|needs) (further )?(development|improvement)\.$/.test(
        folded,
      ) &&
      words <= 16);
  // A lead-in is one sentence; a finding of several that ends in a colon introduces its own list
  // ("… are not properly safeguarded. In particular:"), whose items a Word file or a PDF may
  // give as plain paragraphs.
  const ownList =
    !paragraph.bullet && cues.length === 0 && open !== null && /[.!?]\s+\S/.test(paragraph.text);
  if (introduces && words <= 45 && (!paragraph.bullet || cues.length > 0) && !ownList) {
    if (cues.length === 1 && cues[0]) return { kind: 'heading', section: cues[0] };
    return { kind: 'lead-in', clears: cues.length > 1 };
  }
  // Text from a PDF may run the lead-in on from the paragraph before it, with no gap between:
  // a last sentence that introduces one section's list opens that section.
  if (introduces && !paragraph.bullet && open === null) {
    const last = paragraph.text.split(/(?<=[.!?])\s+(?=[A-Z])/).pop() ?? '';
    const lastCues = last === paragraph.text ? [] : sectionCues(last);
    if (/:$/.test(last) && splitCount(last) <= 45 && lastCues.length > 0) {
      if (lastCues.length === 1 && lastCues[0]) return { kind: 'heading', section: lastCues[0] };
      return { kind: 'lead-in', clears: true };
    }
  }
  // A list under a lead-in may be numbered 1, 2, 3 in a report whose own parts are numbered:
  // an item reads as a sentence, a part's heading ("4. RESPONSE") as a short title.
  if (
    kind === 'council_report' &&
    open !== null &&
    paragraph.number !== null &&
    !paragraph.number.includes('.') &&
    splitCount(paragraph.text) > 3 &&
    !isTitleCase(paragraph.text.replace(/[:.]$/, ''))
  )
    return { kind: 'body' };
  if (!paragraph.bullet && isOtherHeading(paragraph)) return { kind: 'other-heading' };
  if (!paragraph.bullet) {
    // A paragraph that names its own verdict ("… was noted as a strength") is a finding.
    if (
      /\b(noted|identified|recognised|seen|highlighted|judged) as (a |an )?(particular )?strength/.test(
        folded,
      )
    )
      return { kind: 'inline', section: 'strength' };
    // A council's report states verdicts in numbered paragraphs ("2.2 Areas for priority action
    // included …"); an unnumbered line inside an open list is one of the list's items.
    const standsAlone = paragraph.number !== null || open === null;
    if (kind === 'council_report' && standsAlone && cues.length === 1 && cues[0])
      return { kind: 'inline', section: cues[0] };
    if (kind === 'council_report' && paragraph.number !== null) return { kind: 'other-heading' };
  }
  return { kind: 'body' };
}

const RUN_IN_HEADING_RE = /^([^:]{3,60}):\s+(?=\S)/;

/**
 * A section named at the head of its first item's line ("Strengths: The council has…", as some
 * letters and council reports run it in): the heading and the item as two lines, the item a list
 * item, so that it is read as the other items are.
 */
function splitRunInHeadings(lines: Line[]): Line[] {
  const out: Line[] = [];
  for (const line of lines) {
    const match = line.bullet || line.blank ? null : RUN_IN_HEADING_RE.exec(line.text);
    const rest = match ? line.text.slice(match[0].length) : '';
    // "Areas for priority action: none identified." names the section and says it is empty.
    const none = NONE_RE.test(foldForMatching(rest).toLowerCase());
    if (!match || titleHeadingSection(match[1]!) === null || (splitCount(rest) < 4 && !none)) {
      out.push(line);
      continue;
    }
    const content = line.raw.slice(line.contentStart - line.start);
    const colon = content.indexOf(':');
    let after = colon + 1;
    while (after < content.length && /[\s*_]/.test(content.charAt(after))) after += 1;
    if (colon < 0 || after >= content.length) {
      out.push(line);
      continue;
    }
    out.push({ ...line, contentEnd: line.contentStart + colon, text: match[1]!.trim() });
    out.push({
      ...line,
      contentStart: line.contentStart + after,
      text: rest,
      bullet: !none,
      number: null,
    });
  }
  return out;
}

/**
 * Finds the letter's sections and returns the paragraphs that stand in them, in document order.
 * Headings, lead-ins, sign-offs and (in a council's report) its own response are left out; the
 * headings met, with what stood under each, are pushed to `headings` when it is given.
 */
export function findSections(
  source: string,
  kind: DocumentKind,
  headings?: SectionHeading[],
): SectionedParagraph[] {
  const lines = splitRunInHeadings(splitLines(source));
  const words = documentWords(lines);
  const paragraphs = groupParagraphs(lines, words);
  const out: SectionedParagraph[] = [];
  let section: Section | null = null;
  let last: SectionedParagraph | null = null;
  let heading: SectionHeading | null = null;
  for (const paragraph of paragraphs) {
    const role = classify(paragraph, kind, section);
    const mayContinue = !['heading', 'stop', 'end-of-findings'].includes(role.kind);
    if (last && mayContinue && isSubItem(last.paragraph, paragraph)) {
      mergeInto(last.paragraph, paragraph, words);
      last.paragraph.subList = true;
      continue;
    }
    if (last && mayContinue && paragraph.afterGap && continues(last.paragraph, paragraph)) {
      mergeInto(last.paragraph, paragraph, words);
      continue;
    }
    if (role.kind === 'end-of-findings') break;
    last = null;
    switch (role.kind) {
      case 'heading':
        // A heading repeated before anything stands under it ("Strengths", then "The strengths
        // identified were:") is one heading.
        if (!isBareHeading(heading, role.section)) {
          heading = { section: role.section, text: paragraph.text, findings: 0, notes: 0 };
          headings?.push(heading);
        }
        section = role.section;
        break;
      case 'lead-in':
        if (role.clears) section = null;
        break;
      case 'stop':
        section = null;
        break;
      case 'other-heading':
        // In a letter a stray title-case line inside a list is a running header or a signature;
        // in a council's report it opens the next part ("3. Summary").
        if (kind === 'council_report' && opensNewPart(paragraph)) section = null;
        break;
      case 'inline':
        last = { section: role.section, paragraph };
        out.push(last);
        if (heading) heading.findings += 1;
        section = kind === 'council_report' ? null : section;
        break;
      case 'body':
        if (section && !isNonFinding(paragraph)) {
          last = { section, paragraph };
          out.push(last);
          if (heading) heading.findings += 1;
        } else if (heading) heading.notes += 1;
        break;
    }
    if (section === null) heading = null;
  }
  return out;
}

// Letterhead and address lines: a postcode, a telephone or fax number, an e-mail or web address.
const POSTCODE_RE = /\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b/;
const CONTACT_RE =
  /^(direct )?(t|f|tel|fax|telephone|minicom|textphone)\b\.?:? ?[+(\d]|\S+@\S+\.\S+|\bwww\.\S+|https?:\/\//i;

/** True for a letterhead or address line that has strayed into a section (a PDF's columns). */
function isAddressLine(paragraph: Paragraph): boolean {
  if (/[.!?;]$/.test(paragraph.text) || splitCount(paragraph.text) > 12) return false;
  return POSTCODE_RE.test(paragraph.text) || CONTACT_RE.test(paragraph.text);
}

/** A section's placeholder for nothing ("None", "None identified."), folded and lower case. */
const NONE_RE = /^(none|nil|n\/a|not applicable)( identified| were identified| noted)?\.?$/;

/** True for text that stands in a section without being a finding: "None", a running title. */
function isNonFinding(paragraph: Paragraph): boolean {
  if (isAddressLine(paragraph)) return true;
  const folded = foldForMatching(paragraph.text).toLowerCase();
  if (NONE_RE.test(folded)) return true;
  if (
    /\b(no|none of the) (areas? for (development|priority action)|priority actions?|strengths?)\b|\bthere (were|are) no (areas|issues|priority)\b/.test(
      folded,
    ) &&
    splitCount(paragraph.text) <= 20
  )
    return true;
  return !paragraph.bullet && !/[.!?]$/.test(paragraph.text) && INSPECTION_NAME_RE.test(folded);
}

/** Appends a continuation paragraph to the paragraph it continues. */
function mergeInto(target: Paragraph, continuation: Paragraph, words: ReadonlySet<string>): void {
  target.lines.push(...continuation.lines);
  target.text = joinFragments(target.text, continuation.text, words);
}
