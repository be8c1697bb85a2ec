import type { Generated } from 'kysely';

/** Timestamps are ISO-8601 strings in UTC and booleans are 0/1 on both databases. */
export type Timestamp = string;
export type Flag = 0 | 1;

export type OrganisationKind = 'gemeinde' | 'kreis' | 'andere';
export type Role = 'admin' | 'moderator' | 'member';

export interface OrganisationsTable {
  id: Generated<number>;
  slug: string;
  name: string;
  kind: OrganisationKind;
  ags: string | null;
  district_id: number | null;
  population: number | null;
  lat: number | null;
  lon: number | null;
  created_at: Timestamp;
}

export interface UsersTable {
  id: Generated<number>;
  email: string;
  name: string;
  job_function: string;
  expertise: string;
  notify_email: Flag;
  role: Role;
  organisation_id: number;
  password_hash: string | null;
  active: Flag;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type JoinRequestStatus = 'pending' | 'approved' | 'rejected';

export interface JoinRequestsTable {
  id: Generated<number>;
  name: string;
  email: string;
  organisation_id: number | null;
  organisation_other: string | null;
  job_function: string;
  message: string;
  consent_at: Timestamp;
  status: JoinRequestStatus;
  decided_by: number | null;
  decided_at: Timestamp | null;
  reason: string | null;
  user_id: number | null;
  created_at: Timestamp;
}

export type TokenPurpose = 'invite' | 'reset';

export interface TokensTable {
  id: Generated<number>;
  user_id: number;
  purpose: TokenPurpose;
  token_hash: string;
  expires_at: Timestamp;
  used_at: Timestamp | null;
  created_at: Timestamp;
}

export interface SessionsTable {
  sid: string;
  data: string;
  expires_at: Timestamp;
}

export interface RateLimitsTable {
  key: string;
  hits: number;
  window_start: number;
  window_ms: number;
}

export interface OutboxTable {
  id: Generated<number>;
  recipient: string;
  subject: string;
  body_text: string;
  headers: string;
  dedupe_key: string | null;
  status: 'pending' | 'sent';
  attempts: number;
  next_attempt_at: Timestamp;
  locked_until: Timestamp | null;
  last_error: string | null;
  created_at: Timestamp;
  sent_at: Timestamp | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  actor_id: number | null;
  action: string;
  target_type: string;
  target_id: string;
  details: string;
  created_at: Timestamp;
}

export interface LegalPagesTable {
  slug: string;
  body: string;
  updated_at: Timestamp | null;
  updated_by: number | null;
}

export interface SettingsTable {
  key: string;
  value: string;
}

export interface Database {
  organisations: OrganisationsTable;
  users: UsersTable;
  join_requests: JoinRequestsTable;
  tokens: TokensTable;
  sessions: SessionsTable;
  rate_limits: RateLimitsTable;
  outbox: OutboxTable;
  audit_log: AuditLogTable;
  legal_pages: LegalPagesTable;
  settings: SettingsTable;
}
