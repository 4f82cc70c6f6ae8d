import { fold, forEachWord, isWordChar } from './text';

/**
 * The search box's language, parsed into a tree:
 *
 * - words: `late assessments` finds findings with both words (AND is implicit; an uppercase
 *   `AND` may be written and means the same);
 * - `"quoted phrases"`: the words one after another (straight or typographic quotes);
 * - `OR` (uppercase) between words, phrases or groups: either; it binds tighter than the implicit
 *   AND, so `police OR health referral` is `(police OR health) referral`;
 * - `( … )` groups;
 * - a leading `-` leaves a word, phrase or group out: `threshold -strategy`;
 * - `*` at the end of a word matches words beginning so: `assess*`.
 *
 * Words are compared by dictionary form (see `text.ts`); a word written with inner punctuation
 * (`multi-agency`) is the phrase of its parts. Punctuation standing alone is ignored, and
 * anything else a person types (SQL, HTML, quotes) is only ever words to look for: the tree holds
 * text, never code. A query that cannot be read gives an error in plain words, with the part of
 * the query it is about, for the page to show beside the box.
 */

/** One word to match: folded as in `text.ts`, or, with `prefix`, the start of words. */
export interface WordPattern {
  /** The word folded (lower case, accents dropped), without the `*`. */
  text: string;
  /** `assess*`: matches every word, or dictionary form, beginning with `text`. */
  prefix: boolean;
  /** Offsets of the word as typed in the query. */
  start: number;
  end: number;
}

/** A parsed query. */
export type QueryNode =
  | { type: 'term'; word: WordPattern; start: number; end: number }
  | { type: 'phrase'; words: WordPattern[]; start: number; end: number }
  | { type: 'and'; children: QueryNode[] }
  | { type: 'or'; children: QueryNode[] }
  | { type: 'not'; child: QueryNode; start: number; end: number };

/** Why a query cannot be read, in plain words, and the part of the query it is about. */
export interface QueryError {
  message: string;
  start: number;
  end: number;
}

export type ParseResult = { ok: true; query: QueryNode } | { ok: false; error: QueryError };

/** A word shorter than this cannot take a `*`: "a*" would match most of the archive. */
export const MIN_PREFIX_LENGTH = 2;

const QUOTES = new Set(['"', '\u201c', '\u201d']);
const MESSAGES = {
  empty: 'Type a word or a phrase to search for.',
  loneMinus:
    'A "-" must be followed straight by the word or phrase to leave out, as in -strategy (no space after the "-").',
  orBefore: '"OR" needs a word or phrase before it.',
  orAfter: '"OR" needs a word or phrase after it.',
  andBefore: '"AND" needs a word or phrase before it.',
  andAfter: '"AND" needs a word or phrase after it.',
  emptyQuotes: 'The quotes have nothing to search for between them.',
  emptyBrackets: 'The brackets have nothing to search for between them.',
  closesNothing: 'The bracket ")" closes nothing: there is no "(" before it.',
  starInside: 'A "*" can only end a word, as in assess*.',
  starAlone: 'A "*" must come straight after the start of a word, as in assess*.',
  starShort: `A word ending in "*" needs at least ${MIN_PREFIX_LENGTH} letters before the "*", as in assess*.`,
  doubleMinus:
    'A "-" cannot leave out what is already left out: write the word without either "-".',
  onlyExcluded:
    'Add a word or phrase to look for: a search cannot only leave words out ("-" before every word).',
} as const;

type Item =
  | { kind: 'words'; words: WordPattern[]; quoted: boolean; start: number; end: number }
  | { kind: 'minus' | 'or' | 'and' | 'open' | 'close'; start: number; end: number };

class QuerySyntaxError extends Error {
  constructor(
    message: string,
    readonly start: number,
    readonly end: number,
  ) {
    super(message);
  }
}

function fail(message: string, start: number, end: number): never {
  throw new QuerySyntaxError(message, start, end);
}

function isSpace(ch: string | undefined): boolean {
  return ch !== undefined && /\s/.test(ch);
}

/** The words of `query` between `from` and `to`, with `*` read as a prefix mark. */
function wordsIn(query: string, from: number, to: number): WordPattern[] {
  const piece = query.slice(from, to);
  const out: WordPattern[] = [];
  const ends = new Set<number>();
  forEachWord(piece, (s, e) => {
    const start = from + s;
    const end = from + e;
    ends.add(end);
    const prefix = query[end] === '*' && end < to;
    if (prefix) {
      if (end + 1 < to && isWordChar(query.charCodeAt(end + 1)))
        fail(MESSAGES.starInside, start, end + 1);
      if (end - start < MIN_PREFIX_LENGTH) fail(MESSAGES.starShort, start, end + 1);
    }
    out.push({ text: fold(query.slice(start, end)), prefix, start, end });
  });
  for (let i = from; i < to; i++) {
    if (query[i] === '*' && !ends.has(i)) fail(MESSAGES.starAlone, i, i + 1);
  }
  return out;
}

