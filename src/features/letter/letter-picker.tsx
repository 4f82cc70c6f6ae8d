import { useEffect, useId, useMemo, useState, type KeyboardEvent, type MouseEvent } from 'react';
import { formatCount, formatDate } from '@/lib/format';
import type { LetterListRow } from './letter-sql';
import { documentKindLabel, letterSearchText, matchLetters, PICKER_LIMIT } from './letter-search';

/** Props of {@link LetterPicker}. */
export interface LetterPickerProps {
  rows: readonly LetterListRow[];
  /** The letter open now, if any. */
  selected: string | undefined;
  onPick: (letterId: string) => void;
}

/** "3 letters", "1 letter". */
function letters(count: number): string {
  return `${formatCount(count)} ${count === 1 ? 'letter' : 'letters'}`;
}

/**
 * A combobox to find a letter by typing (council, year, region, kind of document), after the
 * ARIA pattern: the text box keeps the focus and points at the option in hand with
 * `aria-activedescendant`; ↑ ↓ move, Enter opens the letter, Escape closes the list (and, with
 * the list closed, clears the text). At most {@link PICKER_LIMIT} matches are listed; the count of
 * the others asks for more words.
 */
export function LetterPicker({ rows, selected, onPick }: LetterPickerProps) {
  const id = useId();
  const inputId = 'letter-pick';
  const listId = `${id}-list`;
  const statusId = `${id}-status`;
  const [query, setQuery] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);

  const texts = useMemo(() => new Map(rows.map((row) => [row, letterSearchText(row)])), [rows]);
  const matches = useMemo(() => matchLetters(rows, query, texts), [rows, query, texts]);
  const shown = matches.slice(0, PICKER_LIMIT);
  const hidden = matches.length - shown.length;
  const current = rows.find((row) => row.letter_id === selected);
  const activeRow = open ? shown[active] : undefined;
  const optionId = (index: number) => `${id}-option-${index}`;

  // Keeps the option in hand in sight as the arrows move through a long list.
  const activeId = activeRow ? optionId(active) : undefined;
  useEffect(() => {
    if (activeId) document.getElementById(activeId)?.scrollIntoView?.({ block: 'nearest' });
  }, [activeId]);

  /** Opens the list with the open letter in hand when it is listed, else the first match. */
  const openList = (from = query) => {
    const list = matchLetters(rows, from, texts).slice(0, PICKER_LIMIT);
    const at = list.findIndex((row) => row.letter_id === selected);
    setActive(from.trim() === '' && at >= 0 ? at : list.length > 0 ? 0 : -1);
    setOpen(true);
  };

  const pick = (row: LetterListRow) => {
    setOpen(false);
    setQuery('');
    setActive(-1);
    onPick(row.letter_id);
  };

  const move = (by: number) => {
    if (shown.length === 0) return;
    if (!open) {
      openList();
      return;
    }
    setActive((at) =>
      at < 0 ? (by > 0 ? 0 : shown.length - 1) : (at + by + shown.length) % shown.length,
    );
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    switch (event.key) {
      case 'ArrowDown':
        event.preventDefault();
        if (event.altKey) openList();
        else move(1);
        break;
      case 'ArrowUp':
        event.preventDefault();
        move(-1);
        break;
      case 'PageDown':
        if (!open) return;
        event.preventDefault();
        setActive((at) => Math.min(shown.length - 1, Math.max(0, at) + 10));
        break;
      case 'PageUp':
        if (!open) return;
        event.preventDefault();
        setActive((at) => Math.max(0, at - 10));
        break;
      case 'Enter': {
        if (!open) return;
        const row = shown[active] ?? (shown.length === 1 ? shown[0] : undefined);
        if (row) {
          event.preventDefault();
          pick(row);
        }
        break;
      }
      case 'Escape':
        if (open) {
          event.preventDefault();
          setOpen(false);
        } else if (query) {
          event.preventDefault();
          setQuery('');
        }
        break;
      case 'Tab':
        setOpen(false);
        break;
    }
  };

  const said = query.trim();
  const status =
    (said === ''
      ? letters(rows.length)
      : matches.length === 0
        ? `No letter matches “${said}”`
        : `${letters(matches.length)} ${matches.length === 1 ? 'matches' : 'match'} “${said}”`) +
    (hidden > 0
      ? `; the first ${formatCount(shown.length)} listed, ${formatCount(hidden)} more: type to narrow`
      : '');

  return (
    <div className="letter-picker">
      <label htmlFor={inputId}>Find a letter</label>
      <p className="letter-picker-hint" id={`${id}-hint`}>
        Type a council, year, region or “council report”; ↑ ↓ to choose, Enter to open.
      </p>
      <div className="letter-picker-box">
        <input
          id={inputId}
          type="text"
          role="combobox"
          autoComplete="off"
          spellCheck={false}
          aria-autocomplete="list"
          aria-expanded={open}
          aria-controls={listId}
          aria-activedescendant={activeId}
          aria-describedby={`${id}-hint ${statusId}`}
          value={query}
          placeholder={
            current ? `${current.council_name}, ${formatDate(current.inspection_start)}` : ''
          }
          onChange={(event) => {
            setQuery(event.target.value);
            openList(event.target.value);
          }}
          onKeyDown={onKeyDown}
          onClick={() => {
            if (!open) openList();
          }}
          onBlur={() => setOpen(false)}
        />
        <ul
          id={listId}
          role="listbox"
          aria-label="Letters"
          className="letter-picker-list"
          hidden={!open}
        >
          {open &&
            shown.map((row, index) => (
              <li
                key={row.letter_id}
                id={optionId(index)}
                role="option"
                aria-selected={row.letter_id === selected}
                className={`letter-option${index === active ? ' active' : ''}`}
                data-letter={row.letter_id}
                // Keeps the focus in the text box: the click picks, the box stays focused.
                onMouseDown={(event: MouseEvent) => event.preventDefault()}
                onClick={() => pick(row)}
              >
                <span className="letter-option-council">{row.council_name}</span>{' '}
                <span className="letter-option-detail">
                  inspected {formatDate(row.inspection_start)}
                  {row.region ? ` · ${row.region}` : ''} · {documentKindLabel(row.document_kind)} ·{' '}
                  {row.finding_count} {row.finding_count === 1 ? 'finding' : 'findings'}
                  {row.added && ' – added by you'}
                  {row.warning_count > 0 &&
                    ` – ${row.warning_count} ${row.warning_count === 1 ? 'warning' : 'warnings'}`}
                </span>
                {row.letter_id === selected && <span className="letter-option-open"> (open)</span>}
              </li>
            ))}
        </ul>
      </div>
      <p id={statusId} className="letter-picker-status" role="status">
        {status}
      </p>
    </div>
  );
}
