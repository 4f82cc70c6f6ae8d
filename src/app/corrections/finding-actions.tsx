import { useId, useState, type FormEvent } from 'react';
import { SECTION_HEADINGS, SECTIONS, type Section } from '@/core/schema';
import { citation, findingHref, provenanceLine, type FindingSource } from '@/lib/citation';
import { SimilarFindings } from '@/app/search/similar-findings';
import { isUserThemeId } from '@/core/search/saved-themes';
import { addCorrection, undoCorrection } from './corrections-store';
import { describeCorrection } from './describe-correction';
import { useUserCorrections } from './use-user-corrections';
import './corrections.css';

/** A theme as the finding carries it now, and who gave it. */
export interface ActionTheme {
  theme_id: string;
  label: string;
  /** `tagger`, `reviewed` (a published correction) or `you` (this browser); null: the tagger. */
  source?: string | null;
}

/** What the actions need of a finding. */
export interface ActionFinding extends FindingSource {
  finding_key: string | null;
  text: string;
  themes: readonly ActionTheme[];
}

async function copy(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

/** "Cite": the reference to paste and the link to the finding, each with a copy button. */
function CiteBox({ finding }: { finding: ActionFinding }) {
  const [copied, setCopied] = useState<string | null>(null);
  const text = citation(finding);
  const href = findingHref(finding, window.location.href);
  const citeId = useId();
  return (
    <div className="finding-cite" data-testid="finding-cite">
      <label htmlFor={citeId}>Reference</label>
      <textarea id={citeId} readOnly rows={3} value={text} onFocus={(e) => e.target.select()} />
      <p>
        <button
          type="button"
          className="button"
          onClick={() =>
            void copy(text).then((ok) =>
              setCopied(ok ? 'Reference copied.' : 'Select the reference and copy it.'),
            )
          }
        >
          Copy reference
        </button>{' '}
        <button
          type="button"
          className="button"
          onClick={() =>
            void copy(href).then((ok) =>
              setCopied(ok ? 'Link copied.' : 'Copy the link from the address below.'),
            )
          }
        >
          Copy link
        </button>{' '}
        <a href={href} data-testid="finding-cite-link">
          Link to this finding
        </a>
      </p>
      <p className="finding-provenance">{provenanceLine(finding)}</p>
      <p role="status">{copied}</p>
    </div>
  );
}

type Action = 'remove_theme' | 'add_theme' | 'move_section';

/** "Correct": remove a theme, add one or move the finding, with a reason; undo what you did. */
function CorrectBox({
  finding,
  allThemes,
}: {
  finding: ActionFinding;
  allThemes: readonly ActionTheme[];
}) {
  const key = finding.finding_key;
  const [action, setAction] = useState<Action>('remove_theme');
  const [theme, setTheme] = useState('');
  const [section, setSection] = useState<Section | ''>('');
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const mine = useUserCorrections().filter((c) => c.finding_key === key);
  const labels = new Map(allThemes.map((t) => [t.theme_id, t.label]));
  const ids = { action: useId(), value: useId(), reason: useId() };
  if (!key)
    return (
      <p className="finding-correct">
        This finding was published without a finding key (data older than version 1.3), so it cannot
        be corrected here.
      </p>
    );
  const has = new Set(finding.themes.map((t) => t.theme_id));
  // A saved theme's tags follow its search, not corrections: only the taxonomy's are offered.
  const choices = (
    action === 'remove_theme'
      ? finding.themes
      : action === 'add_theme'
        ? allThemes.filter((t) => !has.has(t.theme_id))
        : []
  ).filter((t) => !isUserThemeId(t.theme_id));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const why = reason.trim();
    if (!why) return setProblem('Say why: the reason goes with the correction.');
    const base = {
      finding_key: key,
      reason: why,
      finding_text: finding.text.slice(0, 120),
    };
    if (action === 'move_section') {
      if (!section || section === finding.section)
        return setProblem('Choose a section other than the one it is under.');
      addCorrection({ action, section, ...base });
    } else {
      if (!theme) return setProblem('Choose a theme.');
      addCorrection({ action, theme_id: theme, ...base });
    }
    setProblem(null);
    setReason('');
    setTheme('');
    setSection('');
  };
  return (
    <div className="finding-correct" data-testid="finding-correct">
      <form onSubmit={submit}>
        <p>
          <label htmlFor={ids.action}>Correction</label>{' '}
          <select
            id={ids.action}
            value={action}
            onChange={(e) => {
              setAction(e.target.value as Action);
              setTheme('');
            }}
          >
            <option value="remove_theme">Remove a theme</option>
            <option value="add_theme">Add a theme</option>
            <option value="move_section">Move to another section</option>
          </select>{' '}
          <label htmlFor={ids.value}>{action === 'move_section' ? 'Section' : 'Theme'}</label>{' '}
          {action === 'move_section' ? (
            <select
              id={ids.value}
              value={section}
              onChange={(e) => setSection(e.target.value as Section)}
            >
              <option value="">Choose…</option>
              {SECTIONS.filter((s) => s !== finding.section).map((s) => (
                <option key={s} value={s}>
                  {SECTION_HEADINGS[s]}
                </option>
              ))}
            </select>
          ) : (
            <select id={ids.value} value={theme} onChange={(e) => setTheme(e.target.value)}>
              <option value="">Choose…</option>
              {choices.map((t) => (
                <option key={t.theme_id} value={t.theme_id}>
                  {t.label}
                </option>
              ))}
            </select>
          )}
        </p>
        <p>
          <label htmlFor={ids.reason}>Reason</label>{' '}
          <input
            id={ids.reason}
            type="text"
            value={reason}
            maxLength={1000}
            onChange={(e) => setReason(e.target.value)}
          />{' '}
          <button type="submit" className="button">
            Save correction
          </button>
        </p>
        {problem && <p role="alert">{problem}</p>}
      </form>
      {mine.length > 0 && (
        <ul className="corrections-list" aria-label="Your corrections of this finding">
          {mine.map((c) => (
            <li key={c.id}>
              {describeCorrection({ ...c, finding_text: undefined }, labels)}{' '}
              <button type="button" className="link-button" onClick={() => undoCorrection(c.id)}>
                Undo<span className="visually-hidden"> this correction</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** A finding's "Cite", "Correct" and "Findings like this" actions, each opened in place. */
export function FindingActions({
  finding,
  allThemes,
}: {
  finding: ActionFinding;
  /** Every theme of the taxonomy, to add one. */
  allThemes: readonly ActionTheme[];
}) {
  const [open, setOpen] = useState<'cite' | 'correct' | 'similar' | null>(null);
  const toggle = (which: 'cite' | 'correct' | 'similar') => setOpen(open === which ? null : which);
  return (
    <div className="finding-actions">
      <button
        type="button"
        className="link-button"
        aria-expanded={open === 'cite'}
        onClick={() => toggle('cite')}
      >
        Cite
      </button>{' '}
      <button
        type="button"
        className="link-button"
        aria-expanded={open === 'correct'}
        onClick={() => toggle('correct')}
      >
        Correct
      </button>{' '}
      <button
        type="button"
        className="link-button"
        aria-expanded={open === 'similar'}
        onClick={() => toggle('similar')}
      >
        Findings like this
      </button>
      {open === 'cite' && <CiteBox finding={finding} />}
      {open === 'correct' && <CorrectBox finding={finding} allThemes={allThemes} />}
      {open === 'similar' && <SimilarFindings findingId={finding.finding_id} />}
    </div>
  );
}

/** A theme tag's origin in words, or null for the tagger's own. */
export function tagOrigin(source: string | null | undefined): string | null {
  if (source === 'you') return 'corrected by you';
  if (source === 'reviewed') return 'reviewed';
  return null;
}
