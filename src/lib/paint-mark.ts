import { useEffect } from 'react';

const marked = new Set<string>();

/**
 * Once per page load, when the calling component has been painted: records
 * `performance.mark(name)` and sets `data-<name>="painted"` on `<html>`, which the benchmark and
 * the browser tests read (e.g. `first-chart`).
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
