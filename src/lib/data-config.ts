import type { TableName } from '@/core/schema';

/**
 * Where the Parquet files live, as an absolute URL ending in `/`: a `<meta name="data-base-url">`
 * in the page wins, then `VITE_DATA_BASE_URL` at build time, then `./data/` beside the page.
 */
export function dataBaseUrl(): string {
  const meta = document.querySelector('meta[name="data-base-url"]')?.getAttribute('content');
  const env: unknown = import.meta.env.VITE_DATA_BASE_URL;
  const configured = meta?.trim() || (typeof env === 'string' && env.trim()) || './data/';
  const withSlash = configured.endsWith('/') ? configured : `${configured}/`;
  return new URL(withSlash, document.baseURI).href;
}

/** The URL of one of the contract's Parquet files. */
export function parquetUrl(table: TableName): string {
  return new URL(`${table}.parquet`, dataBaseUrl()).href;
}
