import mammoth from 'mammoth';
import { htmlToText } from './html';
import { UnreadableFileError, type ReadFormat } from './types';

/**
 * A Word document (.docx) through mammoth, which writes its paragraphs, headings, lists and
 * tables as HTML (headers and footers left out), read as any web page is.
 */
export const readDocxFile: ReadFormat = async (bytes) => {
  let html: string;
  try {
    // mammoth's browser build reads `arrayBuffer` and its Node build `buffer`; both hand the
    // bytes to JSZip, which takes an ArrayBuffer either way.
    const arrayBuffer = bytes.slice().buffer;
    const input = { arrayBuffer, buffer: arrayBuffer } as unknown as { arrayBuffer: ArrayBuffer };
    const result = await mammoth.convertToHtml(input);
    html = result.value;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new UnreadableFileError(`not a readable Word document: ${message.split('\n')[0]}`);
  }
  return htmlToText(html);
};
