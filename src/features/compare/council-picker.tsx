import { useCallback, useId, useMemo, useRef, useState } from 'react';
import { CouncilCombobox } from '@/app/council-combobox';
import { MAX_COMPARED_COUNCILS, type CouncilChoiceRow } from './compare-sql';

/** Props of {@link CouncilPicker}. */
export interface CouncilPickerProps {
  choices: readonly CouncilChoiceRow[];
  /** DfE numbers of the chosen councils, in order. */
  selected: readonly number[];
  onChange: (next: number[]) => void;
}

/**
 * The councils compared: the shared council combobox to add one (src/app/council-combobox.tsx;
 * Enter adds) above the list of chosen councils, each with its own Remove button.
 */
export function CouncilPicker({ choices, selected, onChange }: CouncilPickerProps) {
  const chosenId = `${useId()}-chosen`;
  const inputRef = useRef<HTMLInputElement>(null);
  const [announcement, setAnnouncement] = useState('');
  const full = selected.length >= MAX_COMPARED_COUNCILS;
  const byCode = useMemo(() => new Map(choices.map((c) => [c.dfe_la_code, c])), [choices]);
  const isChosen = useCallback(
    (c: CouncilChoiceRow) => selected.includes(c.dfe_la_code),
    [selected],
  );

  const add = (choice: CouncilChoiceRow) => {
    if (full) return;
    onChange([...selected, choice.dfe_la_code]);
    setAnnouncement(`${choice.council_name} added to the comparison.`);
    inputRef.current?.focus();
  };
  const remove = (code: number) => {
    onChange(selected.filter((c) => c !== code));
    setAnnouncement(`${byCode.get(code)?.council_name ?? code} removed from the comparison.`);
    inputRef.current?.focus();
  };

  return (
    <div className="council-picker">
      <CouncilCombobox
        choices={choices}
        keyOf={(c) => c.dfe_la_code}
        leftOut={isChosen}
        onChoose={add}
        label="Add a council"
        hint={
          <>
            Up to {MAX_COMPARED_COUNCILS} councils.{' '}
            {full
              ? 'Remove one to add another.'
              : 'Type to narrow the list, use the arrow keys to move and Enter to add.'}
          </>
        }
        placeholder={full ? 'Five councils chosen' : 'Type a council name'}
        disabled={full}
        openOnFocus
        optionData={(c) => ({ 'data-dfe': String(c.dfe_la_code) })}
        inputRef={inputRef}
      />
      {selected.length > 0 && (
        <div className="council-picker-chosen">
          <p className="council-picker-chosen-label" id={chosenId}>
            Compared ({selected.length} of {MAX_COMPARED_COUNCILS}):
          </p>
          <ul className="compare-chips" aria-labelledby={chosenId}>
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
