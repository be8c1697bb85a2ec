import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
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
  /** Further bodies of the region (IT provider, associations …) offered as organisations; a missing file offers none. */
  organisationsCsv: string;
  /** The folder with the public register files the administration can import (REGISTERS_DIR). */
  registersDir: string;
  sessionSecret: string;
  /** Where the session secret came from: SESSION_SECRET, the file in DATA_DIR, or generated at this start. */
  sessionSecretSource: 'environment' | 'file' | 'generated';
  /** SESSION_SECRET_ROTATE=1: this start replaces the session secret recorded in the database (everyone signs in again). */
  rotateSessionSecret: boolean;
  sessionMaxAgeHours: number;
  logLevel: string;
  /** Which proxies may name the client address in X-Forwarded-For, in the forms Fastify's trustProxy takes. */
  trustProxy: TrustProxy;
  /** Background jobs (mail delivery) run in this process. */
  runJobs: boolean;
  /**
   * Per 15 minutes: failed sign-ins per account (signIn) and per client address (signInAddress); attempts per
   * client address on the join and password-reset forms.
   */
  rateLimits: { signIn: number; signInAddress: number; join: number; reset: number };
  /** Reports by different members after which a question or answer is hidden until a moderator decides. */
  reportsToHide: number;
  /** Bytes the page cache for anonymous visitors may hold (PAGE_CACHE_MB). */
  pageCacheBytes: number;
  /** Days each kind of data is kept before the retention job deletes it; see RETENTION_* in README.md. */
  retention: RetentionPeriods;
  /** OpenID Connect providers offered on the sign-in page (OIDC_PROVIDERS and OIDC_<ID>_*), in the order given. */
  signOnProviders: SignOnProvider[];
  /** Which verified e-mail domains and which claims admit a person to which organisation (OIDC_ORGANISATIONS[_FILE]). */
  signOnOrganisations: SignOnOrganisationRule[];
  /** The e-mail and password form on the sign-in page (PASSWORD_SIGN_IN=off removes it). */
  passwordSignIn: boolean;
  /** METRICS_TOKEN: /metrics answers only a request bearing this token; unset, /metrics does not exist (404). */
  metricsToken: string | undefined;
}

/**
 * Days after which the retention job deletes: rejected join requests (counted from the decision), sent mails (from
 * sending), expired sessions (from expiry), spent or expired links and revoked access keys (from expiry, use or
 * revocation) and audit entries (from the entry).
 */
export interface RetentionPeriods {
  rejectedJoinRequests: number;
  sentMail: number;
  expiredSessions: number;
  expiredLinks: number;
  audit: number;
}

/** The environment variable and the default of each retention period, in days. */
export const RETENTION_VARIABLES: Record<keyof RetentionPeriods, { name: string; days: number }> = {
  rejectedJoinRequests: { name: 'RETENTION_REJECTED_REQUESTS_DAYS', days: 90 },
  sentMail: { name: 'RETENTION_SENT_MAIL_DAYS', days: 30 },
  expiredSessions: { name: 'RETENTION_EXPIRED_SESSIONS_DAYS', days: 0 },
  expiredLinks: { name: 'RETENTION_EXPIRED_LINKS_DAYS', days: 7 },
  audit: { name: 'RETENTION_AUDIT_DAYS', days: 365 },
};

/** Ten years: a longer period is almost certainly a typo (hours or a date given as days). */
const MAX_RETENTION_DAYS = 3650;

/** Reads the RETENTION_*_DAYS variables: whole days from 0 (at the next run) to 3650; empty or unset keeps the default. */
export function parseRetention(env: NodeJS.ProcessEnv): RetentionPeriods {
  const periods = {} as RetentionPeriods;
  for (const [kind, { name, days }] of Object.entries(RETENTION_VARIABLES) as [keyof RetentionPeriods, { name: string; days: number }][]) {
    const value = (env[name] ?? '').trim();
    if (value === '') {
      periods[kind] = days;
      continue;
    }
    if (!/^\d+$/.test(value) || Number(value) > MAX_RETENTION_DAYS) {
      throw new Error(`${name} must be a whole number of days from 0 to ${MAX_RETENTION_DAYS} (default ${days}), got "${value}"`);
    }
    periods[kind] = Number(value);
  }
  return periods;
}

