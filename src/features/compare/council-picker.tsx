import { useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { MAX_COMPARED_COUNCILS, type CouncilChoiceRow } from './compare-sql';

/** Props of {@link CouncilPicker}. */
export interface CouncilPickerProps {
  choices: readonly CouncilChoiceRow[];
  /** DfE numbers of the chosen councils, in order. */
  selected: readonly number[];
  onChange: (next: number[]) => void;
}

function describe(choice: CouncilChoiceRow): string {
  const letters =
    choice.letters === 0
      ? 'no letter held'
      : `${choice.letters} ${choice.letters === 1 ? 'letter' : 'letters'}`;
  return `${choice.region} · ${letters}`;
}

/**
 * An ARIA 1.2 combobox to add councils (type to narrow, arrows to move, Enter to add, Escape to
 * close) above the list of chosen councils, each with its own Remove button.
 */
export function CouncilPicker({ choices, selected, onChange }: CouncilPickerProps) {
  const baseId = useId();
  const inputId = `${baseId}-input`;
  const listId = `${baseId}-list`;
  const hintId = `${baseId}-hint`;
  const inputRef = useRef<HTMLInputElement>(null);
  const [text, setText] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const [announcement, setAnnouncement] = useState('');
  const full = selected.length >= MAX_COMPARED_COUNCILS;
  const byCode = useMemo(() => new Map(choices.map((c) => [c.dfe_la_code, c])), [choices]);

  const matches = useMemo(() => {
    const needle = text.trim().toLowerCase();
    const list = choices.filter(
      (c) => !selected.includes(c.dfe_la_code) && c.council_name.toLowerCase().includes(needle),
    );
    // Names that start with what was typed come first; with nothing typed, councils with
    // letters come first, as they are the ones with data.
    const rank = (c: CouncilChoiceRow) =>
      needle ? Number(!c.council_name.toLowerCase().startsWith(needle)) : Number(c.letters === 0);
    return [...list].sort(
      (a, b) => rank(a) - rank(b) || a.council_name.localeCompare(b.council_name),
    );
  }, [choices, selected, text]);
  const activeIndex = Math.min(active, Math.max(0, matches.length - 1));
  const optionId = (i: number) => `${baseId}-option-${i}`;

  const add = (choice: CouncilChoiceRow) => {
    if (full) return;
    onChange([...selected, choice.dfe_la_code]);
    setAnnouncement(`${choice.council_name} added to the comparison.`);
    setText('');
    setActive(0);
    setOpen(false);
    inputRef.current?.focus();
  };
  const remove = (code: number) => {
    onChange(selected.filter((c) => c !== code));
    setAnnouncement(`${byCode.get(code)?.council_name ?? code} removed from the comparison.`);
    inputRef.current?.focus();
  };
  const move = (delta: number) => {
    setOpen(true);
    if (matches.length === 0) return;
    setActive((activeIndex + delta + matches.length) % matches.length);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    switch (event.key) {
      case 'ArrowDown':
        event.preventDefault();
        if (open) move(1);
        else setOpen(true);
        break;
      case 'ArrowUp':
        event.preventDefault();
        move(-1);
        break;
      case 'Enter': {
        const choice = matches[activeIndex];
        if (open && choice) {
          event.preventDefault();
          add(choice);
        }
        break;
      }
      case 'Escape':
        if (open) {
          event.preventDefault();
          setOpen(false);
        } else {
          setText('');
        }
        break;
    }
  };
  const expanded = open && !full;

  return (
    <div className="council-picker">
      <div className="council-picker-field">
        <label htmlFor={inputId}>Add a council</label>
        <input
          ref={inputRef}
          id={inputId}
          type="text"
          role="combobox"
          autoComplete="off"
          aria-autocomplete="list"
          aria-expanded={expanded}
          aria-controls={listId}
          aria-activedescendant={expanded && matches.length > 0 ? optionId(activeIndex) : undefined}
          aria-describedby={hintId}
          placeholder={full ? 'Five councils chosen' : 'Type a council name'}
          disabled={full}
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setActive(0);
            setOpen(true);
          }}
          onFocus={() => setOpen(true)}
          onClick={() => setOpen(true)}
          onBlur={() => setOpen(false)}
          onKeyDown={onKeyDown}
        />
        <p id={hintId} className="council-picker-hint">
          Up to {MAX_COMPARED_COUNCILS} councils.{' '}
          {full
            ? 'Remove one to add another.'
            : 'Type to narrow the list, use the arrow keys to move and Enter to add.'}
        </p>
        <ul
          id={listId}
          role="listbox"
          aria-label="Councils"
          className="council-picker-list"
          hidden={!expanded}
        >
          {expanded && matches.length === 0 && (
            <li className="council-picker-none" role="option" aria-disabled="true">
              No council matches “{text}”.
            </li>
          )}
          {expanded &&
            matches.map((choice, i) => (
              <li
                key={choice.dfe_la_code}
                id={optionId(i)}
                role="option"
                aria-selected={i === activeIndex}
                data-dfe={choice.dfe_la_code}
                className={i === activeIndex ? 'active' : undefined}
                ref={(el) => {
                  if (el && i === activeIndex) el.scrollIntoView({ block: 'nearest' });
                }}
                // Keep focus in the input: a mouse-down on the list would otherwise blur it first.
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => add(choice)}
              >
                <span className="council-picker-name">{choice.council_name}</span>{' '}
                <span className="council-picker-meta">{describe(choice)}</span>
              </li>
            ))}
        </ul>
      </div>
      {selected.length > 0 && (
        <div className="council-picker-chosen">
          <p className="council-picker-chosen-label" id={`${baseId}-chosen`}>
            Compared ({selected.length} of {MAX_COMPARED_COUNCILS}):
          </p>
          <ul className="compare-chips" aria-labelledby={`${baseId}-chosen`}>
            {selected.map((code) => {
              const name = byCode.get(code)?.council_name ?? `DfE ${code}`;
              return (
                <li key={code} className="compare-chip">
                  {name}
                  <button
                    type="button"
                    className="compare-chip-remove"
                    aria-label={`Remove ${name}`}
                    onClick={() => remove(code)}
                  >
                    <span aria-hidden="true">×</span>
                  </button>
                </li>
              );
            })}
          </ul>
          <button type="button" className="button button-link" onClick={() => onChange([])}>
            Clear all
          </button>
        </div>
      )}
      <p className="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </p>
    </div>
  );
}
