import { parseDocument } from 'htmlparser2';
import type { AnyNode, Element } from 'domhandler';
import { type Block, blocksToText } from './blocks';
import { decodeText } from './decode-text';
import type { ReadFormat } from './types';

/** Elements that never hold the letter's words. */
const DROPPED_TAGS = new Set([
  'head',
  'script',
  'style',
  'noscript',
  'template',
  'nav',
  'header',
  'footer',
  'aside',
  'form',
  'button',
  'select',
  'input',
  'textarea',
  'iframe',
  'svg',
  'object',
  'embed',
  'canvas',
  'map',
]);
/** id or class words of a page's own furniture: archive banners, navigation, download boxes. */
const FURNITURE_RE =
  /banner|nav|breadcrumb|download|footer|menu|ukgwa|wayback|wm-ipp|cookie|sidebar|skip|masthead|toolbar|search|share|social|related|print-?link|feedback|pager/i;
const FURNITURE_WORDS = new Set(['header', 'site-header', 'page-header', 'top', 'logo']);
const HEADING_TAGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
/** Elements that end the line of text before them and start a new block. */
const BLOCK_TAGS = new Set([
  'p',
  'div',
  'section',
  'article',
  'main',
  'body',
  'html',
  'blockquote',
  'address',
  'pre',
  'ul',
  'ol',
  'dl',
  'dt',
  'dd',
  'table',
  'thead',
  'tbody',
  'tfoot',
  'tr',
  'td',
  'th',
  'caption',
  'figure',
  'figcaption',
  'center',
  'hr',
  'fieldset',
  'legend',
  ...HEADING_TAGS,
]);

const isElement = (node: AnyNode): node is Element =>
  node.type === 'tag' || node.type === 'script' || node.type === 'style';

/** True for an element that is a page's furniture rather than its content. */
function isFurniture(element: Element): boolean {
  if (DROPPED_TAGS.has(element.name)) return true;
  if (element.attribs.hidden !== undefined || element.attribs['aria-hidden'] === 'true')
    return true;
  if (/display\s*:\s*none/i.test(element.attribs.style ?? '')) return true;
  if (element.attribs.role === 'navigation' || element.attribs.role === 'banner') return true;
  const names = `${element.attribs.id ?? ''} ${element.attribs.class ?? ''}`.trim();
  if (names.length === 0) return false;
  if (FURNITURE_RE.test(names)) return true;
  return names.split(/\s+/).some((word) => FURNITURE_WORDS.has(word.toLowerCase()));
}

/** The text an element shows, furniture left out, whitespace collapsed. */
function visibleText(node: AnyNode): string {
  if (node.type === 'text') return node.data;
  if (!isElement(node) || isFurniture(node)) return '';
  return node.children.map(visibleText).join(' ');
}

const SALUTATION_RE = /\bDear\s+\S/;
const SIGN_OFF_RE = /\bYours\s+(sincerely|faithfully)\b/i;

/**
 * The element that holds the letter: the innermost one that has both its salutation and its
 * sign-off; a page without them (a council's report) is read whole.
 */
function letterRoot(root: AnyNode): AnyNode {
  let best: AnyNode = root;
  const visit = (node: AnyNode): void => {
    if (!isElement(node) || isFurniture(node)) return;
    const text = visibleText(node);
    if (!SALUTATION_RE.test(text) || !SIGN_OFF_RE.test(text)) return;
    best = node;
    for (const child of node.children) visit(child);
  };
  for (const child of (root as Element).children) visit(child);
  return best;
}

/** Collects an element's blocks: headings, paragraphs, list items, one paragraph per table cell. */
class BlockWriter {
  readonly blocks: Block[] = [];
  private line = '';
  private kind: 'heading' | 'paragraph' | 'item' = 'paragraph';
  /** Inside a list item, its paragraphs and nested lists stay in the item. */
  private itemDepth = 0;

