import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { projectRoot } from './config.js';

/** The running release: package.json's version and, where known, the git commit it was built from. */
export interface AppVersion {
  version: string;
  /** Short commit id from APP_COMMIT (set by the container build or the service unit) or from .git; undefined when unknown. */
  commit: string | undefined;
  /** "0.1.0 (3f2a9c1)" or "0.1.0". */
  label: string;
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** The commit HEAD points to, read from the files of .git (a checkout or a worktree), without running git. */
export function commitFromGit(root: string): string | undefined {
  const dotGit = resolve(root, '.git');
  if (!existsSync(dotGit)) return undefined;
  // In a worktree .git is a file naming the real git directory; refs live in the shared ("common") directory.
  let gitDir = dotGit;
  if (statSync(dotGit).isFile()) {
    const pointer = /^gitdir:\s*(.+)$/m.exec(readText(dotGit) ?? '')?.[1];
    if (!pointer) return undefined;
    gitDir = resolve(root, pointer);
  }
  const commonDir = resolve(gitDir, readText(resolve(gitDir, 'commondir')) ?? '.');
  const head = readText(resolve(gitDir, 'HEAD'));
  if (!head) return undefined;
  if (/^[0-9a-f]{40}$/.test(head)) return head;
  const ref = /^ref:\s*(\S+)$/.exec(head)?.[1];
  if (!ref) return undefined;
  const loose = readText(resolve(gitDir, ref)) ?? readText(resolve(commonDir, ref));
  if (loose && /^[0-9a-f]{40}$/.test(loose)) return loose;
  const packed = readText(resolve(commonDir, 'packed-refs')) ?? '';
  return packed.split('\n').map((line) => line.split(' ')).find(([, name]) => name === ref)?.[0];
}

let cached: AppVersion | undefined;

/** Read once per process: a running instance keeps the version it started with. */
export function appVersion(env: NodeJS.ProcessEnv = process.env, root = projectRoot): AppVersion {
  if (cached && env === process.env && root === projectRoot) return cached;
  const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { version?: string };
  const version = pkg.version ?? '0.0.0';
  const full = (env.APP_COMMIT ?? '').trim() || commitFromGit(root);
  const commit = full ? full.slice(0, 12) : undefined;
  const result = { version, commit, label: commit ? `${version} (${commit})` : version };
  if (env === process.env && root === projectRoot) cached = result;
  return result;
}
