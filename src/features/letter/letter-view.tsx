import './letter-view.css';
import { Fragment, useEffect, useMemo, type ReactNode } from 'react';
import { AppLink } from '@/app/app-link';
import { MissingLetters } from '@/app/missing-letters';
import { hrefFor, navigate, useSearchParams, withParams } from '@/app/url-state';
import type { Section } from '@/core/schema';
import { AddedBadge } from '@/lib/added-badge';
import { formatDate } from '@/lib/format';
import { ParseWarnings } from '@/lib/parse-warnings';
import { noRows, QueryState } from '@/lib/query-state';
import { FindingActions, tagOrigin, type ActionTheme } from '@/app/corrections/finding-actions';
import { letterBlocks, type LetterBlock, type Run, type TextPart } from './letter-blocks';
import { LetterPicker } from './letter-picker';
import { documentKindLabel } from './letter-search';
import type { LetterDetailRow, LetterSpanRow, LetterSpanTheme } from './letter-sql';
import { useLetter, useLetterList, useThemeChoices } from './letter-queries';

/** A finding's section, as one finding is called. */
export const FINDING_SECTION_LABELS: Record<Section, string> = {
  strength: 'Strength',
  satisfactory: 'Satisfactory',
  development: 'Area for development',
  priority_action: 'Priority action',
};

/**
 * The finding a `finding` parameter names: its position in the letter (`3`, as links write it)
 * or its whole id (`north-yorkshire-2009-06-30#3`, as older links did).
 */
export function focusedFindingId(
  letterId: string,
  finding: string | undefined,
): string | undefined {
  if (!finding) return undefined;
  return /^\d+$/.test(finding) ? `${letterId}#${Number(finding)}` : finding;
}

/** The letter view: find a letter, then read it with every finding marked and labelled. */
export function LetterView() {
  const params = useSearchParams();
  const letterId = params.get('letter') ?? undefined;
  const focus = letterId
    ? focusedFindingId(letterId, params.get('finding') ?? undefined)
    : undefined;
  const list = useLetterList();
  const letter = useLetter(letterId);
  const themeChoices = useThemeChoices();
  return (
    <div className="view letter">
      <QueryState query={list} label="letters" isEmpty={noRows}>
        {(rows) => (
          <LetterPicker
            rows={rows}
            selected={letterId}
            onPick={(id) =>
              navigate(hrefFor(withParams(params, { letter: id, finding: undefined })))
            }
          />
        )}
      </QueryState>
      {letterId && letter.data?.letter === null ? (
        // A link to a letter added in another browser (or mistyped): said in words, with a way
        // to add it here.
        <MissingLetters ids={[letterId]} showChecking />
      ) : letterId ? (
        <QueryState query={letter} label="the letter">
          {(data) => (
            <LetterText
              letter={data.letter!}
              spans={data.spans}
              focus={focus}
              allThemes={themeChoices.data}
            />
          )}
        </QueryState>
      ) : (
        <p className="state state-empty">Find a letter to read it with its findings marked.</p>
      )}
    </div>
  );
}

/** A theme's confidence in words, for a tag's title and its accessible description. */
function confidenceText(theme: LetterSpanTheme): string {
  return theme.confidence === null
    ? 'the tagger was not sure of this theme'
    : `the tagger's confidence in this theme is ${theme.confidence.toFixed(2)} of 1, below its threshold for a sure tag`;
}

