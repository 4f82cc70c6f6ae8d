/**
 * Adding letters from outside the add-letters view (a link that needs a letter this browser
 * lacks: src/app/missing-letters.tsx). The add-letters feature does the work; the shell hands
 * it over here at start-up (src/shell/app.tsx), so that what the views share never imports a
 * view and no import runs back up.
 */
import type { QueryClient } from '@tanstack/react-query';

/** What became of one file given to the adder. */
export type AddedFileOutcome =
  | { name: string; status: 'added'; letter_id: string; council_name: string }
  | { name: string; status: 'duplicate'; letter_id: string; kept: string }
  | { name: string; status: 'rejected'; reason: string };

/** Adds files as letters (remembered in this browser) and refreshes every view's figures. */
export type LetterAdder = (files: File[], client: QueryClient) => Promise<AddedFileOutcome[]>;

let load: (() => Promise<LetterAdder>) | null = null;

/** Called once by the shell: how to load the adder (a chunk of its own, fetched on first use). */
export function provideLetterAdder(loader: () => Promise<LetterAdder>): void {
  load = loader;
}

/** The adder, loaded on first use; throws where no shell provided one. */
export async function letterAdder(): Promise<LetterAdder> {
  if (!load) throw new Error('letters cannot be added on this page');
  return load();
}
