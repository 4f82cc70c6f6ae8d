import { decodeText } from './decode-text';
import type { ReadFormat } from './types';

/** Plain text and markdown, as text exports and PDF-to-markdown converters write them. */
export const readTextFile: ReadFormat = (bytes) => decodeText(bytes);
