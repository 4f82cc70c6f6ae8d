import referenceJson from '../../../data/reference/la_england_2009_2012.json';
import type { CouncilRow } from '../schema';
import { foldForMatching } from './normalise-text';

/** One row of the reference table `data/reference/la_england_2009_2012.json`. */
export interface ReferenceCouncil {
  dfe_la_code: string;
  la_name: string;
  la_type_2009_2012: string;
  region_name: string;
  ons_code_2011_2013: string;
  name_variants: string;
  name_variants_manual: string;
  sn_2021_mapped_to_2009_2012: string;
}

/** The reference table as shipped with the project. */
export const referenceCouncils: ReferenceCouncil[] = referenceJson as ReferenceCouncil[];

/** Plain place name: "Bristol, City of" → "Bristol", "Herefordshire, County of" → "Herefordshire". */
export function plainCouncilName(laName: string): string {
  return laName.replace(/,\s*(City|County|Royal Borough) of$/i, '').trim();
}

/** The reference table as `councils.parquet` rows. */
export function toCouncilRows(reference: ReferenceCouncil[] = referenceCouncils): CouncilRow[] {
  return reference
    .map((r) => ({
      la_code: r.ons_code_2011_2013,
      dfe_la_code: Number(r.dfe_la_code),
      council_name: plainCouncilName(r.la_name),
      la_type: r.la_type_2009_2012,
      region: r.region_name,
      stat_neighbours_2021_proxy: r.sn_2021_mapped_to_2009_2012
        .split('|')
        .filter((code) => /^\d+$/.test(code))
        .map(Number),
    }))
    .sort((a, b) => a.dfe_la_code - b.dfe_la_code);
}

// Longest first, so that "Metropolitan Borough Council" goes before "Borough Council".
const SUFFIXES = [
  'metropolitan borough council',
  'metropolitan district council',
  'county borough council',
  'borough council',
  'county council',
  'city council',
  'district council',
  'unitary authority',
  'council',
  "children's services",
  "children's trust",
  'local authority',
];
const PREFIXES = ['london borough of', 'royal borough of', 'borough of', 'city of', 'county of'];

/** Folds a name to a comparable key: lower case, "&" as "and", punctuation dropped. */
export function councilKey(name: string): string {
  return foldForMatching(name)
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/\bst\.?\s/g, 'st ')
    .replace(/[^a-z0-9' ]+/g, ' ')
    .replace(/'s\b/g, '')
    .replace(/'/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Strips "County Council", "London Borough of" and the like from a folded key. */
export function stripCouncilAffixes(key: string): string {
  let out = key.replace(/^the /, '');
  for (let changed = true; changed;) {
    changed = false;
    for (const suffix of SUFFIXES) {
      const folded = councilKey(suffix);
      if (out.endsWith(` ${folded}`)) {
        out = out.slice(0, -folded.length - 1).trim();
        changed = true;
      }
    }
    for (const prefix of PREFIXES) {
      if (out.startsWith(`${prefix} `)) {
        out = out.slice(prefix.length + 1).trim();
        changed = true;
      }
    }
  }
  return out;
}

const AMBIGUOUS_STRIPPED = new Set(['london']);

/** A matcher over the reference table's names and their variants. */
export interface CouncilMatcher {
  /** The council a name denotes, tried whole and then with affixes stripped. */
  exact(name: string): ReferenceCouncil | null;
  /** Every council named somewhere in a text, with its first mention and how often it is named. */
  mentions(
    text: string,
  ): { council: ReferenceCouncil; index: number; length: number; count: number }[];
}

/** Builds a matcher over the reference table. */
export function buildCouncilMatcher(
  reference: ReferenceCouncil[] = referenceCouncils,
): CouncilMatcher {
  const byKey = new Map<string, ReferenceCouncil>();
  for (const council of reference) {
    const names = [council.la_name, plainCouncilName(council.la_name)]
      .concat(council.name_variants.split('|'), council.name_variants_manual.split('|'))
      .filter((n) => n.trim().length > 0);
    for (const name of names) {
      const full = councilKey(name);
      for (const key of [full, stripCouncilAffixes(full)]) {
        // "City of London" stripped is "London", which names the region and Ofsted's address.
        if (key !== full && AMBIGUOUS_STRIPPED.has(key)) continue;
        if (key.length > 2 && !byKey.has(key)) byKey.set(key, council);
      }
    }
  }
  // Longest keys first so that "North Somerset" wins over "Somerset".
  const keys = [...byKey.keys()].sort((a, b) => b.length - a.length || a.localeCompare(b));
  return {
    exact(name) {
      const key = councilKey(name);
      return byKey.get(key) ?? byKey.get(stripCouncilAffixes(key)) ?? null;
    },
    mentions(text) {
      const folded = ` ${councilKey(text)} `;
      const taken: [number, number][] = [];
      const found = new Map<ReferenceCouncil, { index: number; length: number; count: number }>();
      for (const key of keys) {
        let from = 0;
        for (;;) {
          const at = folded.indexOf(` ${key} `, from);
          if (at < 0) break;
          from = at + 1;
          const span: [number, number] = [at, at + key.length + 2];
          if (taken.some(([s, e]) => span[0] < e && s < span[1])) continue;
          taken.push(span);
          const council = byKey.get(key);
          if (!council) continue;
          const seen = found.get(council);
          if (seen) {
            seen.count += 1;
            if (at < seen.index) Object.assign(seen, { index: at, length: key.length });
          } else found.set(council, { index: at, length: key.length, count: 1 });
        }
      }
      return [...found.entries()]
        .map(([council, m]) => ({ council, ...m }))
        .sort((a, b) => a.index - b.index);
    },
  };
}
