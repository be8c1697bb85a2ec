import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { projectRoot } from '../config.js';

/** The folder served under /static/. */
export const PUBLIC_DIR = resolve(projectRoot, 'public');

/** How long a browser keeps a fingerprinted file (a year: its address changes with its content). */
export const IMMUTABLE_CACHE_CONTROL = 'public, max-age=31536000, immutable';
/** How long a browser keeps a file asked for under its plain address (an old page, a bookmark). */
export const PLAIN_CACHE_CONTROL = 'public, max-age=3600';

function fingerprints(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else out.set(relative(dir, path).split('\\').join('/'), createHash('sha256').update(readFileSync(path)).digest('hex').slice(0, 12));
    }
  };
  walk(dir);
  return out;
}

/** Content hashes of the static files, taken once at start (the files change only with a new release). */
const hashes = fingerprints(PUBLIC_DIR);

/**
 * The address of a static file with its content hash (/static/styles.css?v=3f2a…): cached for a year, and a new
 * release with another content has another address. The plain address keeps working, cached for an hour.
 */
export function assetUrl(name: string): string {
  const hash = hashes.get(name);
  return hash ? `/static/${name}?v=${hash}` : `/static/${name}`;
}

/** The cache lifetime of a static file asked for at `url` (path and query under /static/). */
export function assetCacheControl(url: string): string {
  const [path, query = ''] = url.split('?');
  const name = decodeURIComponent(path.replace(/^\/static\//, ''));
  const hash = hashes.get(name);
  return hash && new URLSearchParams(query).get('v') === hash ? IMMUTABLE_CACHE_CONTROL : PLAIN_CACHE_CONTROL;
}
