import type { TableName } from '@/core/schema';

/**
 * Where the Parquet files live, as an absolute URL ending in `/`: a `<meta name="data-base-url">`
 * in the page wins, then `VITE_DATA_BASE_URL` at build time, then `./data/` beside the page.
 */
export function dataBaseUrl(): string {
  return new URL(configuredDataBase(), document.baseURI).href;
}

/**
 * Where the Parquet files live as configured (see {@link dataBaseUrl}), ending in `/` and not
 * resolved: `./data/` stays relative. Safe without a document (the build's prerender, which
 * cannot see a `<meta>` added to the page later).
 */
function configuredDataBase(): string {
  const meta =
    typeof document === 'undefined'
      ? null
      : document.querySelector('meta[name="data-base-url"]')?.getAttribute('content');
  const env: unknown = import.meta.env.VITE_DATA_BASE_URL;
  const configured = meta?.trim() || (typeof env === 'string' && env.trim()) || './data/';
  return configured.endsWith('/') ? configured : `${configured}/`;
}

/** The URL of one of the contract's Parquet files. */
export function parquetUrl(table: TableName): string {
  return new URL(`${table}.parquet`, dataBaseUrl()).href;
}

/**
 * A link to one of the contract's Parquet files as the page writes it: relative when the data sit
 * beside the page, so that the build's prerendered markup and the page's own render agree.
 */
export function parquetHref(table: TableName): string {
  return `${configuredDataBase()}${table}.parquet`;
}
