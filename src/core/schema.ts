/**
 * The data contract (shared/design/data-contract.md) declared once: the pipeline writes Parquet
 * from these column lists and the dashboard types its rows with these interfaces.
 */

/** DuckDB column types used by the contract. */
export type ColumnType = 'VARCHAR' | 'INTEGER' | 'DOUBLE' | 'BOOLEAN' | 'DATE' | 'INTEGER[]';

/** The four sections a finding can sit under, in the order a letter usually gives them. */
export const SECTIONS = ['strength', 'satisfactory', 'development', 'priority_action'] as const;

/** A finding's section. */
export type Section = (typeof SECTIONS)[number];

/** Each section's heading as the letters write it. */
export const SECTION_HEADINGS: Record<Section, string> = {
  strength: 'Strengths',
  satisfactory: 'Satisfactory practice',
  development: 'Areas for development',
  priority_action: 'Areas for priority action',
};

/** The two kinds of document the pipeline reads. */
export type DocumentKind = 'ofsted_letter' | 'council_report';

/** One row of `letters.parquet`; dates are ISO `YYYY-MM-DD` strings. */
export interface LetterRow {
  letter_id: string;
  source_file: string;
  document_kind: DocumentKind;
  council_name: string;
  la_code: string | null;
  dfe_la_code: number | null;
  region: string | null;
  letter_date: string | null;
  inspection_start: string;
  inspection_end: string;
  inspection_year: number;
  reporting_year: string;
  inspector: string | null;
  has_priority_actions: boolean;
  finding_count: number;
  source_text: string;
  /** What looked wrong when the letter was read, one warning per line; null when nothing did. */
  parse_warnings: string | null;
}

/** One row of `findings.parquet`. */
export interface FindingRow {
  finding_id: string;
  letter_id: string;
  position: number;
  section: Section;
  text: string;
  char_start: number;
  char_end: number;
  previously_identified: boolean;
  /**
   * The finding's letter and a hash of its text (src/core/corrections.ts): what corrections name
   * it by, the same whenever the same letter is read; null in files written before 1.3.
   */
  finding_key: string | null;
  /** The page the finding starts on (1-based), where the document has pages; else null. */
  page: number | null;
}

/** One row of `finding_themes.parquet`. */
export interface FindingThemeRow {
  finding_id: string;
  theme_id: string;
  rank: number;
  evidence: string;
  /** How sure the tagger is, 0 to 1 in hundredths; null in files written before 1.2. */
  confidence: number | null;
  /** True when `confidence` is below the taxonomy's threshold: counted only on request. */
  uncertain: boolean | null;
  /**
   * `tagger`, `reviewed` for a tag a published correction added, or `user` for a saved theme's
   * (src/core/search/saved-themes.ts, since 1.4); null before 1.3. In the page a tag added by a
   * correction made in this browser is `you` (never written to a file).
   */
  source: 'tagger' | 'reviewed' | 'you' | 'user' | null;
}

/** One row of `themes.parquet`. */
export interface ThemeRow {
  theme_id: string;
  label: string;
  group_label: string;
  description: string;
  taxonomy_version: string;
  /**
   * A theme someone defined by a search (a saved theme, src/core/search/saved-themes.ts) rather
   * than one of the taxonomy's; null (taken as false) in files written before 1.4.
   */
  user_defined: boolean | null;
}

/** One row of `councils.parquet`: an English local authority with children's services, 2009-12. */
export interface CouncilRow {
  la_code: string;
  dfe_la_code: number;
  council_name: string;
  la_type: string;
  region: string;
  /** DfE numbers of the council's statistical neighbours in the April 2021 model (a proxy). */
  stat_neighbours_2021_proxy: number[];
}

/** Column name → DuckDB type, in file order, for each Parquet file. */
export const TABLES = {
  letters: {
    letter_id: 'VARCHAR',
    source_file: 'VARCHAR',
    document_kind: 'VARCHAR',
    council_name: 'VARCHAR',
    la_code: 'VARCHAR',
    dfe_la_code: 'INTEGER',
    region: 'VARCHAR',
    letter_date: 'DATE',
    inspection_start: 'DATE',
    inspection_end: 'DATE',
    inspection_year: 'INTEGER',
    reporting_year: 'VARCHAR',
    inspector: 'VARCHAR',
    has_priority_actions: 'BOOLEAN',
    finding_count: 'INTEGER',
    source_text: 'VARCHAR',
    parse_warnings: 'VARCHAR',
  } satisfies Record<keyof LetterRow, ColumnType>,
  findings: {
    finding_id: 'VARCHAR',
    letter_id: 'VARCHAR',
    position: 'INTEGER',
    section: 'VARCHAR',
    text: 'VARCHAR',
    char_start: 'INTEGER',
    char_end: 'INTEGER',
    previously_identified: 'BOOLEAN',
    finding_key: 'VARCHAR',
    page: 'INTEGER',
  } satisfies Record<keyof FindingRow, ColumnType>,
  finding_themes: {
    finding_id: 'VARCHAR',
    theme_id: 'VARCHAR',
    rank: 'INTEGER',
    evidence: 'VARCHAR',
    confidence: 'DOUBLE',
    uncertain: 'BOOLEAN',
    source: 'VARCHAR',
  } satisfies Record<keyof FindingThemeRow, ColumnType>,
  themes: {
    theme_id: 'VARCHAR',
    label: 'VARCHAR',
    group_label: 'VARCHAR',
    description: 'VARCHAR',
    taxonomy_version: 'VARCHAR',
    user_defined: 'BOOLEAN',
  } satisfies Record<keyof ThemeRow, ColumnType>,
  councils: {
    la_code: 'VARCHAR',
    dfe_la_code: 'INTEGER',
    council_name: 'VARCHAR',
    la_type: 'VARCHAR',
    region: 'VARCHAR',
    stat_neighbours_2021_proxy: 'INTEGER[]',
  } satisfies Record<keyof CouncilRow, ColumnType>,
} as const;

/** The data contract's version (docs/data-contract.md, Changelog). */
export const CONTRACT_VERSION = '1.5';

/**
 * Columns added to the contract since 1.0, by table: files written before (or by other tools)
 * may lack them, and readers then take them as nulls.
 */
export const ADDED_COLUMNS: { readonly [T in TableName]?: readonly (keyof (typeof TABLES)[T])[] } =
  {
    letters: ['parse_warnings'],
    findings: ['finding_key', 'page'],
    finding_themes: ['confidence', 'uncertain', 'source'],
    themes: ['user_defined'],
  };

/** The name of one of the contract's tables (and of its `<name>.parquet` file). */
export type TableName = keyof typeof TABLES;

/** Table names in the order they are written and loaded. */
export const TABLE_NAMES = Object.keys(TABLES) as TableName[];
