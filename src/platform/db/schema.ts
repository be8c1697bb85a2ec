import type { Generated } from 'kysely';
import type { Lang } from '../i18n/index.js';

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
  /** The language of the mails to this person. */
  language: Generated<Lang>;
  /** Sessions signed in under an older value are over; see endSessionsOf. */
  session_generation: Generated<number>;
  /** Set when the account was deleted: the row stays without personal data, for the contributions that keep it as author. */
  deleted_at: Generated<Timestamp | null>;
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
  /** The language the form was filled in; the account created from it starts with it. */
  language: Generated<Lang>;
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

/** A person's TOTP secret: a setup in progress until enabled_at is set. */
export interface TwoFactorTable {
  user_id: number;
  secret: string;
  enabled_at: Timestamp | null;
  /** The time step of the last accepted code; a code of this step or an earlier one is refused. */
  last_step: number | null;
  created_at: Timestamp;
}

/** One recovery code for signing in without the app, stored as its SHA-256 hash; each works once. */
export interface RecoveryCodesTable {
  id: Generated<number>;
  user_id: number;
  code_hash: string;
  used_at: Timestamp | null;
  created_at: Timestamp;
}

/** A requested change of e-mail address, waiting for the link mailed to the new address. */
export interface EmailChangesTable {
  id: Generated<number>;
  user_id: number;
  new_email: string;
  token_hash: string;
  expires_at: Timestamp;
  used_at: Timestamp | null;
  created_at: Timestamp;
}

