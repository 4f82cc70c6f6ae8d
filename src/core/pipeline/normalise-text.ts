/** Turns raw document text into the canonical `source_text` that finding offsets point into. */
export function normaliseText(raw: string): string {
  return (
    raw
      // A byte-order mark is an encoding artefact, not text.
      .replace(/^\uFEFF/, '')
      .replace(/\r\n?/g, '\n')
      // Form feeds are page breaks from PDF-to-text tools: kept on a line of their own, so that
      // a bullet running over the break can be joined up again.
      .replace(/[ ]*\f[ ]*/g, '\n\f\n')
      .replace(/[\u00A0\u2007\u202F]/g, ' ')
      // Zero-width characters and soft hyphens are invisible: a word split by one is one word.
      .replace(/\u200B|\u200C|\u200D|\u2060|\uFEFF|\u00AD/g, '')
      // Typographic ligatures ("ﬁ" in "ﬁles", "ﬃ" in "staﬃng"), as text taken from a PDF can
      // hold them: the letters they stand for, so that words read and search as written.
      .replace(/[\uFB00-\uFB06]/g, (ligature) => ligature.normalize('NFKC'))
      .replace(/\t/g, ' ')
      .replace(/[\u2028\u2029]/g, '\n')
      // Other C0 controls carry no meaning in a letter.
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000B\u000E-\u001F\u007F]/g, '')
      .replace(/[ ]+$/gm, '')
  );
}

// Every character that `foldForMatching` replaces; most text holds none of them.
const FOLDED_CHARS_RE =
  /[\u2018\u2019\u201A\u201B\u2032\u0060\u00B4\u201C\u201D\u201E\u201F\u2033\u2010-\u2015\u2212\uFB01\uFB02]/;

/** Folds typographic variants (curly quotes, dashes, ligatures) so that patterns can match them. */
export function foldForMatching(text: string): string {
  if (!FOLDED_CHARS_RE.test(text)) return text;
  return text
    .replace(/[\u2018\u2019\u201A\u201B\u2032\u0060\u00B4]/g, "'")
    .replace(/[\u201C\u201D\u201E\u201F\u2033]/g, '"')
    .replace(/[\u2010\u2011\u2012\u2013\u2014\u2015\u2212]/g, '-')
    .replace(/\uFB01/g, 'fi')
    .replace(/\uFB02/g, 'fl');
}

// Whitespace that collapsing changes: any but a plain space, two in a row, or at either end.
const UNCOLLAPSED_RE = /[^\S ]| {2}|^ | $/;

/** Collapses runs of whitespace to one space and trims. */
export function collapseWhitespace(text: string): string {
  if (!UNCOLLAPSED_RE.test(text)) return text;
  return text.replace(/\s+/g, ' ').trim();
}