function hasWord(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (isWordChar(text.charCodeAt(i))) return true;
  return false;
}

/** The first word typed from `from` on, for messages ("before "late""). */
function firstWordFrom(query: string, from: number): string | null {
  let found: string | null = null;
  forEachWord(query.slice(from), (s, e) => {
    if (found === null) found = query.slice(from + s, from + e);
  });
  return found;
}

/** The last word typed before `to`, for messages. */
function lastWordBefore(query: string, to: number): string | null {
  let found: string | null = null;
  forEachWord(query.slice(0, to), (s, e) => {
    found = query.slice(s, e);
  });
  return found;
}

function lex(query: string): Item[] {
  const items: Item[] = [];
  const n = query.length;
  let i = 0;
  while (i < n) {
    const ch = query[i]!;
    if (isSpace(ch)) {
      i++;
    } else if (QUOTES.has(ch)) {
      let close = i + 1;
      while (close < n && !QUOTES.has(query[close]!)) close++;
      if (close >= n) {
        const next = firstWordFrom(query, i + 1);
        const before = lastWordBefore(query, i);
        fail(
          next !== null
            ? `The quote opened before "${next}" is never closed.`
            : before !== null
              ? `The quote after "${before}" is never closed.`
              : 'The quote is never closed.',
          i,
          n,
        );
      }
      const words = wordsIn(query, i + 1, close);
      if (words.length === 0) fail(MESSAGES.emptyQuotes, i, close + 1);
      items.push({ kind: 'words', words, quoted: true, start: i, end: close + 1 });
      i = close + 1;
    } else if (ch === '(' || ch === ')') {
      items.push({ kind: ch === '(' ? 'open' : 'close', start: i, end: i + 1 });
      i++;
    } else {
      let end = i;
      while (end < n) {
        const c = query[end]!;
        if (isSpace(c) || QUOTES.has(c) || c === '(' || c === ')') break;
        end++;
      }
      const chunk = query.slice(i, end);
      if (ch === '-') {
        // "-word", "-"phrase"", "-(group)"; punctuation standing alone ("--", "->") is skipped.
        const next = query[i + 1];
        if (next === undefined || isSpace(next) || next === ')') fail(MESSAGES.loneMinus, i, i + 1);
        if (end - i > 1 && !hasWord(chunk)) {
          i = end;
          continue;
        }
        items.push({ kind: 'minus', start: i, end: i + 1 });
        i++;
        continue;
      }
      const afterMinus = items.at(-1)?.kind === 'minus' && items.at(-1)?.end === i;
      if (!afterMinus && (chunk === 'OR' || chunk === 'AND')) {
        items.push({ kind: chunk === 'OR' ? 'or' : 'and', start: i, end });
      } else {
        const words = wordsIn(query, i, end);
        // Punctuation standing alone is no word to look for; after a "-" it leaves nothing out.
        if (words.length > 0) items.push({ kind: 'words', words, quoted: false, start: i, end });
        else if (afterMinus) fail(MESSAGES.loneMinus, i - 1, end);
      }
      i = end;
    }
  }
  return items;
}

class Parser {
  private i = 0;

  constructor(
    private readonly query: string,
    private readonly items: Item[],
  ) {}

  parse(): QueryNode {
    const children = this.sequence(0);
    if (children.length === 0) fail(MESSAGES.empty, 0, this.query.length);
    return children.length === 1 ? children[0]! : { type: 'and', children };
  }

  /** Terms joined by (implicit) AND, up to the end or a closing bracket. */
  private sequence(depth: number): QueryNode[] {
    const children: QueryNode[] = [];
    let pendingAnd: Item | null = null;
    while (this.i < this.items.length) {
      const item = this.items[this.i]!;
      if (item.kind === 'close') {
        if (depth === 0) fail(MESSAGES.closesNothing, item.start, item.end);
        break;
      }
      if (item.kind === 'or') {
        if (pendingAnd) fail(MESSAGES.andAfter, pendingAnd.start, pendingAnd.end);
        fail(MESSAGES.orBefore, item.start, item.end);
      }
      if (item.kind === 'and') {
        if (children.length === 0 || pendingAnd) fail(MESSAGES.andBefore, item.start, item.end);
        pendingAnd = item;
        this.i++;
        continue;
      }
      children.push(this.either());
      pendingAnd = null;
    }
    if (pendingAnd) fail(MESSAGES.andAfter, pendingAnd.start, pendingAnd.end);
    return children;
  }

  /** Terms joined by OR. */
  private either(): QueryNode {
    const first = this.unary();
    const options = [first];
    while (this.items[this.i]?.kind === 'or') {
      const or = this.items[this.i]!;
      this.i++;
      const next = this.items[this.i];
      if (!next || next.kind === 'or' || next.kind === 'and' || next.kind === 'close')
        fail(MESSAGES.orAfter, or.start, or.end);
      options.push(this.unary());
    }
    return options.length === 1 ? first : { type: 'or', children: options };
  }

