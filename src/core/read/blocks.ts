/**
 * The shape every structured format (HTML, Word, OpenDocument, RTF) is reduced to before it
 * becomes structured text, so that each writes headings, paragraphs and list items the same way.
 */

/** One block of a document in reading order. */
export type Block =
  { kind: 'heading' | 'paragraph' | 'item'; text: string } | { kind: 'page-break' };

/** Collapses runs of spaces and tabs inside each line and trims the lines of a block. */
export function tidyBlockText(text: string): string {
  return text
    .split('\n')
    .map((line) => line.replace(/[ \t\u00A0]+/g, ' ').trim())
    .filter((line, i, lines) => line.length > 0 || (i > 0 && i < lines.length - 1))
    .join('\n')
    .replace(/\n{2,}/g, '\n');
}

/**
 * Writes blocks as structured text: a blank line between blocks, "• " before each list item,
 * a form feed on a line of its own where a page breaks; empty blocks are dropped.
 */
export function blocksToText(blocks: readonly Block[]): string {
  const out: string[] = [];
  for (const block of blocks) {
    if (block.kind === 'page-break') {
      if (out.length > 0 && out[out.length - 1] !== '\f') out.push('\f');
      continue;
    }
    const text = tidyBlockText(block.text);
    if (text.length === 0) continue;
    out.push(block.kind === 'item' ? `• ${text.replace(/\n/g, ' ')}` : text);
  }
  while (out[out.length - 1] === '\f') out.pop();
  return `${out.join('\n\n').replace(/\n\n\f\n\n/g, '\n\f\n')}\n`;
}
