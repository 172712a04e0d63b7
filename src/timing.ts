/** Waiting: a plain sleep and the capped exponential backoff the retry loops share. */

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The delay of retry number `attempt` (0 first): `baseMs`·2^attempt, capped at `maxMs`. */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number): number {
  return Math.min(baseMs * 2 ** attempt, maxMs);
}

/** The delay after `currentMs` in a doubling sequence capped at `maxMs`. */
export function nextBackoff(currentMs: number, maxMs: number): number {
  return Math.min(currentMs * 2, maxMs);
}
