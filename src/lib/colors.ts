/**
 * Colours that pass WCAG AA on white (4.5:1 for text, 3:1 for chart marks), after the GOV.UK
 * palette; each heat step carries the text colour that stays readable on it.
 */
export const COLORS = {
  text: '#0b0c0c',
  secondaryText: '#505a5f',
  brand: '#1d70b8',
  weakness: '#b3261e',
  priority: '#6d1a13',
  strength: '#00703c',
  satisfactory: '#505a5f',
  grid: '#b1b4b6',
} as const;

/** One step of a heat scale: background and the text colour to write on it. */
export interface HeatStep {
  background: string;
  color: string;
}

const WEAKNESS_STEPS: HeatStep[] = [
  { background: '#fbe3dc', color: '#0b0c0c' },
  { background: '#f4b5a3', color: '#0b0c0c' },
  { background: '#e8795b', color: '#0b0c0c' },
  { background: '#b3261e', color: '#ffffff' },
  { background: '#6d1a13', color: '#ffffff' },
];

const STRENGTH_STEPS: HeatStep[] = [
  { background: '#e0f0e6', color: '#0b0c0c' },
  { background: '#a9d8bb', color: '#0b0c0c' },
  { background: '#5fb381', color: '#0b0c0c' },
  { background: '#00703c', color: '#ffffff' },
  { background: '#004223', color: '#ffffff' },
];

const EMPTY_STEP: HeatStep = { background: '#f3f2f1', color: '#505a5f' };

/** A colour for a count on a weakness or strength scale that tops out at `max`. */
export function heatStep(kind: 'weakness' | 'strength', count: number, max: number): HeatStep {
  if (count <= 0 || max <= 0) return EMPTY_STEP;
  const steps = kind === 'weakness' ? WEAKNESS_STEPS : STRENGTH_STEPS;
  const index = Math.min(steps.length - 1, Math.ceil((count / max) * steps.length) - 1);
  return steps[Math.max(0, index)]!;
}

/** The legend of a heat scale: each step with the counts it covers. */
export function heatLegend(
  kind: 'weakness' | 'strength',
  max: number,
): (HeatStep & { label: string })[] {
  const steps = kind === 'weakness' ? WEAKNESS_STEPS : STRENGTH_STEPS;
  const legend = [{ ...EMPTY_STEP, label: '0' }];
  let previous = 0;
  steps.forEach((step, i) => {
    const upper = Math.floor(((i + 1) * max) / steps.length);
    if (upper > previous) {
      legend.push({
        ...step,
        label: upper === previous + 1 ? `${upper}` : `${previous + 1}–${upper}`,
      });
      previous = upper;
    }
  });
  return legend;
}
