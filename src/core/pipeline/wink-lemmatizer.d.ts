declare module 'wink-lemmatizer' {
  /** WordNet's Morphy for English: the base form of a word as noun, verb or adjective. */
  const lemmatizer: {
    noun(word: string): string;
    verb(word: string): string;
    adjective(word: string): string;
  };
  export default lemmatizer;
}
