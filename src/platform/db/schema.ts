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

export type Visibility = 'draft' | 'members' | 'public';
export type Maturity = 'idea' | 'planned' | 'in_development' | 'pilot' | 'production' | 'retired';

export interface SolutionsTable {
  id: Generated<number>;
  slug: string;
  title: string;
  /** The title folded to plain ASCII lower case: sorts the same on both databases. */
  title_key: string;
  summary: string;
  description: string;
  problem_goal: string;
  benefit: string;
  previous_process: string;
  field_of_action: string | null;
  process_type: string | null;
  interaction: string | null;
  technique: string | null;
  maturity: Maturity;
  vendor: string;
  own_development: Flag;
  open_source_url: string;
  cost_model: string | null;
  cost_min_eur: number | null;
  cost_max_eur: number | null;
  cost_basis: string;
  funding: string;
  personal_data: string | null;
  dpia_status: string | null;
  hosting: string | null;
  legal_basis: string;
  ai_act_class: string | null;
  human_oversight: string;
  risks_measures: string;
  reuse_offered: Flag;
  reuse_conditions: string;
  cooperation_wanted: Flag;
  contact_email: string;
  language: string;
  source: string;
  source_id: string | null;
  source_url: string;
  source_org: string;
  source_country: string;
  licence: string;
  organisation_id: number | null;
  visibility: Visibility;
  is_example: Flag;
  version: number;
  created_by: number | null;
  updated_by: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface SolutionVersionsTable {
  id: Generated<number>;
  solution_id: number;
  version: number;
  data: string;
  changed_fields: string;
  changed_by: number | null;
  changed_at: Timestamp;
}

export interface DeploymentsTable {
  id: Generated<number>;
  solution_id: number;
  organisation_id: number;
  status: Maturity | 'interested';
  since: string | null;
  contact: string;
  cost_paid: string;
  experience: string;
  visibility: Visibility;
  created_by: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface SearchTermsTable {
  term: string;
  solution_id: number;
  weight: number;
}

export interface ApiTokensTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  token_hash: string;
  created_at: Timestamp;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
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
  solutions: SolutionsTable;
  solution_versions: SolutionVersionsTable;
  deployments: DeploymentsTable;
  search_terms: SearchTermsTable;
  search_vocabulary: { term: string };
  search_lexicon: { word: string };
  api_tokens: ApiTokensTable;
}
