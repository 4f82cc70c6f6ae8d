import { useEffect } from 'react';

const marked = new Set<string>();

// The benchmark reads the mark (e.g. `first-chart`), the browser tests the attribute.
/**
 * Once per page load, after the caller's first paint: `performance.mark(name)` and
 * `data-<name>="painted"` on `<html>`.
 */
export function usePaintMark(name: string): void {
  useEffect(() => {
    if (marked.has(name)) return;
    marked.add(name);
    // The frame after the commit is painted before a task queued from its rAF callback runs.
    requestAnimationFrame(() =>
      setTimeout(() => {
        performance.mark(name);
        document.documentElement.setAttribute(`data-${name}`, 'painted');
      }, 0),
    );
  }, [name]);
}
