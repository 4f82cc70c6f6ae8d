import { letterOfKey, type Correction } from '@/core/corrections';
import { SECTION_HEADINGS, type Section } from '@/core/schema';

/** A correction in words: what was done to which finding, and why. */
export function describeCorrection(
  c: Correction,
  labels: ReadonlyMap<string, string> = new Map(),
): string {
  const what =
    c.action === 'move_section'
      ? `moved to ${SECTION_HEADINGS[c.section as Section] ?? c.section}`
      : `${c.action === 'remove_theme' ? 'theme removed' : 'theme added'}: ${labels.get(c.theme_id) ?? c.theme_id}`;
  const finding = c.finding_text ? `“${c.finding_text}”` : letterOfKey(c.finding_key);
  return `${finding} (${letterOfKey(c.finding_key)}): ${what}. Reason: ${c.reason}`;
}