  flush(): void {
    if (this.line.trim().length > 0) this.blocks.push({ kind: this.kind, text: this.line });
    this.line = '';
    this.kind = 'paragraph';
  }

  write(node: AnyNode, pre = false): void {
    if (node.type === 'text') {
      this.line += pre ? node.data : node.data.replace(/\s+/g, ' ');
      return;
    }
    if (node.type === 'root') {
      for (const child of (node as unknown as Element).children) this.write(child, pre);
      return;
    }
    if (!isElement(node) || isFurniture(node)) return;
    const tag = node.name;
    if (tag === 'br') {
      this.line += '\n';
      return;
    }
    // Inside a list item, everything (its paragraphs, a list nested in it) is the item's text.
    if (this.itemDepth > 0 && (BLOCK_TAGS.has(tag) || tag === 'li')) {
      this.line += ' ';
      for (const child of node.children) this.write(child, pre || tag === 'pre');
      this.line += ' ';
      return;
    }
    if (tag === 'li') {
      this.flush();
      this.itemDepth += 1;
      this.kind = 'item';
      for (const child of node.children) this.write(child, pre);
      this.itemDepth -= 1;
      this.flush();
      return;
    }
    // Word's saved web pages write a list item as a paragraph styled `mso-list`, its bullet a
    // glyph in the Symbol or Wingdings font ("·", "§", "Ø"): the paragraph is an item, the glyph
    // no text.
    if (this.isWordBullet(node)) {
      this.kind = 'item';
      return;
    }
    if (this.rowOfWords(node)) return;
    const block = BLOCK_TAGS.has(tag);
    if (block) this.flush();
    if (HEADING_TAGS.has(tag)) this.kind = 'heading';
    if (/mso-list\s*:\s*l\d/i.test(node.attribs.style ?? '')) this.kind = 'item';
    if (this.isPageBreak(node)) this.blocks.push({ kind: 'page-break' });
    for (const child of node.children) this.write(child, pre || tag === 'pre');
    if (block) this.flush();
  }

  /** A table row of short cells with no paragraphs in them ("Publication date | 3 Dec 2009") is one line. */
  private rowOfWords(node: Element): boolean {
    if (node.name !== 'tr') return false;
    const cells = node.children.filter(isElement).filter((c) => c.name === 'td' || c.name === 'th');
    const flat = (n: AnyNode): boolean =>
      !isElement(n) ||
      (!BLOCK_TAGS.has(n.name) && n.name !== 'li' && n.name !== 'br' && n.children.every(flat));
    if (cells.length < 2 || !cells.every((c) => c.children.every(flat))) return false;
    this.flush();
    this.line = cells
      .map((c) => visibleText(c).replace(/\s+/g, ' ').trim())
      .filter(Boolean)
      .join('  ');
    this.flush();
    return true;
  }

  /** A bullet glyph in a symbol font at the start of a paragraph, as Word saves lists. */
  private isWordBullet(node: Element): boolean {
    if (this.line.trim().length > 0) return false;
    if (!/font-family\s*:\s*['"]?(symbol|wingdings|webdings)/i.test(node.attribs.style ?? ''))
      return false;
    return visibleText(node).replace(/[\s\u00A0]+/g, '').length <= 1;
  }

  private isPageBreak(node: Element): boolean {
    return /page-break-before\s*:\s*always|break-before\s*:\s*page/i.test(node.attribs.style ?? '');
  }
}

/** Reads an HTML document (a saved web page, or what a Word converter wrote) into blocks. */
export function htmlToBlocks(html: string): Block[] {
  const document = parseDocument(html, { decodeEntities: true, lowerCaseTags: true });
  const writer = new BlockWriter();
  writer.write(letterRoot(document));
  writer.flush();
  return writer.blocks;
}

/** Reads an HTML document into structured text. */
export function htmlToText(html: string): string {
  return blocksToText(htmlToBlocks(html));
}

/** A web page (.html), as saved from the web archive. */
export const readHtmlFile: ReadFormat = (bytes) => htmlToText(decodeText(bytes));
