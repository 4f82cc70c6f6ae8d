/**
 * When the letters remembered in this browser are back in the engine (src/features/add-letters
 * puts them back on load): work on the session's letters, such as applying the corrections made
 * in this browser, waits for it, since it may name one of them.
 */
let markRestored: () => void = () => undefined;
const restored = new Promise<void>((resolve) => {
  markRestored = resolve;
});

/** Settles once the added letters are restored, or there were none, or they could not be. */
export function addedLettersRestored(): Promise<void> {
  return restored;
}

/** Says the added letters are restored (or there were none, or they failed): call once. */
export function settleAddedLettersRestore(): void {
  markRestored();
}

const changeListeners = new Set<() => void>();

/** Calls `listener` after letters were added to or replaced in the session; returns the unsubscribe. */
export function onSessionLettersChanged(listener: () => void): () => void {
  changeListeners.add(listener);
  return () => void changeListeners.delete(listener);
}

/** Says letters were added to or replaced in the session's tables. */
export function announceSessionLettersChanged(): void {
  for (const listener of changeListeners) listener();
}
