import { AppLink } from '@/app/app-link';
import { viewParams } from '@/app/url-state';

/** The fields of a finding that {@link FindingLetterLink} needs. */
export interface LinkedFinding {
  finding_id: string;
  letter_id: string;
  council_name: string;
  position: number;
}

/** "Read it in the letter": opens the letter view at the finding, the shared filters kept. */
export function FindingLetterLink({
  finding,
  params,
}: {
  finding: LinkedFinding;
  /** The page's current parameters (`useSearchParams()`), read once by the list, not per link. */
  params: URLSearchParams;
}) {
  return (
    <AppLink
      params={viewParams('letter', params, {
        letter: finding.letter_id,
        // The finding's position in its letter: the letter view lands on it (an older link's
        // whole finding id still works there too).
        finding: String(finding.position),
      })}
    >
      Read it in the letter
      <span className="visually-hidden">
        {' '}
        from {finding.council_name}, finding {finding.position}
      </span>
    </AppLink>
  );
}
