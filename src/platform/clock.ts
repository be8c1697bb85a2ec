/** The current time as stored: ISO-8601 in UTC. */
export function nowIso(): string {
  return new Date().toISOString();
}

export function isoIn(ms: number, from = Date.now()): string {
  return new Date(from + ms).toISOString();
}

export const HOUR = 60 * 60 * 1000;
