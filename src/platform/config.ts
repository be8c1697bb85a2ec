import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Everything the platform reads from its environment; see README.md for each variable. */
export interface Config {
  port: number;
  host: string;
  baseUrl: string;
  databaseUrl: string | undefined;
  dataDir: string;
  smtpUrl: string | undefined;
  mailFrom: string;
  communityName: string;
  regionName: string;
  municipalitiesCsv: string;
  districtsCsv: string;
  /** The region's municipality and district boundaries (GeoJSON) for the map. */
  regionGeojson: string;
  sessionSecret: string;
  sessionMaxAgeHours: number;
  logLevel: string;
  trustProxy: boolean;
  /** Background jobs (mail delivery) run in this process. */
  runJobs: boolean;
  /** Attempts per address and 15 minutes on the sign-in, join and password-reset forms. */
  rateLimits: { signIn: number; join: number; reset: number };
  /** Reports by different members after which a question or answer is hidden until a moderator decides. */
  reportsToHide: number;
  /** Bytes the page cache for anonymous visitors may hold (PAGE_CACHE_MB). */
  pageCacheBytes: number;
}

export const projectRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));

function intFrom(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number, got "${value}"`);
  return n;
}

/** Reads the session secret from the data directory, creating one on first start. */
function sessionSecretFor(dataDir: string, given: string | undefined): string {
  if (given) {
    if (given.length < 32) throw new Error('SESSION_SECRET must have at least 32 characters');
    return given;
  }
  const file = resolve(dataDir, 'session-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(32).toString('hex');
  writeFileSync(file, secret + '\n', { mode: 0o600, flag: 'wx' });
  return secret;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const port = intFrom(env.PORT, 3000, 'PORT');
  const dataDir = resolve(projectRoot, env.DATA_DIR || 'data');
  mkdirSync(dataDir, { recursive: true });
  const baseUrl = (env.BASE_URL || `http://localhost:${port}`).replace(/\/+$/, '');
  const config: Config = {
    port,
    host: env.HOST || '127.0.0.1',
    baseUrl,
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir,
    smtpUrl: env.SMTP_URL || undefined,
    mailFrom: env.MAIL_FROM || `KI-Community <noreply@${new URL(baseUrl).hostname}>`,
    communityName: env.COMMUNITY_NAME || 'KI-Community Südwestfalen',
    regionName: env.REGION_NAME || 'Südwestfalen',
    municipalitiesCsv: resolve(projectRoot, env.REGION_MUNICIPALITIES_CSV || 'reference/suedwestfalen/gemeinden.csv'),
    districtsCsv: resolve(projectRoot, env.REGION_DISTRICTS_CSV || 'reference/suedwestfalen/kreise.csv'),
    regionGeojson: resolve(projectRoot, env.REGION_GEOJSON || 'reference/suedwestfalen/gemeinden.geojson'),
    sessionSecret: overrides.sessionSecret ?? sessionSecretFor(dataDir, env.SESSION_SECRET),
    sessionMaxAgeHours: intFrom(env.SESSION_MAX_AGE_HOURS, 12, 'SESSION_MAX_AGE_HOURS'),
    logLevel: env.LOG_LEVEL || 'info',
    trustProxy: env.TRUST_PROXY === '1' || env.TRUST_PROXY === 'true',
    runJobs: env.RUN_JOBS !== '0',
    rateLimits: {
      signIn: intFrom(env.RATE_LIMIT_SIGN_IN, 10, 'RATE_LIMIT_SIGN_IN'),
      join: intFrom(env.RATE_LIMIT_JOIN, 5, 'RATE_LIMIT_JOIN'),
      reset: intFrom(env.RATE_LIMIT_RESET, 5, 'RATE_LIMIT_RESET'),
    },
    reportsToHide: intFrom(env.REPORTS_TO_HIDE, 3, 'REPORTS_TO_HIDE') || 1,
    pageCacheBytes: intFrom(env.PAGE_CACHE_MB, 64, 'PAGE_CACHE_MB') * 1024 * 1024,
  };
  return checkHttpsBehindProxy({ ...config, ...overrides });
}

/**
 * An https BASE_URL means TLS ends before Node (at a reverse proxy), so Node sees plain http and would never set
 * the Secure session cookie: nobody could sign in. Without TRUST_PROXY the platform cannot know the original
 * protocol, so it refuses to start rather than fail silently at every sign-in.
 */
function checkHttpsBehindProxy(config: Config): Config {
  if (config.baseUrl.startsWith('https://') && !config.trustProxy) {
    throw new Error(`BASE_URL is ${config.baseUrl} (https), but TRUST_PROXY is not set. Behind a reverse proxy that ends TLS, `
      + 'set TRUST_PROXY (see README.md, "Robustheit / Hardening") so that sign-in can set its Secure cookie; '
      + 'without a proxy, use an http:// BASE_URL.');
  }
  return config;
}
