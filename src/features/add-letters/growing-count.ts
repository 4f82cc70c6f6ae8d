import { startTransition, useEffect, useState } from 'react';

/**
 * How many of `total` items to render now: `step` at first, then `step` more after each painted
 * frame until all are there. A list of hundreds (a big batch's report, the letters added) then
 * never costs the page one long task or one long frame to render and lay out; it fills in within
 * a few frames.
 */
export function useGrowingCount(total: number, step = 40): number {
  const [shown, setShown] = useState(step);
  useEffect(() => {
    if (shown >= total) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // After the next frame is painted (its callback runs before that paint).
    const frame = requestAnimationFrame(() => {
      timer = setTimeout(
        // A transition: rendered in slices that yield to input.
        () => startTransition(() => setShown((n) => Math.min(total, n) + step)),
        0,
      );
    });
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, [shown, total, step]);
  return Math.min(shown, total);
}