/** A finding's number, section, themes (uncertain ones marked) and whether it was raised before. */
function FindingLabel({ span }: { span: LetterSpanRow }) {
  const themes =
    span.themes ?? span.theme_labels.map((label) => ({ label, uncertain: null, confidence: null }));
  return (
    <span className="span-label">
      <span className="span-section">
        <FocusLink span={span}>
          <span className="visually-hidden">Finding </span>
          {span.position}
        </FocusLink>
        . {FINDING_SECTION_LABELS[span.section]}
      </span>
      {span.previously_identified && (
        <span className="span-previous">raised at the previous inspection</span>
      )}
      {themes.length > 0 && <span className="visually-hidden">; themes: </span>}
      {themes.map((theme, i) => (
        <Fragment key={`${theme.label}-${i}`}>
          {i > 0 && <span className="visually-hidden">, </span>}
          {theme.uncertain ? (
            <span className="span-theme uncertain" title={`Uncertain: ${confidenceText(theme)}`}>
              {theme.label} <span className="uncertain-flag">uncertain</span>
              <span className="visually-hidden"> ({confidenceText(theme)})</span>
            </span>
          ) : (
            <span className="span-theme">
              {theme.label}
              {tagOrigin(theme.source) && (
                <span className="tag-origin"> ({tagOrigin(theme.source)})</span>
              )}
            </span>
          )}
        </Fragment>
      ))}
      <span className="visually-hidden">: </span>
    </span>
  );
}

/** A link that selects a finding (its actions open under it), as the index's links do. */
function FocusLink({ span, children }: { span: LetterSpanRow; children: ReactNode }) {
  const params = useSearchParams();
  return (
    <AppLink
      className="span-focus-link"
      params={withParams(params, { finding: String(span.position) })}
    >
      {children}
    </AppLink>
  );
}

/** The letter and themes a finding's actions need. */
interface ActionContext {
  letter: LetterDetailRow;
  allThemes: readonly ActionTheme[];
}

/** The selected finding's Cite and Correct actions, under its text. */
function FocusedFinding({ span, context }: { span: LetterSpanRow; context: ActionContext }) {
  const { letter } = context;
  return (
    <div className="letter-finding-actions" data-testid="letter-finding-actions">
      <FindingActions
        finding={{
          finding_id: span.finding_id,
          letter_id: letter.letter_id,
          document_kind: letter.document_kind,
          council_name: letter.council_name,
          letter_date: letter.letter_date,
          inspection_start: letter.inspection_start,
          source_file: letter.source_file,
          added: letter.added,
          section: span.section,
          section_position: span.section_position,
          position: span.position,
          page: span.page,
          finding_key: span.finding_key,
          text: span.text,
          themes: (span.themes ?? []).map((t) => ({
            theme_id: t.theme_id,
            label: t.label,
            source: t.source,
          })),
        }}
        allThemes={context.allThemes}
      />
    </div>
  );
}

/** The selected finding among a block's runs, if it is there. */
function focusedIn(
  runs: readonly Run[],
  spans: readonly LetterSpanRow[],
  focus: string | undefined,
): LetterSpanRow | undefined {
  if (!focus) return undefined;
  for (const run of runs) {
    const span = run.finding === null ? undefined : spans[run.finding];
    if (span?.finding_id === focus) return span;
  }
  return undefined;
}

/** A finding's marked text: its label, then the words, with an anchor to land on. */
function FindingMark({
  span,
  focused,
  whole,
  children,
}: {
  span: LetterSpanRow;
  focused: boolean;
  /** The finding is its block's whole text: marked as a box, its label on a line above. */
  whole: boolean;
  children: ReactNode;
}) {
  return (
    <mark
      id={`finding-${span.position}`}
      tabIndex={-1}
      className={`letter-span section-${span.section}${whole ? ' whole' : ''}${focused ? ' focused' : ''}`}
      data-finding={span.finding_id}
      data-position={span.position}
    >
      <FindingLabel span={span} />
      <span className="span-text">{children}</span>
    </mark>
  );
}

function Parts({ parts }: { parts: readonly TextPart[] }) {
  return (
    <>
      {parts.map((part, i) =>
        part.br ? (
          <br key={i} />
        ) : part.sep ? (
          <span key={i} className="letter-gap">
            {' '}
          </span>
        ) : part.strong ? (
          <strong key={i}>{part.text}</strong>
        ) : (
          <Fragment key={i}>{part.text}</Fragment>
        ),
      )}
    </>
  );
}

