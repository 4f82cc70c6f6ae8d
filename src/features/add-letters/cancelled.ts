/** The error a cancelled batch rejects with (an AbortError, as `fetch` gives when aborted). */
export function abortError(): DOMException {
  return new DOMException('The letters were not added: cancelled.', 'AbortError');
}

/** Whether an error is a batch's cancellation rather than a failure. */
export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}
