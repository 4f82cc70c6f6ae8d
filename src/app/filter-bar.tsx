import { FILTER_PARAMS, SECTION_LABELS, SOURCE_LABELS, type FilterKey } from '@/lib/filters';
import { KIND_LABELS, filterChoices, useFilterOptions } from '@/app/filter-options';
import { hrefFor, navigate, useSearchParams, withParams } from '@/app/url-state';
import { prefetchFilterChange } from '@/app/view-filters';

const LABELS: Record<FilterKey, string> = {
  year: 'Reporting year',
  region: 'Region',
  laType: 'Council type',
  kind: 'Document',
  section: 'Section',
  source: 'Source',
  tags: 'Leave out uncertain theme tags',
};

function optionLabel(key: FilterKey, value: string): string {
  if (key === 'kind') return KIND_LABELS[value] ?? value;
  if (key === 'section') return SECTION_LABELS[value as keyof typeof SECTION_LABELS] ?? value;
  if (key === 'source') return SOURCE_LABELS[value as keyof typeof SOURCE_LABELS] ?? value;
  return value;
}

/** The shared filters as labelled selects; each change is a new history entry. */
export function FilterBar({ active }: { active: readonly FilterKey[] }) {
  const params = useSearchParams();
  const options = useFilterOptions();
  const change = (values: Record<string, string | undefined>) => {
    const next = withParams(params, values);
    prefetchFilterChange(next);
    navigate(hrefFor(next));
  };
  const set = (param: string, value: string) => change({ [param]: value || undefined });
  const anySet = FILTER_PARAMS.some(({ param }) => params.get(param));
  return (
    <form
      className="filter-bar"
      role="search"
      aria-label="Filters"
      onSubmit={(e) => e.preventDefault()}
    >
      {FILTER_PARAMS.map(({ key, param }) => {
        const current = params.get(param) ?? '';
        const applies = active.includes(key);
        const id = `filter-${param}`;
        if (key === 'tags') {
          return (
            <TagSwitch
              key={key}
              id={id}
              checked={current === 'sure'}
              applies={applies}
              onChange={(on) => set(param, on ? 'sure' : '')}
            />
          );
        }
        const values = filterChoices(key, options.data);
        const choices = current && !values.includes(current) ? [current, ...values] : values;
        return (
          <div className="filter" key={key}>
            <label htmlFor={id}>
              {LABELS[key]}
              {!applies && <span className="visually-hidden"> (not used by this view)</span>}
            </label>
            <select
              id={id}
              value={current}
              disabled={!applies}
              title={applies ? undefined : 'Not used by this view'}
              onChange={(e) => set(param, e.target.value)}
            >
              <option value="">All</option>
              {choices.map((value) => (
                <option key={value} value={value}>
                  {optionLabel(key, value)}
                </option>
              ))}
            </select>
          </div>
        );
      })}
      {anySet && (
        <button
          type="button"
          className="button button-link"
          onClick={() => change(Object.fromEntries(FILTER_PARAMS.map((f) => [f.param, undefined])))}
        >
          Clear filters
        </button>
      )}
    </form>
  );
}

/**
 * The tag filter as a checkbox: on, every count leaves out the theme tags the tagger marks
 * uncertain (`tags=sure` in the URL).
 */
function TagSwitch({
  id,
  checked,
  applies,
  onChange,
}: {
  id: string;
  checked: boolean;
  applies: boolean;
  onChange: (on: boolean) => void;
}) {
  const hintId = `${id}-hint`;
  return (
    <div className="filter filter-switch">
      <span className="filter-switch-control">
        <input
          type="checkbox"
          id={id}
          checked={checked}
          disabled={!applies}
          aria-describedby={hintId}
          title={applies ? undefined : 'Not used by this view'}
          onChange={(e) => onChange(e.target.checked)}
        />
        <label htmlFor={id}>
          {LABELS.tags}
          {!applies && <span className="visually-hidden"> (not used by this view)</span>}
        </label>
      </span>
      <span id={hintId} className="filter-hint">
        The tags the program was least sure of; Evidence marks them
      </span>
    </div>
  );
}