/** One OpenID Connect provider the platform is registered at as a confidential client. */
export interface SignOnProvider {
  /** Lower-case id from OIDC_PROVIDERS; part of the sign-in and return addresses. */
  id: string;
  /** Shown on the button: "Anmelden mit <name>". */
  name: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
  scopes: string;
  /** The claim that says the e-mail address is verified (email_verified; Entra ID: xms_edov). */
  emailVerifiedClaim: string;
}

/** `@olpe.de` (a verified e-mail domain) or `claim=value` (a claim of the ID token), naming an organisation by slug, AGS or name. */
export type SignOnOrganisationRule =
  | { kind: 'domain'; domain: string; organisation: string }
  | { kind: 'claim'; claim: string; value: string; organisation: string };

/** false: no proxy; true: any (only when said so); a number: that many proxies in front; a list: these addresses or networks. */
export type TrustProxy = boolean | number | string[];

/** The names proxy-addr (Fastify's trustProxy) knows for common private networks. */
const PROXY_NETWORK_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

function isAddressOrNetwork(entry: string): boolean {
  if (PROXY_NETWORK_NAMES.includes(entry)) return true;
  const [address, bits, ...rest] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (version === 4 ? 32 : 128);
}

/**
 * Reads TRUST_PROXY: unset, empty, 0 or false trusts no proxy; a whole number is the count of proxies in front
 * (1 for one reverse proxy); a comma-separated list names the proxies' addresses or networks (CIDR); true trusts
 * every X-Forwarded-For, which anyone can forge, so only when said so.
 */
export function parseTrustProxy(value: string | undefined): TrustProxy {
  const v = (value ?? '').trim();
  if (v === '' || v === '0' || v.toLowerCase() === 'false') return false;
  if (v.toLowerCase() === 'true') return true;
  if (/^\d+$/.test(v)) return Number(v);
  const entries = v.split(',').map((e) => e.trim()).filter(Boolean);
  const wrong = entries.filter((e) => !isAddressOrNetwork(e));
  if (entries.length === 0 || wrong.length > 0) {
    throw new Error(`TRUST_PROXY must be a number of proxies (e.g. 1), a comma-separated list of addresses or networks (e.g. 127.0.0.1,10.0.0.0/8) or true; not understood: "${wrong.join(', ') || v}"`);
  }
  return entries;
}

/**
 * TRUST_PROXY as Fastify's trustProxy option. Fastify 5.12 no longer follows a bare hop count (it trusts no
 * proxy then), so a count becomes a function trusting that many hops, as Express and earlier Fastify did.
 */
export function trustProxyOption(trust: TrustProxy): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof trust !== 'number') return trust;
  if (trust === 0) return false;
  return (_address: string, hop: number) => hop < trust;
}

export const projectRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));