/** An account linked to an OpenID Connect provider's subject. */
export interface SsoLinksTable {
  id: Generated<number>;
  user_id: number;
  provider: string;
  subject: string;
  /** The verified address the link was made with (shown on the profile and to administrators). */
  email: string;
  created_at: Timestamp;
  last_used_at: Timestamp;
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
  /** JSON list of { filename, contentType, content } with text content (e.g. an .ics file). */
  attachments: Generated<string>;
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

/** One row (id 1): a counter the database raises on every change of the community's figures. */
export interface DataVersionTable {
  id: number;
  value: number;
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
  /** The completed AI Act self-check that last set ai_act_class, when, and under which rule version. */
  ai_act_check_id: Generated<number | null>;
  ai_act_checked_at: Generated<Timestamp | null>;
  ai_act_rule_version: Generated<string | null>;
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
  /** The cost actually paid, in whole euros, per cost_period ('once', 'year', 'month'). */
  cost_paid_eur: number | null;
  cost_period: string | null;
  experience: string;
  visibility: Visibility;
  /** The adopting organisation's own AI Act self-check of its use. */
  ai_act_class: string | null;
  ai_act_check_id: number | null;
  ai_act_checked_at: string | null;
  ai_act_rule_version: string | null;
  created_by: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface SearchTermsTable {
  term: string;
  solution_id: number;
  weight: number;
  /** The solution's visibility and organisation, copied so a search can rank without reading the solutions. */
  visibility: Generated<Visibility>;
  organisation_id: number | null;
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

export type MeetingFormat = 'in_person' | 'online' | 'hybrid';
export type MeetingVisibility = 'public' | 'members';
/** What is stored; "registration open", "full", "closed" and "held" follow from time and counts. */
export type MeetingStatus = 'planned' | 'cancelled';

export interface MeetingsTable {
  id: Generated<number>;
  slug: string;
  title: string;
  description: string;
  /** Meetings with the same series form a series, ordered by starts_at. */
  series: string | null;
  starts_at: Timestamp;
  ends_at: Timestamp;
  format: MeetingFormat;
  address: string;
  online_url: string;
  capacity_onsite: number | null;
  capacity_online: number | null;
  registration_opens_at: Timestamp | null;
  registration_closes_at: Timestamp | null;
  visibility: MeetingVisibility;
  status: MeetingStatus;
  cancel_reason: string;
  minutes: string;
  /** Raised on every change, so calendar clients update their copy. */
  sequence: number;
  /** Topics and agenda: votes each member has, topics open for proposals and votes (0/1), when the agenda was published. */
  vote_budget: Generated<number>;
  topics_open: Generated<Flag>;
  agenda_published_at: Timestamp | null;
  /** When the topic vote closes by itself (the job runner closes it); null: the organisers close it. */
  topics_close_at: Generated<Timestamp | null>;
  created_by: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type AttendanceMode = 'onsite' | 'online';
export type RegistrationStatus = 'registered' | 'waiting' | 'cancelled';

export interface MeetingRegistrationsTable {
  /** Handed out under the meeting's lock: the order of the waiting list. */
  id: Generated<number>;
  meeting_id: number;
  user_id: number;
  mode: AttendanceMode;
  status: RegistrationStatus;
  attended: Flag;
  created_at: Timestamp;
  promoted_at: Timestamp | null;
  cancelled_at: Timestamp | null;
}

export type MaterialKind = 'file' | 'link' | 'solution';

export interface MeetingMaterialsTable {
  id: Generated<number>;
  meeting_id: number;
  kind: MaterialKind;
  title: string;
  url: string;
  solution_slug: string | null;
  file_name: string | null;
  content_type: string | null;
  size: number | null;
  /** The file's bytes, in the database so that every instance can serve them. */
  content: Buffer | null;
  created_by: number | null;
  created_at: Timestamp;
}

/** A topic proposed for a meeting; the members vote on it. */
export interface MeetingTopicsTable {
  id: Generated<number>;
  meeting_id: number;
  title: string;
  description: string;
  solution_slug: string | null;
  proposed_by: number | null;
  carried_from_id: number | null;
  created_at: Timestamp;
}

export interface TopicVotesTable {
  topic_id: number;
  user_id: number;
  created_at: Timestamp;
}

export interface AgendaItemsTable {
  id: Generated<number>;
  meeting_id: number;
  starts_at: Timestamp;
  title: string;
  speaker: string;
  topic_id: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** What a notification is about; each kind has its own mail preference. */
export type NotificationKind = 'answer' | 'match' | 'followed' | 'meeting' | 'catalogue' | 'moderation'
  // Procurement, meetings and join requests
  | 'procurement_started' | 'procurement_deadline' | 'procurement_bound' | 'procurement_handed_over' | 'procurement_withdrawn'
  | 'topic_vote' | 'agenda_published' | 'meeting_reminder' | 'meeting_registrations' | 'meeting_message' | 'waiting_list' | 'join_request'
  // Deployments
  | 'deployment';
/** How a person wants to be mailed about one kind of notification. */
export type MailFrequency = 'immediately' | 'daily' | 'weekly' | 'off';
export type DigestCadence = 'daily' | 'weekly';

export interface NotificationsTable {
  id: Generated<number>;
  user_id: number;
  kind: NotificationKind;
  /** An i18n key and its parameters (JSON), rendered in the reader's language. */
  message_key: string;
  params: string;
  /** A path on the platform, e.g. /treffen/ki-stammtisch. */
  url: string;
  /** Unique per recipient: a repeated action notifies once. */
  dedupe_key: string;
  created_at: Timestamp;
  read_at: Timestamp | null;
  /** When it went out by mail, alone or in a digest; a digest takes only what is neither read nor mailed. */
  mailed_at: Timestamp | null;
  digest_id: number | null;
}

export interface NotificationPreferencesTable {
  user_id: number;
  kind: NotificationKind;
  frequency: MailFrequency;
  updated_at: Timestamp;
}

/** One row per person, cadence and period, inserted before the digest is sent: the period is never mailed twice. */
export interface NotificationDigestsTable {
  id: Generated<number>;
  user_id: number;
  cadence: DigestCadence;
  /** The Europe/Berlin period: 2026-11-27 (daily) or 2026-W48 (weekly). */
  period: string;
  item_count: number;
  created_at: Timestamp;
}

/** A question to the community; the accepted answer marks it answered. */
export interface QuestionsTable {
  id: Generated<number>;
  title: string;
  /** Markdown, rendered sanitised. */
  body: string;
  field_of_action: string | null;
  visibility: 'members' | 'public';
  author_id: number;
  organisation_id: number;
  accepted_answer_id: number | null;
  /** 1 while hidden: after enough reports until a moderator decides, or by a moderator. */
  hidden: Flag;
  hidden_reason: 'reports' | 'moderator' | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** The question or its latest answer, for sorting by activity. */
  last_activity_at: Timestamp;
}

export interface AnswersTable {
  id: Generated<number>;
  question_id: number;
  body: string;
  author_id: number;
  organisation_id: number;
  hidden: Flag;
  hidden_reason: 'reports' | 'moderator' | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type PostType = 'question' | 'answer';
export type ReportStatus = 'open' | 'upheld' | 'dismissed';

export interface ReportsTable {
  id: Generated<number>;
  post_type: PostType;
  post_id: number;
  reporter_id: number;
  reason: string;
  status: Generated<ReportStatus>;
  created_at: Timestamp;
  decided_by: number | null;
  decided_at: Timestamp | null;
}

export type ProcurementUnit = 'licence' | 'workplace' | 'inhabitant' | 'device' | 'other';
export type ProcurementContractKind = 'supplies_services' | 'works' | 'social_services';
export type ProcurementState = 'draft' | 'collecting' | 'binding' | 'handed_over' | 'cancelled';

export interface ProcurementInitiativesTable {
  id: Generated<number>;
  title: string;
  description: string;
  product: string;
  vendor: string;
  solution_slug: string | null;
  unit: ProcurementUnit;
  contract_kind: ProcurementContractKind;
  term_months: number;
  option_months: number;
  /** A calendar day, YYYY-MM-DD. */
  planned_start: string;
  deadline_at: Timestamp;
  one_time_fee_cents: number | null;
  state: ProcurementState;
  lead_organisation_id: number;
  sequence: Generated<number>;
  created_by: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  bound_at: Timestamp | null;
  handed_over_at: Timestamp | null;
  cancelled_at: Timestamp | null;
}

export interface ProcurementDeclarationsTable {
  id: Generated<number>;
  initiative_id: number;
  organisation_id: number;
  quantity: number;
  max_quantity: number | null;
  declared_by: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** One run of the EU AI Act self-check; a redo is a new run, so the history stays. */
export interface AiActChecksTable {
  id: Generated<number>;
  solution_id: number | null;
  /** Set for the check of one organisation's deployment of the solution (its use may differ from the owner's). */
  deployment_id: number | null;
  organisation_id: number;
  title: string;
  /** JSON object: question id → chosen value. */
  answers: string;
  status: 'draft' | 'complete';
  rule_version: string;
  risk_class: string | null;
  /** JSON of the evaluation, written when the check is completed. */
  result: string | null;
  created_by: number | null;
  updated_by: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  completed_at: Timestamp | null;
  /** Set when a completed check is withdrawn; it stays in the history, marked as withdrawn. */
  withdrawn_at: Timestamp | null;
  withdrawn_by: number | null;
  /** A check without a catalogue entry shown in its organisation's transparency register, with the register's fields. */
  register_published_at: Timestamp | null;
  register_purpose: string | null;
  register_contact: string | null;
  register_oversight: string | null;
  register_legal_basis: string | null;
}

export interface RegisterImportsTable {
  id: Generated<number>;
  /** JSON list of the register sources of this run, in the order they are imported. */
  sources: string;
  status: 'running' | 'done' | 'failed';
  running_lock: 'running' | null;
  current_source: string | null;
  sources_done: Generated<number>;
  rows_done: Generated<number>;
  rows_total: Generated<number>;
  created: Generated<number>;
  updated: Generated<number>;
  unchanged: Generated<number>;
  skipped: Generated<number>;
  /** JSON list of { source, rows, created, updated, unchanged, skipped, errors: [{ line, message }] , failed? }. */
  results: Generated<string>;
  message: string | null;
  started_by: number | null;
  started_at: Timestamp;
  heartbeat_at: Timestamp;
  finished_at: Timestamp | null;
}

export interface Database {
  organisations: OrganisationsTable;
  users: UsersTable;
  join_requests: JoinRequestsTable;
  tokens: TokensTable;
  two_factor: TwoFactorTable;
  recovery_codes: RecoveryCodesTable;
  email_changes: EmailChangesTable;
  sessions: SessionsTable;
  sso_links: SsoLinksTable;
  rate_limits: RateLimitsTable;
  outbox: OutboxTable;
  audit_log: AuditLogTable;
  legal_pages: LegalPagesTable;
  settings: SettingsTable;
  data_version: DataVersionTable;
  solutions: SolutionsTable;
  solution_versions: SolutionVersionsTable;
  deployments: DeploymentsTable;
  search_terms: SearchTermsTable;
  search_vocabulary: { term: string };
  search_lexicon: { word: string };
  api_tokens: ApiTokensTable;
  meetings: MeetingsTable;
  meeting_registrations: MeetingRegistrationsTable;
  meeting_materials: MeetingMaterialsTable;
  meeting_topics: MeetingTopicsTable;
  topic_votes: TopicVotesTable;
  agenda_items: AgendaItemsTable;
  notifications: NotificationsTable;
  notification_preferences: NotificationPreferencesTable;
  notification_digests: NotificationDigestsTable;
  questions: QuestionsTable;
  answers: AnswersTable;
  helpful_marks: { answer_id: number; user_id: number; created_at: Timestamp };
  question_tags: { question_id: number; tag: string };
  question_solutions: { question_id: number; solution_id: number; slug: string; position: number };
  question_matches: { question_id: number; solution_id: number; slug: string; score: number; position: number };
  follows: { user_id: number; kind: 'tag' | 'field'; value: string; created_at: Timestamp };
  reports: ReportsTable;
  question_terms: { term: string; question_id: number; weight: number };
  question_lexicon: { word: string };
  procurement_initiatives: ProcurementInitiativesTable;
  procurement_tiers: { initiative_id: number; min_quantity: number; unit_price_cents: number };
  procurement_declarations: ProcurementDeclarationsTable;
  procurement_limits: { organisation_id: number; limit_cents: number; note: Generated<string>; updated_by: number | null; updated_at: Timestamp };
  ai_act_checks: AiActChecksTable;
  notification_occasions: { occasion: string; created_at: Timestamp };
  register_imports: RegisterImportsTable;
}
