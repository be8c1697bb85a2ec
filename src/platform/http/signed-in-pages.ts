import type { FastifyReply, FastifyRequest } from 'fastify';
import { CompiledQuery, sql, type RawBuilder } from 'kysely';
import { nowIso } from '../clock.js';
import { contentState, type Db } from '../db/database.js';
import { dialectOf } from '../db/dialect.js';
import type { Role } from '../db/schema.js';
import { can, type CurrentUser } from '../policy.js';
import type { PageCache } from './page-cache.js';
import { isSetupComplete } from './setup-state.js';

/** What one statement reads for a signed-in request: the session, the person and their organisation, the unread count. */
interface SignedInRow {
  data: string;
  expires_at: string;
  id: number;
  name: string;
  email: string;
  role: Role;
  organisation_id: number;
  organisation_name: string;
  session_generation: number;
  unread: number | string;
  page_version?: unknown;
}

/**
 * The statement, compiled once per database and route version: the session by its id (unexpired), the active person
 * it names, their organisation, their count of unread notifications and, where the route gives it as SQL, the page's
 * version. Its two parameters are the session id and the current time.
 */
function compileSignedInQuery(db: Db, versionColumn: RawBuilder<string> | undefined): string {
  const userId = dialectOf(db) === 'postgres' ? sql`(s.data::json ->> 'userId')::integer` : sql`json_extract(s.data, '$.userId')`;
  return sql`select s.data, s.expires_at, u.id, u.name, u.email, u.role, u.organisation_id, u.session_generation, o.name as organisation_name,
      (select count(*) from notifications n where n.user_id = u.id and n.read_at is null) as unread${versionColumn ? sql`, ${versionColumn} as page_version` : sql``}
    from sessions s
    join users u on u.id = ${userId}
    join organisations o on o.id = u.organisation_id
    where s.sid = ${''} and s.expires_at > ${''} and u.active = 1`.compile(db).sql;
}

/** How many sessions' rows are remembered per statement at most (on SQLite); beyond that the memory starts afresh. */
const REMEMBERED_ROWS = 10_000;

/** The statement of a route's version column, and the rows it read per session id (on SQLite, see signedInRow). */
interface Statement {
  sql: string;
  remembered: Map<string, { state: string; row: SignedInRow }>;
}

/**
 * Answers a signed-in member's request for a cached page (the list, a solution, the search, the home page …) from
 * the page cache with one database statement (which also reads the page's version where the route gives it as SQL,
 * pageVersionColumn), instead of the session, person, unread
 * count and version read one after another, each through the session and form plugins. On SQLite the statement's row
 * is used again while nothing in the database has changed (signedInRow).
 *
 * It answers only when the ordinary path would answer with exactly this cached page: a valid session cookie of an
 * unexpired stored session, of an active person whose sessions were not ended since (session generation), with the
 * role "member" (administrators and moderators have their own checks: two-factor set-up, open join requests), no
 * message waiting for the next page (flash), setup complete, the route's action allowed, and a page cached for the
 * person's audience of the version read now from the database. Anything else goes the ordinary way, unchanged.
 */
export function signedInPages(db: Db, pageCache: PageCache) {
  const statements = new Map<RawBuilder<string> | undefined, Statement>();
  const state = contentState(db);
  /**
   * The row of a session for a statement. On SQLite it is remembered with the state of the database's content
   * (contentState) read before the statement, and used again while the state is the same and the session has not
   * expired: nothing the row shows can have changed meanwhile. PostgreSQL reads it every time.
   */
  const signedInRow = async ({ sql: text, remembered }: Statement, sid: string): Promise<SignedInRow | undefined> => {
    const now = nowIso();
    const current = state?.();
    const kept = current === undefined ? undefined : remembered.get(sid);
    if (kept && kept.state === current && kept.row.expires_at > now) return kept.row;
    const row = (await db.executeQuery<SignedInRow>(CompiledQuery.raw(text, [sid, now]))).rows[0];
    if (current !== undefined && row) {
      if (remembered.size >= REMEMBERED_ROWS) remembered.clear();
      remembered.set(sid, { state: current, row });
    }
    return row;
  };
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    const config = request.routeOptions.config;
    const version = config?.pageVersion;
    const cookie = request.cookies.sid;
    if (!version || request.method !== 'GET' || !cookie) return undefined;
    const sid = request.unsignCookie(cookie);
    if (!sid.valid || !sid.value || !(await isSetupComplete(db))) return undefined;
    const column = config.pageVersionColumn;
    let statement = statements.get(column);
    if (statement === undefined) statements.set(column, statement = { sql: compileSignedInQuery(db, column), remembered: new Map() });
    const row = await signedInRow(statement, sid.value);
    if (!row || row.role !== 'member') return undefined;
    const data = JSON.parse(row.data) as { userId?: unknown; sessionGeneration?: number; flash?: unknown; cookie?: { expires?: string; originalExpires?: string } };
    const expires = data.cookie?.originalExpires ?? data.cookie?.expires;
    if (data.userId !== row.id || (data.sessionGeneration ?? 0) !== Number(row.session_generation) || data.flash
      || (expires && new Date(expires).getTime() <= Date.now())) return undefined;
    const user: CurrentUser = { id: row.id, name: row.name, email: row.email, role: row.role, organisationId: row.organisation_id, organisationName: row.organisation_name };
    if (!can(user, config.action ?? '')) return undefined;
    request.user = user;
    request.unreadNotifications = Number(row.unread);
    const answered = pageCache.answerSignedIn(request, reply, column ? String(row.page_version) : await version(true));
    if (answered) return answered;
    // Not cached (yet): the ordinary path reads and renders it.
    request.user = null;
    request.unreadNotifications = null;
    return undefined;
  };
}