function intFrom(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number, got "${value}"`);
  return n;
}

/** Reads the session secret from the data directory, creating one on first start. */
function sessionSecretFor(dataDir: string, given: string | undefined): { secret: string; source: Config['sessionSecretSource'] } {
  if (given) {
    if (given.length < 32) throw new Error('SESSION_SECRET must have at least 32 characters');
    return { secret: given, source: 'environment' };
  }
  const file = resolve(dataDir, 'session-secret');
  if (existsSync(file)) return { secret: readFileSync(file, 'utf8').trim(), source: 'file' };
  const secret = randomBytes(32).toString('hex');
  writeFileSync(file, secret + '\n', { mode: 0o600, flag: 'wx' });
  return { secret, source: 'generated' };
}

/** METRICS_TOKEN: unset or empty turns /metrics off; a token shorter than 16 characters is refused (it would be guessable). */
function metricsTokenFrom(value: string | undefined): string | undefined {
  const token = (value ?? '').trim();
  if (token === '') return undefined;
  if (token.length < 16) throw new Error('METRICS_TOKEN must have at least 16 characters (e.g. openssl rand -hex 24)');
  return token;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const port = intFrom(env.PORT, 3000, 'PORT');
  const dataDir = resolve(projectRoot, env.DATA_DIR || 'data');
  mkdirSync(dataDir, { recursive: true });
  const baseUrl = (env.BASE_URL || `http://localhost:${port}`).replace(/\/+$/, '');
  const secret = overrides.sessionSecret ? { secret: overrides.sessionSecret, source: 'environment' as const } : sessionSecretFor(dataDir, env.SESSION_SECRET);
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
    organisationsCsv: resolve(projectRoot, env.REGION_ORGANISATIONS_CSV || 'reference/suedwestfalen/organisationen.csv'),
    registersDir: resolve(projectRoot, env.REGISTERS_DIR || 'reference/registers'),
    sessionSecret: secret.secret,
    sessionSecretSource: secret.source,
    rotateSessionSecret: env.SESSION_SECRET_ROTATE === '1',
    sessionMaxAgeHours: intFrom(env.SESSION_MAX_AGE_HOURS, 12, 'SESSION_MAX_AGE_HOURS'),
    logLevel: env.LOG_LEVEL || 'info',
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    runJobs: env.RUN_JOBS !== '0',
    rateLimits: {
      signIn: intFrom(env.RATE_LIMIT_SIGN_IN, 10, 'RATE_LIMIT_SIGN_IN'),
      signInAddress: intFrom(env.RATE_LIMIT_SIGN_IN_ADDRESS, 100, 'RATE_LIMIT_SIGN_IN_ADDRESS'),
      join: intFrom(env.RATE_LIMIT_JOIN, 5, 'RATE_LIMIT_JOIN'),
      reset: intFrom(env.RATE_LIMIT_RESET, 5, 'RATE_LIMIT_RESET'),
    },
    reportsToHide: intFrom(env.REPORTS_TO_HIDE, 3, 'REPORTS_TO_HIDE') || 1,
    pageCacheBytes: intFrom(env.PAGE_CACHE_MB, 64, 'PAGE_CACHE_MB') * 1024 * 1024,
    retention: parseRetention(env),
    signOnProviders: parseSignOnProviders(env),
    signOnOrganisations: parseSignOnOrganisations(env),
    passwordSignIn: parsePasswordSignIn(env.PASSWORD_SIGN_IN),
    metricsToken: metricsTokenFrom(env.METRICS_TOKEN),
  };
  if (!config.passwordSignIn && config.signOnProviders.length === 0) {
    throw new Error('PASSWORD_SIGN_IN=off needs at least one provider in OIDC_PROVIDERS, or nobody could sign in');
  }
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

const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

/**
 * Reads OIDC_PROVIDERS (comma-separated ids, e.g. keycloak,entra) and for each id OIDC_<ID>_ISSUER, _CLIENT_ID,
 * _CLIENT_SECRET, _SCOPES (default "openid email profile"), _NAME (default: the id) and _EMAIL_VERIFIED_CLAIM
 * (default email_verified). The issuer must be https (plain http only on this machine, for development).
 */
