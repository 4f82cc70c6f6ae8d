/**
 * Where the corrections made in this browser are kept in localStorage. A module of its own with
 * no imports: the build's page reads it before any script (src/app/prerender-gate.ts).
 */
export const CORRECTIONS_STORAGE_KEY = 'front-door-dashboard:corrections';
