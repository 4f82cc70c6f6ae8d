/** Rewrites of a letter's text as other tools and typesetters give it, shared by the parser's tests. */

/** Lower-case roman numerals, i to xx, as Word numbers a list's items. */
export const ROMAN =
  'i ii iii iv v vi vii viii ix x xi xii xiii xiv xv xvi xvii xviii xix xx'.split(' ');

/**
 * Hard-wraps every line at `width` columns, as a PDF-to-text tool gives a page. `breakAt`, given
 * a word that does not fit, may say where to break it: the first part ends the line with a hyphen
 * (unless it already ends in one, as "multi-" does) and the rest opens the next; 0 moves the word
 * whole to the next line.
 */
export function hardWrap(text: string, width: number, breakAt?: (word: string) => number): string {
  return text
    .split('\n')
    .map((line) => {
      const out: string[] = [];
      let current = '';
      for (const word of line.split(' ')) {
        if (current !== '' && `${current} ${word}`.length > width) {
          const at = breakAt?.(word) ?? 0;
          if (at > 0) {
            const head = word.slice(0, at);
            out.push(`${current} ${head.endsWith('-') ? head : `${head}-`}`);
            current = word.slice(at);
          } else {
            out.push(current);
            current = word;
          }
        } else current = current === '' ? word : `${current} ${word}`;
      }
      out.push(current);
      return out.join('\n');
    })
    .join('\n');
}
