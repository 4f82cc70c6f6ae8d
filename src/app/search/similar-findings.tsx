import { AppLink } from '@/app/app-link';
import { FindingLetterLink } from '@/app/finding-letter-link';
import { useSearchParams, viewParams } from '@/app/url-state';
import { SECTION_LABELS } from '@/lib/filters';
import { QueryState } from '@/lib/query-state';
import { markedSegments } from '@/lib/search/marked-segments';
import type { SimilarOutcome } from '@/lib/search/search-model';
import { useSimilarFindings } from './search-queries';
import './similar-findings.css';

/** How many of the shared words each result names. */
const SHARED_SHOWN = 12;

/**
 * "Findings like this": the findings whose words are most like one finding's (TF-IDF cosine over
 * dictionary forms, computed in the search worker), each with its council, reporting year and
 * section, the words the two share (marked in its text) and a link to its letter. The measure is
 * explained on the methodology page.
 */
export function SimilarFindings({ findingId, id }: { findingId: string; id?: string }) {
  const similar = useSimilarFindings(findingId);
  const params = useSearchParams();
  return (
    <section
      id={id}
      className="similar-findings"
      aria-label="Findings like this one"
      data-testid="similar-findings"
      data-similar-to={findingId}
    >
      <h3 className="similar-title">Findings like this</h3>
      <QueryState query={similar} label="findings like this">
        {(outcome: SimilarOutcome) => {
          if (!outcome.found)
            return <p>This finding is not among the findings searched; reload the page.</p>;
          if (outcome.matches.length === 0)
            return (
              <p>
                No other finding shares a word with this one, leaving out words every text uses.
              </p>
            );
          return (
            <>
              <p className="similar-note">
                The {outcome.matches.length} findings whose words are most like this one&rsquo;s,
                closest first, among every finding whatever the filters (
                <AppLink params={viewParams('methodology', params)}>how they are ranked</AppLink>
                ).
              </p>
              <ol className="similar-list">
                {outcome.matches.map((m) => (
                  <li key={m.row.finding_id} data-finding={m.row.finding_id}>
                    <p className="similar-meta">
                      <strong>{m.row.council_name}</strong>
                      <span>{m.row.reporting_year}</span>
                      <span className={`section-tag section-tag-${m.row.section}`}>
                        {SECTION_LABELS[m.row.section]}
                      </span>
                      <span title="Cosine similarity of the two findings' weighted words, 0 to 1">
                        similarity {m.score.toFixed(2)}
                      </span>
                    </p>
                    <blockquote className="similar-text">
                      {markedSegments(m.row.text, m.spans).map((s, i) =>
                        s.marked ? <mark key={i}>{s.text}</mark> : <span key={i}>{s.text}</span>,
                      )}
                    </blockquote>
                    <p className="similar-shared" data-testid="similar-shared">
                      Words they share: {m.shared.slice(0, SHARED_SHOWN).join(', ')}
                      {m.shared.length > SHARED_SHOWN &&
                        ` and ${m.shared.length - SHARED_SHOWN} more`}
                    </p>
                    <FindingLetterLink finding={m.row} params={params} />
                  </li>
                ))}
              </ol>
            </>
          );
        }}
      </QueryState>
    </section>
  );
}
