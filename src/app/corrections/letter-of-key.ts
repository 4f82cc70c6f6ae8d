/** The letter a finding key belongs to: everything before its last colon. */
export function letterOfKey(key: string): string {
  const at = key.lastIndexOf(':');
  return at < 0 ? key : key.slice(0, at);
}
