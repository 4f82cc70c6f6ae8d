import { useId } from 'react';
import './parse-warnings.css';

/**
 * What looked wrong when a letter was read (its `parse_warnings`), as a note marked in words and
 * by a sign, not by colour alone, with one list item per warning; nothing when there are none.
 */
export function ParseWarnings({ warnings, title }: { warnings: readonly string[]; title: string }) {
  const id = useId();
  if (warnings.length === 0) return null;
  return (
    <div className="parse-warnings" role="note" aria-labelledby={id} data-testid="parse-warnings">
      <p className="parse-warnings-title" id={id}>
        <span className="parse-warnings-sign" aria-hidden="true">
          !
        </span>
        {title}
      </p>
      <ul>
        {warnings.map((warning, i) => (
          <li key={i}>{warning}</li>
        ))}
      </ul>
    </div>
  );
}
