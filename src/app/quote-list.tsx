import { AppLink } from '@/app/app-link';
import { FindingLetterLink } from '@/app/finding-letter-link';
import { ThemeName } from '@/app/weak-themes';
import { provenanceLine } from '@/lib/citation';
import type { TableColumn } from '@/lib/csv';
import type { WeakThemes } from '@/lib/theme-quality';
import { rankingParams } from '@/app/council-link';
import type { WeaknessQuoteRow } from '@/app/council-ranking-sql';
import './quote-list.css';

/** A quote as its CSV row: the finding, where it comes from in words, and its themes' names. */
export interface QuoteCsvRow extends WeaknessQuoteRow {
  provenance: string;
  theme_labels: string[];
}

/** Adds each quote's provenance line and theme names, for the CSV. */
export function quoteCsvRows(quotes: readonly WeaknessQuoteRow[]): QuoteCsvRow[] {
  return quotes.map((q) => ({
    ...q,
    provenance: provenanceLine(q),
    theme_labels: q.themes.map((t) => t.label),
  }));
}

/** The columns of a quotes CSV: names, codes and region with each finding and its source. */
export const QUOTE_COLUMNS: readonly TableColumn<QuoteCsvRow>[] = [
  { key: 'council_name', label: 'Council' },
  { key: 'la_code', label: 'ONS code' },
  { key: 'dfe_la_code', label: 'DfE number' },
  { key: 'region', label: 'Region' },
  { key: 'letter_id', label: 'Letter' },
  { key: 'inspection_start', label: 'Inspection start' },
  { key: 'document_kind', label: 'Document kind' },
  { key: 'section', label: 'Section' },
  { key: 'section_position', label: 'Number in section', numeric: true },
  { key: 'position', label: 'Position in letter', numeric: true },
  { key: 'page', label: 'Page', numeric: true },
  { key: 'text', label: 'Finding' },
  { key: 'theme_labels', label: 'Themes' },
  { key: 'previously_identified', label: 'Raised at the previous inspection' },
  { key: 'provenance', label: 'Provenance' },
];

/**
 * Findings raised as weaknesses, each quoted with its provenance line (src/lib/citation.ts), a
 * link to the letter at the finding and its themes, each a link to that theme's ranking.
 */
export function QuoteList({
  quotes,
  params,
  weak,
  label,
}: {
  quotes: readonly WeaknessQuoteRow[];
  /** The page's current parameters, for the links to carry the filters. */
  params: URLSearchParams;
  weak: WeakThemes;
  /** The list's accessible name. */
  label: string;
}) {
  return (
    <ul className="quote-list" aria-label={label}>
      {quotes.map((quote) => (
        <li
          key={quote.finding_id}
          className={`quote-item section-${quote.section}`}
          data-finding={quote.finding_id}
        >
          <blockquote>{quote.text}</blockquote>
          <p className="quote-provenance">
            {provenanceLine(quote)}
            {quote.previously_identified && (
              <>
                {' · '}
                <strong>raised at the previous inspection</strong>
              </>
            )}
          </p>
          <p className="quote-links">
            <FindingLetterLink finding={quote} params={params} />
            {quote.themes.length > 0 && (
              <span>
                Themes:{' '}
                {quote.themes.map((t, i) => (
                  <span key={t.theme_id}>
                    {i > 0 && ', '}
                    <AppLink params={rankingParams(t.theme_id, params)}>
                      <ThemeName label={t.label} themeId={t.theme_id} weak={weak} />
                    </AppLink>
                  </span>
                ))}
              </span>
            )}
          </p>
        </li>
      ))}
    </ul>
  );
}
