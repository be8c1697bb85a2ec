import type { Db } from '../../platform/db/database.js';
import type { Lang, T } from '../../platform/i18n/index.js';
import { formatCents } from '../procurement/pricing.js';

/**
 * The administration's log in words: "Petra Schulte hat die Beitrittsanfrage von Jan Berg angenommen." Each kind of
 * entry has a sentence in auditLog.<action>; the names of the people and things an entry points to are looked up
 * once for the whole list (a thing deleted since is named by its kind and number).
 */

export interface AuditRow {
  action: string;
  target_type: string;
  target_id: string;
  details: string;
  actor_name: string | null;
}

type Names = Map<string, string>;
const key = (type: string, id: string | number) => `${type}:${id}`;

function ids(rows: AuditRow[], type: string, extra?: (d: Record<string, unknown>) => unknown): number[] {
  const out = new Set<number>();
  for (const r of rows) {
    if (r.target_type === type) out.add(Number(r.target_id));
    const e = extra?.(details(r));
    if (e !== undefined && e !== null) out.add(Number(e));
  }
  return [...out].filter((n) => Number.isSafeInteger(n));
}

function details(row: AuditRow): Record<string, unknown> {
  try {
    const d = JSON.parse(row.details) as unknown;
    return d && typeof d === 'object' ? (d as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Names of the people, requests, meetings, questions, initiatives and organisations the rows point to. */
export async function auditNames(db: Db, rows: AuditRow[]): Promise<Names> {
  const names: Names = new Map();
  const users = ids(rows, 'user');
  const requests = ids(rows, 'join_request');
  const meetings = ids(rows, 'meeting');
  const questions = ids(rows, 'question', (d) => d.question);
  const initiatives = ids(rows, 'initiative');
  const organisations = ids(rows, 'organisation', (d) => (typeof d.from === 'number' ? d.from : undefined));
  const orgTargets = rows.filter((r) => r.action === 'account.organisation_changed').flatMap((r) => [details(r).from, details(r).to]).map(Number).filter(Number.isSafeInteger);
  if (users.length) for (const u of await db.selectFrom('users').select(['id', 'name']).where('id', 'in', users).execute()) names.set(key('user', u.id), u.name);
  if (requests.length) for (const j of await db.selectFrom('join_requests').select(['id', 'name']).where('id', 'in', requests).execute()) names.set(key('join_request', j.id), j.name);
  if (meetings.length) for (const m of await db.selectFrom('meetings').select(['id', 'title']).where('id', 'in', meetings).execute()) names.set(key('meeting', m.id), m.title);
  if (questions.length) for (const q of await db.selectFrom('questions').select(['id', 'title']).where('id', 'in', questions).execute()) names.set(key('question', q.id), q.title);
  if (initiatives.length) for (const i of await db.selectFrom('procurement_initiatives').select(['id', 'title']).where('id', 'in', initiatives).execute()) names.set(key('initiative', i.id), i.title);
  const orgs = [...new Set([...organisations, ...orgTargets])];
  if (orgs.length) for (const o of await db.selectFrom('organisations').select(['id', 'name']).where('id', 'in', orgs).execute()) names.set(key('organisation', o.id), o.name);
  const answers = ids(rows, 'answer');
  if (answers.length) {
    for (const a of await db.selectFrom('answers').innerJoin('questions', 'questions.id', 'answers.question_id').select(['answers.id', 'questions.title']).where('answers.id', 'in', answers).execute()) {
      names.set(key('answer', a.id), a.title);
    }
  }
  return names;
}

const str = (v: unknown) => (v === undefined || v === null ? '' : String(v));

/** The entry as one sentence in the reader's language. */
export function describeAudit(t: T, lang: Lang, row: AuditRow, names: Names): string {
  const d = details(row);
  const actor = row.actor_name ?? t('auditLog.platform');
  const named = names.get(key(row.target_type, row.target_id));
  const target = named ?? t('auditLog.unknownTarget', { kind: row.target_type, id: row.target_id });
  const vars: Record<string, unknown> = { actor, target };
  switch (row.action) {
    case 'join.approved':
    case 'join.rejected':
      vars.target = named ?? str(d.email);
      vars.reason = str(d.reason);
      break;
    case 'user.invited':
      vars.target = named ?? str(d.email);
      vars.role = t(`roles.${str(d.role)}`, { defaultValue: str(d.role) });
      break;
    case 'user.role_changed':
      vars.from = t(`roles.${str(d.from)}`, { defaultValue: str(d.from) });
      vars.to = t(`roles.${str(d.to)}`, { defaultValue: str(d.to) });
      break;
    case 'legal.updated':
      vars.target = row.target_id === 'datenschutz' ? t('common.privacy') : t('common.imprint');
      break;
    case 'token.created':
    case 'token.revoked':
    case 'sso.linked':
    case 'sso.account_created':
    case 'sso.unlinked':
      vars.name = str(d.name);
      vars.provider = str(d.provider);
      break;
    case 'settings.two_factor_required':
      vars.state = t(d.required ? 'auditLog.switchedOn' : 'auditLog.switchedOff');
      break;
    case 'user.email_change_requested':
    case 'user.email_changed':
      vars.from = str(d.from);
      vars.to = str(d.to);
      break;
    case 'meeting.created':
      vars.target = named ?? str(d.title);
      break;
    case 'meeting.cancelled':
      vars.reason = str(d.reason) || t('auditLog.noReason');
      break;
    case 'meeting.attendance':
      vars.count = Number(d.attended ?? 0);
      break;
    case 'topic.removed':
      vars.title = str(d.title);
      break;
    case 'topics.carried_over':
      vars.count = Number(d.count ?? 0);
      break;
    case 'post.edited':
    case 'post.hidden':
    case 'post.restored':
    case 'post.hidden_by_reports': {
      const title = row.target_type === 'question' ? named ?? str(d.title) : names.get(key('question', str(d.question))) ?? named ?? str(d.title);
      vars.target = t(row.target_type === 'question' ? 'auditLog.theQuestion' : 'auditLog.anAnswerTo', { title });
      vars.count = Number(d.reports ?? 0);
      break;
    }
    case 'answer.accepted':
      vars.title = named ?? names.get(key('question', str(d.question))) ?? '';
      break;
    case 'procurement.created':
      vars.target = named ?? str(d.title);
      break;
    case 'procurement.state_changed':
      vars.from = t(`procurement.states.${str(d.from)}`, { defaultValue: str(d.from) });
      vars.to = t(`procurement.states.${str(d.to)}`, { defaultValue: str(d.to) });
      break;
    case 'procurement.limit_set':
      vars.amount = Number.isSafeInteger(d.limitCents) ? formatCents(Number(d.limitCents), lang) : str(d.limitCents);
      break;
    case 'account.deleted':
      vars.target = named ?? t('auditLog.deletedPerson');
      if (d.by === 'self') return t('auditLog.account.deletedSelf', vars);
      break;
    case 'account.organisation_changed':
      vars.from = names.get(key('organisation', str(d.from))) ?? str(d.from);
      vars.to = names.get(key('organisation', str(d.to))) ?? str(d.to);
      break;
    case 'registers.imported':
      vars.created = Number(d.created ?? 0);
      vars.updated = Number(d.updated ?? 0);
      vars.unchanged = Number(d.unchanged ?? 0);
      vars.skipped = Number(d.skipped ?? 0);
      break;
    default:
      break;
  }
  const sentence = t(`auditLog.${row.action}`, { ...vars, defaultValue: '' });
  return sentence || t('auditLog.other', { actor, action: row.action, target });
}
