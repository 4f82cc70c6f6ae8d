import { snappyUncompress, type CompressionCodec, type Compressors } from 'hyparquet';

// hyparquet itself reads only SNAPPY and uncompressed pages; its companion package brings the
// other codecs other tools write (pyarrow and polars default to SNAPPY or ZSTD, Spark and R's
// arrow offer GZIP, LZ4, BROTLI). The package (some 60 kB gzipped, most of it Brotli's
// dictionary) is fetched only for a file that needs it: the pipeline's files are SNAPPY. It
// compiles a small WebAssembly Snappy decoder when loaded, which the page's
// Content-Security-Policy allows ('wasm-unsafe-eval').

/** The codecs the decoder reads, in the order a message names them. */
export const READABLE_CODECS: readonly CompressionCodec[] = [
  'UNCOMPRESSED',
  'SNAPPY',
  'ZSTD',
  'GZIP',
  'LZ4',
  'LZ4_RAW',
  'BROTLI',
];

/** hyparquet's own Snappy decoder, as a decompressor. */
const BUILT_IN: Compressors = {
  SNAPPY: (input, length) => {
    const output = new Uint8Array(length);
    snappyUncompress(input, output);
    return output;
  },
};

let loaded: Promise<Compressors> | undefined;

/** Every codec but LZO (which no writer defaults to), from hyparquet-compressors, loaded once. */
function allCompressors(): Promise<Compressors> {
  loaded ??= import('hyparquet-compressors').then(({ compressors }) => ({
    ...compressors,
    // An empty page (a v2 page of nothing but nulls) is one zero token in LZ4, which the
    // package's decoder takes for a bad match offset.
    LZ4: (input, length) => (length === 0 ? new Uint8Array(0) : compressors.LZ4!(input, length)),
    LZ4_RAW: (input, length) =>
      length === 0 ? new Uint8Array(0) : compressors.LZ4_RAW!(input, length),
  }));
  return loaded;
}

/** Decompressors for the codecs a file uses (see {@link READABLE_CODECS}). */
export function compressorsFor(codecs: Iterable<string>): Promise<Compressors> {
  const own = [...codecs].every((codec) => codec === 'SNAPPY' || codec === 'UNCOMPRESSED');
  return own ? Promise.resolve(BUILT_IN) : allCompressors();
}