  private unary(): QueryNode {
    const item = this.items[this.i]!;
    if (item.kind !== 'minus') return this.primary();
    this.i++;
    const next = this.items[this.i];
    if (!next || next.start !== item.end || (next.kind !== 'words' && next.kind !== 'open'))
      fail(MESSAGES.loneMinus, item.start, item.end);
    const child = this.primary();
    return { type: 'not', child, start: item.start, end: this.items[this.i - 1]!.end };
  }

  private primary(): QueryNode {
    const item = this.items[this.i]!;
    this.i++;
    if (item.kind === 'words') {
      if (item.words.length === 1)
        return { type: 'term', word: item.words[0]!, start: item.start, end: item.end };
      return { type: 'phrase', words: item.words, start: item.start, end: item.end };
    }
    if (item.kind === 'open') {
      const children = this.sequence(1);
      const close = this.items[this.i];
      if (close?.kind !== 'close') {
        const next = firstWordFrom(this.query, item.end);
        fail(
          next !== null
            ? `The bracket opened before "${next}" is never closed.`
            : 'The bracket "(" is never closed.',
          item.start,
          this.query.length,
        );
      }
      this.i++;
      if (children.length === 0) fail(MESSAGES.emptyBrackets, item.start, close.end);
      return children.length === 1 ? children[0]! : { type: 'and', children };
    }
    // A "-" straight after a "-", or an operator where a word should be.
    if (item.kind === 'minus') fail(MESSAGES.loneMinus, item.start, item.end);
    return fail(MESSAGES.empty, item.start, item.end);
  }
}

/** The first word or phrase inside a node, for messages. */
function shown(query: string, node: QueryNode): string {
  switch (node.type) {
    case 'term':
    case 'phrase':
    case 'not':
      return query.slice(node.start, node.end);
    default:
      return shown(query, node.children[0]!);
  }
}

/** Flattens nested ANDs and checks that every AND has something to look for and OR no "-". */
function check(query: string, node: QueryNode): QueryNode {
  switch (node.type) {
    case 'term':
    case 'phrase':
      return node;
    case 'not': {
      const child = check(query, node.child);
      if (child.type === 'not') fail(MESSAGES.doubleMinus, node.start, node.end);
      return { ...node, child };
    }
    case 'or': {
      for (const child of node.children) {
        if (child.type === 'not')
          fail(
            `A word left out ("${shown(query, child)}") cannot be one side of "OR": write it without "OR" to leave it out of every finding.`,
            child.start,
            child.end,
          );
      }
      const options: QueryNode[] = [];
      for (const child of node.children.map((c) => check(query, c))) {
        if (child.type === 'or') options.push(...child.children);
        else options.push(child);
      }
      return { type: 'or', children: options };
    }
    case 'and': {
      const children: QueryNode[] = [];
      for (const child of node.children.map((c) => check(query, c))) {
        if (child.type === 'and') children.push(...child.children);
        else children.push(child);
      }
      if (children.every((c) => c.type === 'not')) {
        const first = children[0] as Extract<QueryNode, { type: 'not' }>;
        const last = children.at(-1) as Extract<QueryNode, { type: 'not' }>;
        fail(MESSAGES.onlyExcluded, first.start, last.end);
      }
      return { type: 'and', children };
    }
  }
}

/** Parses a search box's text; never throws. */
export function parseQuery(query: string): ParseResult {
  try {
    const items = lex(query);
    let node = new Parser(query, items).parse();
    node = check(query, node);
    if (node.type === 'not') fail(MESSAGES.onlyExcluded, node.start, node.end);
    return { ok: true, query: node };
  } catch (error) {
    if (error instanceof QuerySyntaxError)
      return { ok: false, error: { message: error.message, start: error.start, end: error.end } };
    throw error;
  }
}

function wordToString(word: WordPattern): string {
  return word.prefix ? `${word.text}*` : word.text;
}

/**
 * The query written back in a canonical form: words folded, every OR and group explicit, e.g.
 * `(police OR health) -"not seen"`. Reading it again gives the same tree.
 */
export function queryToString(node: QueryNode): string {
  switch (node.type) {
    case 'term':
      return wordToString(node.word);
    case 'phrase':
      return `"${node.words.map(wordToString).join(' ')}"`;
    case 'not': {
      const inner = queryToString(node.child);
      return node.child.type === 'and' || node.child.type === 'or' ? `-(${inner})` : `-${inner}`;
    }
    case 'or':
      return node.children
        .map((c) => (c.type === 'and' ? `(${queryToString(c)})` : queryToString(c)))
        .join(' OR ');
    case 'and':
      return node.children
        .map((c) => (c.type === 'or' ? `(${queryToString(c)})` : queryToString(c)))
        .join(' ');
  }
}
