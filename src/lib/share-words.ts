import { formatCount, formatPercent } from '@/lib/format';
import { wilsonInterval } from '@/lib/wilson';

/**
 * A share said in words with its 95% Wilson interval and its n, as a chart's mark tells a screen
 * reader (and its tooltip): "45% (95% interval 30% to 61%), 17 of 38 inspections".
 */
export function shareWords(k: number, n: number, one: string, many: string): string {
  if (n <= 0) return `no ${many} held`;
  const interval = wilsonInterval(k, n);
  const range = interval
    ? ` (95% interval ${formatPercent(interval.low)} to ${formatPercent(interval.high)})`
    : '';
  return `${formatPercent(k / n)}${range}, ${formatCount(k)} of ${formatCount(n)} ${n === 1 ? one : many}`;
}
