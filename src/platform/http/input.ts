/**
 * Control characters in input. PostgreSQL cannot store NUL in text and refuses the whole statement,
 * SQLite would store it; neither is ever typed on purpose. One rule for both databases:
 * - path parameters with a control character name no page: 404;
 * - query strings, form fields and JSON bodies (nested) lose their control characters, except tab,
 *   line feed and carriage return, which multi-line text needs.
 */

/** C0 controls without tab, LF and CR; DEL; C1 controls. */
const STRIPPED = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]/g;
/** Every control character, tab and line breaks included: none belongs in an address. */
const ANY_CONTROL = /[\x00-\x1f\x7f-\x9f]/;

/** Whether one of the values (a path parameter) has a control character. */
export function hasControlCharacters(values: unknown): boolean {
  if (typeof values === 'string') return ANY_CONTROL.test(values);
  if (values && typeof values === 'object') return Object.values(values).some((v) => typeof v === 'string' && ANY_CONTROL.test(v));
  return false;
}

/** The input with control characters removed from every string (keys included), in place for objects and arrays. */
export function withoutControlCharacters<V>(value: V, depth = 0): V {
  if (typeof value === 'string') return value.replace(STRIPPED, '') as V;
  // Deeper nesting than any form or API body has is left to the validation that refuses it.
  if (value === null || typeof value !== 'object' || depth > 32) return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = withoutControlCharacters(value[i], depth + 1);
    return value;
  }
  // Plain records only (the form parser's have a prototype without Object.prototype); not buffers or streams.
  const proto = Object.getPrototypeOf(value);
  if (proto !== null && proto !== Object.prototype && Object.getPrototypeOf(proto) !== null) return value;
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const clean = withoutControlCharacters(key);
    const inner = withoutControlCharacters(record[key], depth + 1);
    if (clean === key) {
      record[key] = inner;
      continue;
    }
    delete record[key];
    if (clean !== '__proto__' && clean !== 'constructor' && clean !== 'prototype') record[clean] = inner;
  }
  return value;
}
