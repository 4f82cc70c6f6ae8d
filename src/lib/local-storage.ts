/** The browser's localStorage, or null where there is none or it is refused (some private modes). */
export function localStorageOrNull(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}
