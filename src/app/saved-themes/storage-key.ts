/**
 * Where the themes saved in this browser are kept in localStorage. A module of its own with no
 * imports: the build's page reads it before any script (src/app/prerender-gate.ts).
 */
export const SAVED_THEMES_STORAGE_KEY = 'front-door-dashboard:saved-themes';