/** A block's runs: plain text, and each finding's text marked. */
function Runs({
  runs,
  spans,
  focus,
}: {
  runs: readonly Run[];
  spans: readonly LetterSpanRow[];
  focus: string | undefined;
}) {
  return (
    <>
      {runs.map((run, i) => {
        const span = run.finding === null ? undefined : spans[run.finding];
        if (!span) return <Parts key={i} parts={run.parts} />;
        return (
          <FindingMark
            key={i}
            span={span}
            focused={span.finding_id === focus}
            whole={runs.length === 1}
          >
            <Parts parts={run.parts} />
          </FindingMark>
        );
      })}
    </>
  );
}

type Rendered = LetterBlock | { kind: 'list'; list: 'bullet' | 'number'; items: LetterBlock[] };

/** Consecutive items of one kind become one list. */
function withLists(blocks: readonly LetterBlock[]): Rendered[] {
  const out: Rendered[] = [];
  for (const block of blocks) {
    const last = out[out.length - 1];
    if (block.kind === 'item') {
      if (last?.kind === 'list' && last.list === block.list) last.items.push(block);
      else out.push({ kind: 'list', list: block.list, items: [block] });
    } else out.push(block);
  }
  return out;
}

/** The letter's text as headings, paragraphs, lists and page turns, findings marked in place. */
function LetterBody({
  source,
  spans,
  focus,
  context,
}: {
  source: string;
  spans: readonly LetterSpanRow[];
  focus: string | undefined;
  context: ActionContext;
}) {
  const actionsFor = (runs: readonly Run[]) => {
    const span = focusedIn(runs, spans, focus);
    return span ? <FocusedFinding span={span} context={context} /> : null;
  };
  const layout = useMemo(() => letterBlocks(source, spans), [source, spans]);
  const body = withLists(layout.blocks).map((block, i) => {
    switch (block.kind) {
      case 'heading': {
        const Heading = block.level === 1 ? 'h3' : 'h4';
        return (
          <Heading key={i} className={`letter-heading letter-heading-${block.level}`}>
            <Runs runs={block.runs} spans={spans} focus={focus} />
          </Heading>
        );
      }
      case 'paragraph':
        return (
          <Fragment key={i}>
            <p>
              <Runs runs={block.runs} spans={spans} focus={focus} />
            </p>
            {actionsFor(block.runs)}
          </Fragment>
        );
      case 'page':
        return (
          <p key={i} className="page-turn">
            <span>page {block.page}</span>
          </p>
        );
      case 'list': {
        const List = block.list === 'number' ? 'ol' : 'ul';
        return (
          <List key={i} className={`letter-list letter-list-${block.list}`}>
            {block.items.map((item, j) =>
              item.kind === 'item' ? (
                <li key={j}>
                  {item.marker && <span className="item-number">{item.marker}</span>}
                  <span className="item-body">
                    <Runs runs={item.runs} spans={spans} focus={focus} />
                  </span>
                  {actionsFor(item.runs)}
                </li>
              ) : null,
            )}
          </List>
        );
      }
      default:
        return null;
    }
  });
  const unplaced = layout.unplaced.map((i) => spans[i]).filter((s) => s !== undefined);
  return (
    <>
      <div className="letter-body letter-text">{body}</div>
      {unplaced.length > 0 && (
        <section className="letter-unplaced" aria-labelledby="letter-unplaced-heading">
          <h3 id="letter-unplaced-heading">Findings whose place in the text was not found</h3>
          <ul className="letter-list">
            {unplaced.map((span) => (
              <li key={span.finding_id}>
                <FindingMark span={span} focused={span.finding_id === focus} whole>
                  {span.text}
                </FindingMark>
                {span.finding_id === focus && <FocusedFinding span={span} context={context} />}
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}

/**
 * Links to each finding, by section in the letter's order: a link lands on the finding as a
 * "Read it in the letter" link from another view does.
 */
function FindingIndex({ spans, focus }: { spans: readonly LetterSpanRow[]; focus?: string }) {
  const params = useSearchParams();
  const sections = sectionsInOrder(spans);
  if (sections.length === 0) return null;
  return (
    <nav className="letter-index" aria-label="Findings in this letter">
      <ul>
        {sections.map(([section, list]) => (
          <li key={section}>
            <span className={`letter-index-section section-${section}`}>
              {FINDING_SECTION_LABELS[section]}
            </span>
            <ul>
              {list.map((span) => (
                <li key={span.finding_id}>
                  <AppLink
                    params={withParams(params, { finding: String(span.position) })}
                    aria-current={span.finding_id === focus ? 'location' : undefined}
                  >
                    <span className="visually-hidden">Finding </span>
                    {span.position}
                  </AppLink>
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** A letter's findings grouped by section, sections in the order the letter first gives them. */
function sectionsInOrder(spans: readonly LetterSpanRow[]): [Section, LetterSpanRow[]][] {
  const groups = new Map<Section, LetterSpanRow[]>();
  for (const span of [...spans].sort((a, b) => a.position - b.position)) {
    const list = groups.get(span.section) ?? [];
    list.push(span);
    groups.set(span.section, list);
  }
  return [...groups.entries()];
}

/** A letter's whole text with each finding's span marked and labelled by section and themes. */
export function LetterText({
  letter,
  spans,
  focus,
  allThemes,
}: {
  letter: LetterDetailRow;
  spans: readonly LetterSpanRow[];
  /** The finding to land on: its id, or its position in the letter. */
  focus?: string;
  /** Every theme, for a correction to add one; none: no theme can be added. */
  allThemes?: readonly ActionTheme[] | undefined;
}) {
  const focusId = focusedFindingId(letter.letter_id, focus);
  useEffect(() => {
    if (!focusId) return;
    const target = [...document.querySelectorAll<HTMLElement>('.letter-span')].find(
      (element) => element.dataset.finding === focusId,
    );
    target?.scrollIntoView?.({ block: 'center' });
    target?.focus({ preventScroll: true });
  }, [focusId, letter.letter_id]);

  return (
    <article className="panel letter-article" aria-labelledby="letter-heading">
      <h2 id="letter-heading">
        {letter.council_name}, inspected {formatDate(letter.inspection_start)}
        {letter.inspection_end !== letter.inspection_start &&
          ` to ${formatDate(letter.inspection_end)}`}
        {letter.added && <AddedBadge />}
      </h2>
      <dl className="letter-meta">
        <div>
          <dt>Document</dt>
          <dd>{documentKindLabel(letter.document_kind)}</dd>
        </div>
        <div>
          <dt>Letter date</dt>
          <dd>{formatDate(letter.letter_date)}</dd>
        </div>
        <div>
          <dt>Reporting year</dt>
          <dd>{letter.reporting_year}</dd>
        </div>
        <div>
          <dt>Region</dt>
          <dd>{letter.region ?? 'not recognised'}</dd>
        </div>
        <div>
          <dt>Inspector</dt>
          <dd>{letter.inspector ?? '–'}</dd>
        </div>
        <div>
          <dt>Findings</dt>
          <dd data-testid="letter-findings">{spans.length}</dd>
        </div>
        <div>
          <dt>Source file</dt>
          <dd>{letter.source_file}</dd>
        </div>
      </dl>
      <ParseWarnings
        warnings={letter.warnings}
        title={`Read with care: the reader flagged ${letter.warnings.length === 1 ? 'a problem' : `${letter.warnings.length} problems`} in ${letter.source_file}, so findings or dates may be missing or wrong`}
      />
      <FindingIndex spans={spans} focus={focusId} />
      <LetterBody
        source={letter.source_text}
        spans={spans}
        focus={focusId}
        context={{ letter, allThemes: allThemes ?? [] }}
      />
    </article>
  );
}
