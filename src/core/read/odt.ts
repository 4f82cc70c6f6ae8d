import { strFromU8, unzipSync } from 'fflate';
import { parseDocument } from 'htmlparser2';
import type { AnyNode, Element } from 'domhandler';
import { htmlToText } from './html';
import { UnreadableFileError, type ReadFormat } from './types';

/** OpenDocument text elements and the HTML elements that say the same. */
const AS_HTML: Record<string, string> = {
  'text:h': 'h3',
  'text:p': 'p',
  'text:list': 'ul',
  'text:list-item': 'li',
  'text:list-header': 'li',
  'table:table': 'table',
  'table:table-row': 'tr',
  'table:table-cell': 'td',
  'text:line-break': 'br',
};
/** Elements whose words are not the document's body: notes, comments, change records, declarations. */
const SKIPPED = new Set([
  'text:note',
  'office:annotation',
  'text:tracked-changes',
  'text:sequence-decls',
  'text:variable-decls',
  'text:user-field-decls',
  'office:forms',
  'table:covered-table-cell',
]);

const escape = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Writes an OpenDocument node as the HTML that the web-page reader then reads. */
function toHtml(node: AnyNode): string {
  if (node.type === 'text') return escape(node.data);
  if (node.type !== 'tag' && node.type !== 'root') return '';
  const children = (node as Element).children;
  if (node.type === 'root') return children.map(toHtml).join('');
  const name = (node as Element).name;
  if (SKIPPED.has(name)) return '';
  if (name === 'text:s') return ' '.repeat(Number((node as Element).attribs['text:c'] ?? 1) || 1);
  if (name === 'text:tab') return ' ';
  const inner = children.map(toHtml).join('');
  const tag = AS_HTML[name];
  if (!tag) return inner;
  return tag === 'br' ? '<br>' : `<${tag}>${inner}</${tag}>`;
}

/**
 * An OpenDocument text file (.odt): its `content.xml` (the body; page headers and footers live in
 * `styles.xml` and are left out) read with htmlparser2 and written as HTML for the web-page reader.
 */
export const readOdtFile: ReadFormat = (bytes) => {
  let xml: string;
  if (bytes[0] === 0x3c || (bytes[0] === 0xef && bytes[3] === 0x3c)) xml = strFromU8(bytes);
  else {
    let files: Record<string, Uint8Array>;
    try {
      files = unzipSync(bytes, { filter: (file) => file.name === 'content.xml' });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new UnreadableFileError(`not a readable OpenDocument file: ${message}`);
    }
    const content = files['content.xml'];
    if (!content) throw new UnreadableFileError('not an OpenDocument text file: no content.xml');
    xml = strFromU8(content);
  }
  const document = parseDocument(xml, { xmlMode: true });
  return htmlToText(`<html><body>${toHtml(document)}</body></html>`);
};
