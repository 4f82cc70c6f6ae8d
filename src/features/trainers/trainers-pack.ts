/**
 * A trainer's pack as the URL holds it (only what differs from the default is written), and in
 * words for the handout: which themes, how many quotes, which sections, which councils.
 *
 * - `top=10`: the first ten themes of the list (every theme when absent);
 * - `quotes=5`: quotes under each theme, 0 to 10 (3 when absent);
 * - `sections=priority_action`: one weakness section only (both when absent);
 * - `councils=201,leeds`: some councils only, by DfE number or, for a council without one, by
 *   its name as links write it (every council when absent).
 */
import type { Section } from '@/core/schema';
import { councilSlug } from '@/app/council-link';
import { WEAKNESS_SECTIONS } from '@/lib/filters';
import { formatCount } from '@/lib/format';
import {
  MAX_QUOTES_PER_THEME,
  packQuotes,
  packSections,
  QUOTES_PER_THEME,
  type TrainerCouncilRow,
} from './trainers-sql';

/** The numbers of themes the pack offers (besides every theme). */
export const TOP_CHOICES: readonly number[] = [3, 5, 10, 15, 20, 30];

/** The numbers of quotes per theme the pack offers. */
export const QUOTE_CHOICES: readonly number[] = Array.from(
  { length: MAX_QUOTES_PER_THEME + 1 },
  (_, i) => i,
);

/** What each weakness section is called in the pack's controls and its handout. */
export const PACK_SECTION_LABELS: Record<'development' | 'priority_action', string> = {
  development: 'Areas for development',
  priority_action: 'Areas for priority action',
};

/** The pack's own settings, as read from the URL. */
export interface PackSettings {
  /** The first so many themes; undefined for every theme. */
  top?: number;
  /** Quotes per theme. */
  quotes: number;
  /** The weakness sections counted and quoted (both by default). */
  sections: readonly Section[];
  /** The councils asked for, as the URL names them (DfE numbers or names as links write them). */
  councils: readonly string[];
}

/** The pack's settings from the URL's parameters, unknown or out-of-range values dropped. */
export function parsePack(params: URLSearchParams): PackSettings {
  const topText = params.get('top') ?? '';
  const top = /^\d{1,4}$/.test(topText) && Number(topText) > 0 ? Number(topText) : undefined;
  const quotesText = params.get('quotes') ?? '';
  const quotes = /^\d{1,3}$/.test(quotesText) ? packQuotes(Number(quotesText)) : QUOTES_PER_THEME;
  const asked = (params.get('sections') ?? '').split(',') as Section[];
  const sections = packSections(asked);
  const councils = [
    ...new Set(
      (params.get('councils') ?? '')
        .split(',')
        .map((c) => c.trim())
        .filter(Boolean),
    ),
  ];
  return { top, quotes, sections, councils };
}

/** The URL parameter changes for new settings: defaults are left out of the URL. */
export function packChanges(next: PackSettings): Record<string, string | undefined> {
  const bothSections = next.sections.length === WEAKNESS_SECTIONS.length;
  return {
    top: next.top === undefined ? undefined : String(next.top),
    quotes: next.quotes === QUOTES_PER_THEME ? undefined : String(next.quotes),
    sections: bothSections ? undefined : next.sections.join(','),
    councils: next.councils.length === 0 ? undefined : next.councils.join(','),
  };
}

/** How a council is named in the URL: its DfE number, else its name as links write it. */
export function councilRef(council: Pick<TrainerCouncilRow, 'council_name' | 'dfe_la_code'>) {
  return council.dfe_la_code === null
    ? councilSlug(council.council_name)
    : String(council.dfe_la_code);
}

/** The councils the URL names, found among those held, and the names it gives that are not. */
export function resolveCouncils(
  refs: readonly string[],
  choices: readonly TrainerCouncilRow[],
): { found: TrainerCouncilRow[]; unknown: string[] } {
  const found: TrainerCouncilRow[] = [];
  const unknown: string[] = [];
  for (const ref of refs) {
    const match = /^\d+$/.test(ref)
      ? choices.find((c) => c.dfe_la_code === Number(ref))
      : choices.find((c) => councilSlug(c.council_name) === councilSlug(ref));
    if (!match) unknown.push(ref);
    else if (!found.includes(match)) found.push(match);
  }
  return { found, unknown };
}

/** A list in words: "a", "a and b", "a, b and c". */
function inWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** What the pack holds, counted from the rows it shows. */
export interface PackCounts {
  /** Themes shown. */
  themes: number;
  /** With `top`: themes in the list before it was cut. */
  themesInList?: number;
  /** Quotes shown under them. */
  quotes: number;
  /** Inspections counted (the shares' n). */
  inspections: number;
}

/**
 * What the pack was built from and what it holds, in words, for the handout and the screen:
 * sections, councils, how many themes and quotes. The shared filters have their own line.
 */
export function describePack(
  pack: PackSettings,
  councils: readonly string[],
  counts: PackCounts,
): string {
  const sections =
    pack.sections.length < WEAKNESS_SECTIONS.length
      ? `${inWords(pack.sections.map((s) => (PACK_SECTION_LABELS[s as keyof typeof PACK_SECTION_LABELS] ?? s).toLowerCase()))} only`
      : 'areas for development and for priority action';
  const who =
    councils.length === 0
      ? 'every council'
      : councils.length === 1
        ? `${councils[0]} only`
        : `${formatCount(councils.length)} councils only (${inWords(councils)})`;
  const themes =
    pack.top === undefined
      ? 'every theme raised'
      : `the first ${formatCount(pack.top)} themes${counts.themesInList !== undefined ? ` of ${formatCount(counts.themesInList)} raised` : ''}`;
  const quotes =
    pack.quotes === 0
      ? 'no quotes'
      : `up to ${formatCount(pack.quotes)} ${pack.quotes === 1 ? 'quote' : 'quotes'} per theme`;
  const plural = (n: number, one: string, many: string) =>
    `${formatCount(n)} ${n === 1 ? one : many}`;
  return `Built from ${sections}; ${who}; ${themes}; ${quotes}. Holds ${plural(counts.themes, 'theme', 'themes')} and ${plural(counts.quotes, 'quote', 'quotes')}, from ${plural(counts.inspections, 'inspection', 'inspections')}.`;
}
