import { validateHeaderName, validateHeaderValue } from 'node:http';
import type { FastifyReply } from 'fastify';

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

type Headers = Record<string, string | number | readonly string[] | undefined>;

/** Fastify's own header map of a reply (set with reply.header), found once by its symbol's name. */
let ownHeadersKey: symbol | null | undefined;

/**
 * The headers Fastify writes with the status line: those set with reply.header(). Headers set on the raw response
 * (reply.raw.setHeader, as the security headers are) are left out, because Node checks those when they are set, where
 * the caller gets the error. Reading Fastify's own map spares merging both into a new object on every answer
 * (reply.getHeaders()); should a version of Fastify keep it elsewhere, getHeaders() is used.
 */
export function replyHeaders(reply: FastifyReply): Headers {
  if (ownHeadersKey === undefined) {
    ownHeadersKey = Object.getOwnPropertySymbols(reply).find((s) => s.description === 'fastify.reply.headers') ?? null;
  }
  const own = ownHeadersKey ? (reply as unknown as Record<symbol, unknown>)[ownHeadersKey] : undefined;
  return own && typeof own === 'object' ? own as Headers : reply.getHeaders();
}
