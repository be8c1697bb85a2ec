/**
 * Turns the errors of a failed start (an unusable DATABASE_URL, a database that is down or refuses us) into one
 * line an operator can act on. The password of DATABASE_URL never appears in it.
 */

/** postgres://user:***@host:5432/db: the address without its password, for messages and logs. */
export function redactDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.href;
  } catch {
    return url.replace(/\/\/([^:/@]*):.*@/, '//$1:***@');
  }
}

/** Thrown when DATABASE_URL cannot be used at all; the message is meant for the operator as it is. */
export class DatabaseUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatabaseUrlError';
  }
}

/** Checks the form of a postgres:// DATABASE_URL before anything connects with it. */
export function checkPostgresUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new DatabaseUrlError(`DATABASE_URL is not a valid address: "${redactDatabaseUrl(url)}". Expected postgres://user:password@host:5432/database (special characters in the password percent-encoded, e.g. @ as %40).`);
  }
  if (!parsed.hostname && !parsed.searchParams.get('host')) {
    throw new DatabaseUrlError(`DATABASE_URL names no host: "${redactDatabaseUrl(url)}". Expected postgres://user:password@host:5432/database.`);
  }
}

interface ErrorWithCode extends Error {
  code?: string;
}

/** The one-line message for an error that stopped the start; undefined when it is none of the known kinds. */
export function describeStartupError(err: unknown, databaseUrl: string | undefined): string | undefined {
  if (!(err instanceof Error)) return undefined;
  if (err instanceof DatabaseUrlError) return err.message;
  const e = err as ErrorWithCode;
  let where = 'the database';
  if (databaseUrl) {
    try {
      const u = new URL(databaseUrl);
      where = `PostgreSQL at ${u.hostname}:${u.port || '5432'} (database "${decodeURIComponent(u.pathname.slice(1)) || u.username}")`;
    } catch { /* the form was checked before connecting */ }
  }
  switch (e.code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `Cannot reach ${where}: the host name is unknown. Check the host in DATABASE_URL.`;
    case 'ECONNREFUSED':
      return `Cannot reach ${where}: the connection was refused. Is PostgreSQL running and listening on that address and port?`;
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `Cannot reach ${where}: no answer (${e.code}). Check the host, the port and the firewall.`;
    case '28P01':
      return `${where} refused the sign-in: wrong password for the user in DATABASE_URL.`;
    case '28000':
      return `${where} refused the sign-in: ${e.message}. Check the user in DATABASE_URL and pg_hba.conf.`;
    case '3D000':
      return `${where}: ${e.message}. Create it (createdb) or correct the database name in DATABASE_URL.`;
    case '57P03':
      return `${where} is starting up or shutting down; try again in a moment.`;
    default:
      break;
  }
  if (/timeout expired|Connection terminated due to connection timeout/i.test(e.message)) {
    return `Cannot reach ${where}: no answer within the connection timeout. Check the host, the port and the firewall.`;
  }
  return undefined;
}
