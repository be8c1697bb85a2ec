/**
 * Where the platform may send a browser: a path of one of its own pages, written so that it is a valid
 * header value. Every redirect goes through reply.seeOther(), which uses this.
 */

const ORIGIN = 'http://platform.invalid';

/**
 * The value as a same-site path with query and fragment, percent-encoded (plain ASCII, no control
 * characters), or null when it is not a path on this site. Browsers read a backslash as a slash and
 * drop tabs and line breaks, so "/\evil.example" and "/\t/evil.example" are as foreign as "//evil.example";
 * a value with control characters is never one of the platform's own links.
 */
export function sameSitePath(value: unknown): string | null {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2000) return null;
  if (!value.startsWith('/') || /^\/[\s\\/]/.test(value) || /[\x00-\x1f\x7f]/.test(value)) return null;
  let url: URL;
  try {
    url = new URL(value, ORIGIN);
  } catch {
    return null;
  }
  if (url.origin !== ORIGIN) return null;
  const path = url.pathname + url.search + url.hash;
  // The URL parser percent-encodes what a header may not carry; anything left over is refused.
  return /^\/[\x21-\x7e]*$/.test(path) ? path : null;
}

/** Compiles route patterns ("/loesungen/:slug", "/static/*") into a test for concrete paths. */
export function routeMatcher(patterns: readonly string[]): (path: string) => boolean {
  const expressions = [...new Set(patterns)].map((pattern) => new RegExp('^' + pattern.split('/').map((segment) => {
    if (segment === '*') return '.*';
    if (segment.startsWith(':')) return '[^/]+';
    return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }).join('/') + '/?$'));
  return (path: string) => {
    let decoded: string;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      return false;
    }
    return expressions.some((re) => re.test(path) || re.test(decoded));
  };
}