export function parseSignOnProviders(env: NodeJS.ProcessEnv): SignOnProvider[] {
  const ids = (env.OIDC_PROVIDERS ?? '').split(',').map((id) => id.trim()).filter(Boolean);
  const seen = new Set<string>();
  return ids.map((raw) => {
    if (!/^[A-Za-z][A-Za-z0-9_]{0,30}$/.test(raw)) {
      throw new Error(`OIDC_PROVIDERS: "${raw}" is not a usable id (letters, digits and _, starting with a letter)`);
    }
    const id = raw.toLowerCase();
    if (seen.has(id)) throw new Error(`OIDC_PROVIDERS names "${id}" twice`);
    seen.add(id);
    const prefix = `OIDC_${id.toUpperCase()}_`;
    const value = (name: string) => (env[prefix + name] ?? '').trim();
    const missing = ['ISSUER', 'CLIENT_ID', 'CLIENT_SECRET'].filter((name) => !value(name)).map((name) => prefix + name);
    if (missing.length > 0) throw new Error(`OIDC_PROVIDERS names "${id}", but ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not set`);
    let issuer: URL;
    try {
      issuer = new URL(value('ISSUER'));
    } catch {
      throw new Error(`${prefix}ISSUER must be the provider's issuer URL (e.g. https://login.example.de/realms/kommunen), not "${value('ISSUER')}"`);
    }
    if (issuer.protocol !== 'https:' && !(issuer.protocol === 'http:' && LOOPBACK_HOSTS.includes(issuer.hostname))) {
      throw new Error(`${prefix}ISSUER must be an https:// address (plain http only for a provider on this machine), not "${issuer.href}"`);
    }
    const scopes = value('SCOPES') || 'openid email profile';
    if (!scopes.split(/\s+/).includes('openid')) throw new Error(`${prefix}SCOPES must include openid, got "${scopes}"`);
    return {
      id, name: value('NAME') || raw, issuer: value('ISSUER'), clientId: value('CLIENT_ID'), clientSecret: value('CLIENT_SECRET'),
      scopes, emailVerifiedClaim: value('EMAIL_VERIFIED_CLAIM') || 'email_verified',
    };
  });
}

/**
 * Reads the table of who may enter through single sign-on: OIDC_ORGANISATIONS_FILE (a file) or OIDC_ORGANISATIONS
 * (inline, entries separated by ";"). One entry a line: `@olpe.de olpe` (a verified e-mail domain) or
 * `tid=9188040d-... kreis-olpe` (a claim and its value), then the organisation's slug, AGS or name; # starts a comment.
 * Whether each organisation exists is checked at start-up against the database.
 */
export function parseSignOnOrganisations(env: NodeJS.ProcessEnv): SignOnOrganisationRule[] {
  let text = env.OIDC_ORGANISATIONS ?? '';
  let source = 'OIDC_ORGANISATIONS';
  if (env.OIDC_ORGANISATIONS_FILE) {
    const file = resolve(projectRoot, env.OIDC_ORGANISATIONS_FILE);
    source = file;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      throw new Error(`OIDC_ORGANISATIONS_FILE: cannot read ${file}`);
    }
  } else {
    text = text.replace(/;/g, '\n');
  }
  const rules: SignOnOrganisationRule[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    const entry = line.replace(/#.*$/, '').trim();
    if (!entry) return;
    const [matcher, ...rest] = entry.split(/\s+/);
    const organisation = rest.join(' ');
    const where = `${source}, entry ${index + 1} ("${entry}")`;
    if (!organisation) throw new Error(`${where}: the organisation (slug, AGS or name) is missing after "${matcher}"`);
    if (/^@[a-z0-9.-]+\.[a-z]{2,}$/i.test(matcher)) {
      rules.push({ kind: 'domain', domain: matcher.slice(1).toLowerCase(), organisation });
    } else if (/^[A-Za-z_][\w.:-]*=.+$/.test(matcher)) {
      const at = matcher.indexOf('=');
      rules.push({ kind: 'claim', claim: matcher.slice(0, at), value: matcher.slice(at + 1), organisation });
    } else {
      throw new Error(`${where}: start with @domain (e.g. @olpe.de) or claim=value (e.g. tid=9188040d-...)`);
    }
  });
  return rules;
}

/** PASSWORD_SIGN_IN: on (default) or off. */
function parsePasswordSignIn(value: string | undefined): boolean {
  const v = (value ?? '').trim().toLowerCase();
  if (v === '' || v === 'on' || v === '1' || v === 'true') return true;
  if (v === 'off' || v === '0' || v === 'false') return false;
  throw new Error(`PASSWORD_SIGN_IN must be on or off, got "${value}"`);
}
