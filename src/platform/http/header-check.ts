import { validateHeaderName, validateHeaderValue } from 'node:http';

/** Header names whose last valid value is remembered, at most (the platform sets a few dozen). */
const REMEMBERED_NAMES = 256;

/**
 * A check of an answer's headers before they are written: the first header Node would refuse to write (a character
 * outside the header grammar) with Node's error, or null. Most answers repeat the same headers with the same values (the
 * security headers, content types, cache rules), so the value last found valid for each name is remembered and only
 * a header with another value is checked again.
 */
export function headerChecker(): (headers: Record<string, string | number | readonly string[] | undefined>) => { name: string; error: unknown } | null {
  const valid = new Map<string, string | number>();
  return (headers) => {
    for (const name in headers) {
      const value = headers[name];
      if (value !== undefined && valid.get(name) === value) continue;
      try {
        validateHeaderName(name);
        for (const one of [value].flat()) if (one !== undefined) validateHeaderValue(name, String(one));
      } catch (error) {
        return { name, error };
      }
      if (typeof value === 'string' || typeof value === 'number') {
        if (valid.size >= REMEMBERED_NAMES) valid.clear();
        valid.set(name, value);
      }
    }
    return null;
  };
}
