import { useId, useMemo, useState, type KeyboardEvent, type ReactNode, type Ref } from 'react';
import './council-combobox.css';

/** What the picker shows of a council: its name, its region and the letters held for it. */
export interface CouncilChoice {
  council_name: string;
  /** Null for a council the 2009-12 list does not know. */
  region: string | null;
  /** Letters held for it under the filters. */
  letters: number;
}

/** Props of {@link CouncilCombobox}. */
export interface CouncilComboboxProps<T extends CouncilChoice> {
  choices: readonly T[];
  /** A choice's own key (its option's React key). */
  keyOf: (choice: T) => string | number;
  /** Choices not offered: the council open now, those chosen already. */
  leftOut?: (choice: T) => boolean;
  onChoose: (choice: T) => void;
  /** The field's label. */
  label: string;
  /** The line under the field, which says how to use it (the field is described by it). */
  hint: ReactNode;
  placeholder?: string;
  /** A field that takes no more choices (the list stays closed). */
  disabled?: boolean;
  /** Opens the list as the field takes focus, not only on a click, typing or the arrow keys. */
  openOnFocus?: boolean;
  /** The most matches listed at once (typing narrows the list); every match when unset. */
  limit?: number;
  /** Data attributes of a choice's option, which tests and scripts find it by. */
  optionData?: (choice: T) => Record<`data-${string}`, string>;
  /** The text field, for a caller that moves the focus back to it. */
  inputRef?: Ref<HTMLInputElement>;
  /** A class beside `council-combobox`, for the caller's layout. */
  className?: string;
}

/** "North West · 2 letters", "not in the 2009-12 list · no letter held". */
function describe(choice: CouncilChoice): string {
  const letters =
    choice.letters === 0
      ? 'no letter held'
      : `${choice.letters} ${choice.letters === 1 ? 'letter' : 'letters'}`;
  return `${choice.region ?? 'not in the 2009-12 list'} · ${letters}`;
}

/**
 * The councils that match what was typed, minus those left out: names that start with it first,
 * then names that hold it, each by name; with nothing typed, councils with letters first, as
 * they are the ones with data. Pure.
 */
export function matchCouncils<T extends CouncilChoice>(
  choices: readonly T[],
  typed: string,
  leftOut: (choice: T) => boolean = () => false,
): T[] {
  const needle = typed.trim().toLowerCase();
  const rank = (c: T) =>
    needle ? Number(!c.council_name.toLowerCase().startsWith(needle)) : Number(c.letters === 0);
  return choices
    .filter((c) => !leftOut(c) && c.council_name.toLowerCase().includes(needle))
    .sort((a, b) => rank(a) - rank(b) || a.council_name.localeCompare(b.council_name));
}

/**
 * An ARIA 1.2 combobox to choose a council, shared by the views that pick one: type to narrow
 * the list, ↑ ↓ to move (the field keeps the focus and points at the option in hand with
 * `aria-activedescendant`), Enter or a click to choose, Escape to close the list (and, with the
 * list closed, to clear the text).
 */
export function CouncilCombobox<T extends CouncilChoice>({
  choices,
  keyOf,
  leftOut,
  onChoose,
  label,
  hint,
  placeholder = 'Type a council name',
  disabled = false,
  openOnFocus = false,
  limit,
  optionData,
  inputRef,
  className,
}: CouncilComboboxProps<T>) {
  const baseId = useId();
  const inputId = `${baseId}-input`;
  const listId = `${baseId}-list`;
  const hintId = `${baseId}-hint`;
  const [text, setText] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);

  const matches = useMemo(() => {
    const all = matchCouncils(choices, text, leftOut);
    return limit === undefined ? all : all.slice(0, limit);
  }, [choices, text, leftOut, limit]);
  const activeIndex = Math.min(active, Math.max(0, matches.length - 1));
  const optionId = (i: number) => `${baseId}-option-${i}`;
  const expanded = open && !disabled;

  const choose = (choice: T) => {
    if (disabled) return;
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
        if (expanded && choice) {
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
    <div className={className ? `council-combobox ${className}` : 'council-combobox'}>
      <label htmlFor={inputId}>{label}</label>
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
        placeholder={placeholder}
        disabled={disabled}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setActive(0);
          setOpen(true);
        }}
        onFocus={openOnFocus ? () => setOpen(true) : undefined}
        onClick={() => setOpen(true)}
        onBlur={() => setOpen(false)}
        onKeyDown={onKeyDown}
      />
      <p id={hintId} className="council-combobox-hint">
        {hint}
      </p>
      <ul
        id={listId}
        role="listbox"
        aria-label="Councils"
        className="council-combobox-list"
        hidden={!expanded}
      >
        {expanded && matches.length === 0 && (
          <li
            className="council-combobox-none"
            role="option"
            aria-disabled="true"
            aria-selected="false"
          >
            No council matches “{text}”.
          </li>
        )}
        {expanded &&
          matches.map((choice, i) => (
            <li
              key={keyOf(choice)}
              id={optionId(i)}
              role="option"
              aria-selected={i === activeIndex}
              {...optionData?.(choice)}
              className={i === activeIndex ? 'active' : undefined}
              ref={(el) => {
                if (el && i === activeIndex) el.scrollIntoView?.({ block: 'nearest' });
              }}
              // Keep focus in the input: a mouse-down on the list would otherwise blur it first.
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => choose(choice)}
            >
              <span className="council-combobox-name">{choice.council_name}</span>{' '}
              <span className="council-combobox-meta">{describe(choice)}</span>
            </li>
          ))}
      </ul>
    </div>
  );
}
