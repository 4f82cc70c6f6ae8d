import { useId, useMemo, useState, type KeyboardEvent } from 'react';
import type { CouncilChoiceRow } from './council-sql';

/** Props of {@link CouncilSearch}. */
export interface CouncilSearchProps {
  choices: readonly CouncilChoiceRow[];
  /** The council shown now, if any. */
  current?: CouncilChoiceRow;
  onChoose: (choice: CouncilChoiceRow) => void;
  /** The field's label. */
  label: string;
}

function describe(choice: CouncilChoiceRow): string {
  const letters =
    choice.letters === 0
      ? 'no letter held'
      : `${choice.letters} ${choice.letters === 1 ? 'letter' : 'letters'}`;
  return `${choice.region ?? 'not in the 2009-12 list'} · ${letters}`;
}

/** How many matches the list shows at once; typing narrows it. */
const SHOWN = 60;

/**
 * An ARIA 1.2 combobox to open one council: type to narrow the list (names that start with what
 * was typed first), arrows to move, Enter to open, Escape to close.
 */
export function CouncilSearch({ choices, current, onChoose, label }: CouncilSearchProps) {
  const baseId = useId();
  const inputId = `${baseId}-input`;
  const listId = `${baseId}-list`;
  const hintId = `${baseId}-hint`;
  const [text, setText] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);

  const matches = useMemo(() => {
    const needle = text.trim().toLowerCase();
    const list = choices.filter(
      (c) =>
        c.council_key !== current?.council_key && c.council_name.toLowerCase().includes(needle),
    );
    // With nothing typed, councils with letters come first, as they are the ones with data.
    const rank = (c: CouncilChoiceRow) =>
      needle ? Number(!c.council_name.toLowerCase().startsWith(needle)) : Number(c.letters === 0);
    return [...list]
      .sort((a, b) => rank(a) - rank(b) || a.council_name.localeCompare(b.council_name))
      .slice(0, SHOWN);
  }, [choices, current, text]);
  const activeIndex = Math.min(active, Math.max(0, matches.length - 1));
  const optionId = (i: number) => `${baseId}-option-${i}`;

  const choose = (choice: CouncilChoiceRow) => {
    setText('');
    setActive(0);
    setOpen(false);
    onChoose(choice);
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
          choose(choice);
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

  return (
    <div className="council-search">
      <label htmlFor={inputId}>{label}</label>
      <input
        id={inputId}
        type="text"
        role="combobox"
        autoComplete="off"
        aria-autocomplete="list"
        aria-expanded={open}
        aria-controls={listId}
        aria-activedescendant={open && matches.length > 0 ? optionId(activeIndex) : undefined}
        aria-describedby={hintId}
        placeholder="Type a council name"
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setActive(0);
          setOpen(true);
        }}
        onClick={() => setOpen(true)}
        onBlur={() => setOpen(false)}
        onKeyDown={onKeyDown}
      />
      <p id={hintId} className="council-search-hint">
        Type to narrow the list, use the arrow keys to move and Enter to open the council.
      </p>
      <ul
        id={listId}
        role="listbox"
        aria-label="Councils"
        className="council-search-list"
        hidden={!open}
      >
        {open && matches.length === 0 && (
          <li
            className="council-search-none"
            role="option"
            aria-disabled="true"
            aria-selected="false"
          >
            No council matches “{text}”.
          </li>
        )}
        {open &&
          matches.map((choice, i) => (
            <li
              key={choice.council_key}
              id={optionId(i)}
              role="option"
              aria-selected={i === activeIndex}
              data-council-key={choice.council_key}
              className={i === activeIndex ? 'active' : undefined}
              ref={(el) => {
                if (el && i === activeIndex) el.scrollIntoView({ block: 'nearest' });
              }}
              // Keep focus in the input: a mouse-down on the list would otherwise blur it first.
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => choose(choice)}
            >
              <span className="council-search-name">{choice.council_name}</span>{' '}
              <span className="council-search-meta">{describe(choice)}</span>
            </li>
          ))}
      </ul>
    </div>
  );
}
