import { decodeText } from './decode-text';
import type { FormatReader } from './types';

/** Plain text and markdown, as text exports and PDF-to-markdown converters write them. */
export const textReader: FormatReader = {
  extensions: ['.txt', '.text', '.md', '.markdown'],
  label: 'text file',
  read: (bytes) => decodeText(bytes),
};
