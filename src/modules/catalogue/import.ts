import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Selectable } from 'kysely';
import type { Db, Tx } from '../../platform/db/database.js';
import type { SolutionsTable } from '../../platform/db/schema.js';
import { nowIso } from '../../platform/clock.js';
import { SOURCE_INFO, type Maturity } from './fields.js';
import { currentLexicon, indexSolution } from './search.js';
import { EDITABLE, recordVersion, snapshot, titleKey, touchCatalogue, insertSolution } from './service.js';

/**
 * Import of the public registers (EU Public Sector Tech Watch, Dutch Algoritmeregister, UK ATRS) into the catalogue.
 *
 * The mapping functions turn one CSV row into the catalogue fields an import owns (IMPORTED_FIELDS); importRegister
 * matches rows to existing entries by (source, source_id), creates the new ones, rewrites changed ones as a new
 * version and leaves unchanged ones alone. Fields the registers do not have (costs, data protection, reuse …) are set
 * once on creation and then belong to the platform: a re-import never overwrites them, nor the visibility.
 */

export const REGISTER_SOURCES = ['pstw', 'nl', 'atrs'] as const;
export type RegisterSource = (typeof REGISTER_SOURCES)[number];

/** The files in reference/registers/ that `npm run import` reads by default. */
export const REGISTER_FILES: Record<RegisterSource, string> = {
  pstw: 'pstw_cases.csv',
  nl: 'nl_algoritmeregister.csv',
  atrs: 'uk_atrs_records.csv',
};

/** The fields taken from a register; compared on every run, rewritten when they differ. */
export const IMPORTED_FIELDS = [
  'title', 'summary', 'description', 'field_of_action', 'process_type', 'interaction', 'technique', 'maturity', 'legal_basis',
  'language', 'source_url', 'source_org', 'source_country', 'licence',
] as const;
type ImportedField = (typeof IMPORTED_FIELDS)[number];

export type MappedSolution = Pick<SolutionsTable, ImportedField> & { source: RegisterSource; source_id: string };

/** A row that cannot be imported; the message says why (it is shown with the row's line number). */
export class RowError extends Error {}

/** A file that cannot be imported at all: unreadable, empty, or without the columns the mapping needs. */
export class RegisterFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RegisterFileError';
  }
}

type Row = Record<string, string>;

// -------------------------------------------------------------------------------------------------
// Text helpers

export const TITLE_MAX = 100;
export const SUMMARY_MAX = 350;
const DESCRIPTION_MAX = 20_000;

/** Control characters other than tab and line breaks: PostgreSQL refuses NUL in text, and none belongs in a catalogue entry. */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

/** Trimmed, with Windows/Mac line endings made Unix ones; inner line breaks stay (descriptions are Markdown). */
function clean(value: string | undefined): string {
  return (value ?? '').replace(CONTROL, '').replace(/\r\n?/g, '\n').trim();
}

/** On one line: every run of white space becomes one space. */
function oneLine(value: string | undefined): string {
  return (value ?? '').replace(CONTROL, '').replace(/\s+/g, ' ').trim();
}

/** The text cut to at most `max` characters at a word boundary, with '…' when something was cut. */
export function cutAtWord(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = text.slice(0, max - 1);
  let cut = /\s/.test(text[max - 1]) ? head : head.replace(/\s+\S*$/, '');
  if (cut.trim() === '') cut = head; // one word longer than max: cut inside it
  return cut.replace(/[\s,;:.\-–—(]+$/u, '') + '…';
}

/** A title: on one line, at most 100 characters. */
export function titleOf(value: string | undefined, column: string): string {
  const title = oneLine(value);
  if (!title) throw new RowError(`the title is empty (column "${column}")`);
  return cutAtWord(title, TITLE_MAX);
}

/**
 * The summary: as many whole first sentences of the text as fit in 350 characters; if even the first sentence is
 * longer, its beginning cut at a word. A sentence ends with . ! or ? followed by a capital, a digit or a quote,
 * so "e.g. the" does not end one.
 */
export function summaryOf(text: string, max = SUMMARY_MAX): string {
  const plain = oneLine(text);
  if (plain.length <= max) return plain;
  const sentences = plain.split(/(?<=[.!?])\s+(?=[\p{Lu}\p{N}"'„“‘(])/u);
  let out = '';
  for (const sentence of sentences) {
    const next = out ? `${out} ${sentence}` : sentence;
    if (next.length > max) break;
    out = next;
  }
  return out || cutAtWord(plain, max);
}

/**
 * The first web address in a field that may hold several ("https://a.example, https://b.example" or one per line).
 * Spaces inside an address are encoded; anything that is not an absolute http(s) address (PSTW has a few links
 * relative to its own site, to its submission form) gives ''.
 */
export function firstUrl(value: string | undefined): string {
  const first = clean(value).split(/[\s,;]+(?=https?:\/\/)/i)[0].replace(/[\s,;]+$/, '').replace(/\s+/g, '%20');
  if (!/^https?:\/\//i.test(first)) return '';
  try {
    new URL(first);
    return first;
  } catch {
    return '';
  }
}

const norm = (value: string) => value.toLowerCase().replace(/[\s_]+/g, ' ').replace(/\.$/, '').trim();

/** Looks a register's label up in a mapping table: '' gives null, an unknown label is an error. */
function lookup<T extends string>(table: Record<string, T>, value: string | undefined, column: string): T | null {
  const key = norm(value ?? '');
  if (!key) return null;
  const hit = table[key];
  if (!hit) throw new RowError(`unknown value "${oneLine(value)}" in column "${column}"`);
  return hit;
}

function required<T>(value: T | null, column: string): T {
  if (value === null) throw new RowError(`the column "${column}" is empty`);
  return value;
}

// -------------------------------------------------------------------------------------------------
// Vocabularies (keys as normalised by norm(): lower case, single spaces, no final full stop)

const COFOG: Record<string, string> = {
  'general public services': 'general_public_services',
  'public order and safety': 'public_order_safety',
  'economic affairs': 'economic_affairs',
  'environmental protection': 'environmental_protection',
  'housing and community amenities': 'housing_community',
  health: 'health',
  'recreation, culture and religion': 'recreation_culture',
  education: 'education',
  'social protection': 'social_protection',
  defence: 'defence',
};

const PROCESS_TYPE: Record<string, string> = {
  'public services and engagement': 'public_services',
  'analysis, monitoring and regulatory research': 'analysis_monitoring',
  'internal management': 'internal_management',
  enforcement: 'enforcement',
  adjudication: 'adjudication',
};

const INTERACTION: Record<string, string> = { g2c: 'g2c', g2b: 'g2b', g2g: 'g2g' };

const PSTW_STATUS: Record<string, Maturity> = {
  planned: 'planned',
  'in development': 'in_development',
  pilot: 'pilot',
  'pilot phase': 'pilot',
  implemented: 'production',
  'not in use': 'retired',
};

/** The register's status codes (in_gebruik …) and, to be safe, their spelled-out forms. */
const NL_STATUS: Record<string, Maturity> = {
  'in gebruik': 'production',
  ontwikkeling: 'in_development',
  'in ontwikkeling': 'in_development',
  'buiten gebruik': 'retired',
};

/** Names, keywords or titles that say the system is built on a large language model or other generative AI. */
const GENERATIVE = /\bllms?\b|large language models?|\bgenerative\b|\bgen-?ai\b|gpt/i;
/** PSTW keywords of a conversational system: with the class "Communication" they mean a chatbot or assistant. */
const CONVERSATIONAL = /chatbot|virtual assistant|voice assistant|personal assistant|multi-modal assistant|q&a|natural language generation/i;

/**
 * The technique of a PSTW case, from its AI classification (level I), its subdomains and keywords:
 * 1. LLM / generative AI named in the title or keywords → generative;
 * 2. Communication with chatbot/assistant keywords → generative, other Communication (NLP, speech, translation) → machine_learning;
 * 3. Learning, Perception → machine_learning;
 * 4. Reasoning, Planning → hybrid when a subdomain is a learning one (machine/deep learning), else rule_based;
 * 5. anything else (Integration and Interaction, Services, Ethics and Philosophy, no AI class: blockchain, AR/VR …) → null.
 */
export function pstwTechnique(row: Row): SolutionsTable['technique'] {
  const cls = norm(row['AI Classification (I)'] ?? '');
  const keywords = row['AI Keywords'] ?? '';
  if (GENERATIVE.test(row['Name'] ?? '') || GENERATIVE.test(keywords)) return 'generative';
  if (cls === 'communication') return CONVERSATIONAL.test(keywords) ? 'generative' : 'machine_learning';
  if (cls === 'learning' || cls === 'perception') return 'machine_learning';
  if (cls === 'reasoning' || cls === 'planning') {
    const subdomains = PSTW_SUBDOMAINS.map((c) => row[c] ?? '').join(' ');
    return /learning/i.test(subdomains) ? 'hybrid' : 'rule_based';
  }
  return null;
}

const PSTW_SUBDOMAINS = [
  'AI Classification Subdomain (II) (main)', 'AI Classification Subdomain (II) (Other I)',
  'AI Classification Subdomain (II) (Other II)', 'AI Classification Subdomain (II) (Other III)',
];

// -------------------------------------------------------------------------------------------------
// Mappings, one per register

const base = (source: RegisterSource) => ({ licence: SOURCE_INFO[source].licence, legal_basis: '', field_of_action: null, process_type: null, interaction: null, technique: null });

/** One row of the PSTW cases dataset (English). */
export function mapPstwRow(row: Row): MappedSolution {
  const id = oneLine(row['PSTW ID']);
  if (!id) throw new RowError('the id is missing (column "PSTW ID")');
  const title = titleOf(row['Name'], 'Name');
  const description = cutAtWord(clean(row['Description']), DESCRIPTION_MAX);
  return {
    ...base('pstw'),
    source: 'pstw',
    source_id: id,
    title,
    summary: summaryOf(description),
    description,
    field_of_action: lookup(COFOG, row['Functions of Government (COFOG level I)'], 'Functions of Government (COFOG level I)'),
    process_type: lookup(PROCESS_TYPE, row['Process type'], 'Process type'),
    interaction: lookup(INTERACTION, row['Interaction'], 'Interaction'),
    technique: pstwTechnique(row),
    maturity: required(lookup(PSTW_STATUS, row['Status'], 'Status'), 'Status'),
    language: 'en',
    source_url: firstUrl(row['Website']),
    source_org: oneLine(row['Responsible organisation']),
    source_country: oneLine(row['Geographical coverage (country)']),
  };
}

/** One entry of the Dutch Algoritmeregister (Dutch). */
export function mapNlRow(row: Row): MappedSolution {
  const id = oneLine(row['id']);
  if (!id) throw new RowError('the id is missing (column "id")');
  const title = titleOf(row['title'], 'title');
  const description = cutAtWord(clean(row['doel']), DESCRIPTION_MAX);
  return {
    ...base('nl'),
    source: 'nl',
    source_id: id,
    title,
    summary: summaryOf(description),
    description,
    maturity: required(lookup(NL_STATUS, row['status'], 'status'), 'status'),
    legal_basis: clean(row['juridische_basis']),
    language: 'nl',
    source_url: firstUrl(row['url']),
    source_org: oneLine(row['organisatie']),
    source_country: 'Netherlands',
  };
}

/** One record of the UK ATRS index (English); its id is the last part of its GOV.UK address. */
export function mapAtrsRow(row: Row): MappedSolution {
  const url = oneLine(row['url']);
  if (!url) throw new RowError('the url is missing (column "url"; the id is taken from it)');
  let id: string | undefined;
  try {
    const last = new URL(url).pathname.split('/').filter(Boolean).pop();
    id = last === undefined ? undefined : decodeURIComponent(last);
  } catch {
    throw new RowError(`the url "${url}" cannot be read (column "url")`);
  }
  if (!id) throw new RowError(`the url "${url}" has no path to take the id from (column "url")`);
  const title = titleOf(row['tool_name'], 'tool_name');
  const description = cutAtWord(clean(row['description']), DESCRIPTION_MAX);
  return {
    ...base('atrs'),
    source: 'atrs',
    source_id: id,
    title,
    summary: summaryOf(description),
    description,
    maturity: 'production',
    language: 'en',
    source_url: firstUrl(url),
    source_org: oneLine(row['publishing_body']),
    source_country: 'United Kingdom',
  };
}

interface Register {
  label: string;
  /** Columns the mapping reads; a file without them is refused. */
  required: string[];
  map(row: Row): MappedSolution;
}

export const REGISTERS: Record<RegisterSource, Register> = {
  pstw: {
    label: 'EU Public Sector Tech Watch cases',
    required: [
      'PSTW ID', 'Name', 'Website', 'Description', 'Geographical coverage (country)', 'Responsible organisation',
      'Functions of Government (COFOG level I)', 'Status', 'Process type', 'Interaction', 'AI Classification (I)', 'AI Keywords',
    ],
    map: mapPstwRow,
  },
  nl: { label: 'Algoritmeregister (NL)', required: ['id', 'title', 'organisatie', 'status', 'doel', 'juridische_basis', 'url'], map: mapNlRow },
  atrs: { label: 'UK ATRS records', required: ['publishing_body', 'tool_name', 'description', 'url'], map: mapAtrsRow },
};

// -------------------------------------------------------------------------------------------------
// Reading the CSV

export interface CsvRecord {
  /** The physical line of the file the record starts on (a quoted field may span several lines). */
  line: number;
  fields: string[];
}

export interface CsvContents {
  header: string[];
  records: CsvRecord[];
  /** Parts of the file that are no record at all (an unclosed quote), with their line. */
  errors: { line: number; message: string }[];
}

/**
 * Parses a register file. Line endings are made Unix ones first, because csv-parse counts a CR LF inside a quoted
 * field as two lines; after that, info.lines is the line a record ends on, and the line it starts on is that minus
 * the line breaks inside its fields. Records with too few or too many fields are kept (the caller reports them);
 * a stray quote inside a field is taken literally.
 */
export function readCsv(text: string): CsvContents {
  const errors: CsvContents['errors'] = [];
  let lastLine = 0;
  const rows = parse(text.replace(/\r\n?/g, '\n'), {
    bom: true,
    info: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_skip: (err) => {
      if (!err) return undefined;
      const at = Number((err as { lines?: unknown }).lines) || lastLine + 1;
      if (err.code === 'CSV_QUOTE_NOT_CLOSED') {
        errors.push({ line: lastLine + 1, message: `a quoted field is not closed, so lines ${lastLine + 1}–${at} cannot be read` });
      } else {
        errors.push({ line: at, message: err.message });
      }
      return undefined;
    },
    // Called in file order, between the on_skip calls: remembers where the last good record ended.
    on_record: (record, context) => {
      lastLine = context.lines;
      return record;
    },
  }) as unknown as { record: string[]; info: { lines: number } }[];
  const records = rows.map(({ record, info }) => ({
    line: info.lines - record.reduce((n, field) => n + (field.match(/\n/g)?.length ?? 0), 0),
    fields: record,
  }));
  const head = records.shift();
  return { header: head ? head.fields.map((h) => h.trim()) : [], records, errors };
}

// -------------------------------------------------------------------------------------------------
// The import

export interface ImportOptions {
  /** Called after each batch: rows of the file handled so far, and in all. */
  onProgress?(done: number, total: number): void;
  /** Called for each row that is skipped, in line order. */
  onError?(line: number, message: string): void;
  /** Rows per transaction (default 200). */
  batchSize?: number;
  /**
   * Awaited after each batch. An import inside the running platform gives way here to the requests waiting: with
   * SQLite every statement runs synchronously, and without a pause the import would hold the process until it ends.
   */
  betweenBatches?(): Promise<void>;
}

export interface ImportResult {
  source: RegisterSource;
  file: string;
  /** Data rows of the file (without the header). */
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
  errors: { line: number; message: string }[];
}

type Item = { line: number; mapped: MappedSolution } | { line: number; error: string };

/** The part of the stored row kept with every version: the editable fields and where the entry comes from. */
function versionData(row: Pick<SolutionsTable, (typeof EDITABLE)[number] | 'source_url' | 'source_org' | 'source_country' | 'licence'>) {
  return { ...snapshot(row), source_url: row.source_url, source_org: row.source_org, source_country: row.source_country, licence: row.licence };
}

/** Defaults of the fields no register has. */
const NOT_IN_REGISTERS = {
  problem_goal: '', benefit: '', previous_process: '', vendor: '', own_development: 0, open_source_url: '', cost_model: null,
  cost_min_eur: null, cost_max_eur: null, cost_basis: '', funding: '', personal_data: null, dpia_status: null, hosting: null,
  ai_act_class: null, human_oversight: '', risks_measures: '', reuse_offered: 0, reuse_conditions: '', cooperation_wanted: 0, contact_email: '',
} as const;

type Outcome = 'created' | 'updated' | 'unchanged';

async function saveRow(trx: Tx, m: MappedSolution, current: Selectable<SolutionsTable> | undefined, lexicon: Set<string>): Promise<Outcome> {
  const now = nowIso();
  if (!current) {
    const fields = {
      ...NOT_IN_REGISTERS, ...m, title_key: titleKey(m.title), organisation_id: null,
      visibility: 'public' as const, is_example: 0 as const, version: 1, created_by: null, updated_by: null, created_at: now, updated_at: now,
    };
    const { id, slug } = await insertSolution(trx, m.title, (slug) => ({ ...fields, slug }));
    const row = { ...fields, slug };
    await recordVersion(trx, id, 1, versionData(row), [...EDITABLE], null);
    await indexSolution(trx, { ...row, id }, lexicon);
    return 'created';
  }
  const changed = IMPORTED_FIELDS.filter((f) => (current[f] ?? null) !== (m[f] ?? null));
  if (changed.length === 0) return 'unchanged';
  const set = Object.fromEntries(changed.map((f) => [f, m[f]])) as Partial<MappedSolution>;
  const version = current.version + 1;
  const res = await trx.updateTable('solutions').set({ ...set, title_key: titleKey(m.title), version, updated_by: null, updated_at: now })
    .where('id', '=', current.id).where('version', '=', current.version).executeTakeFirst();
  if (Number(res.numUpdatedRows) !== 1) throw new Error('the entry was changed by someone else during the import; run the import again');
  const merged = { ...current, ...set };
  await recordVersion(trx, current.id, version, versionData(merged), changed, null);
  await indexSolution(trx, merged, lexicon);
  return 'updated';
}

/** Saves a batch of rows in the caller's transaction; returns what happened to each. */
async function saveBatch(trx: Tx, source: RegisterSource, items: { mapped: MappedSolution }[], lexicon: Set<string>): Promise<Outcome[]> {
  if (items.length === 0) return [];
  const existing = await trx.selectFrom('solutions').selectAll().where('source', '=', source)
    .where('source_id', 'in', items.map((i) => i.mapped.source_id)).execute();
  const bySourceId = new Map(existing.map((r) => [r.source_id, r]));
  const out: Outcome[] = [];
  for (const item of items) out.push(await saveRow(trx, item.mapped, bySourceId.get(item.mapped.source_id), lexicon));
  return out;
}

/** Forgets the words a rolled-back transaction added to the preloaded lexicon (a Set keeps insertion order). */
function truncateLexicon(lexicon: Set<string>, size: number) {
  let i = 0;
  for (const word of lexicon) {
    if (i++ >= size) lexicon.delete(word);
  }
}

/**
 * Imports one register file: creates new entries, updates changed ones (a new version each), leaves unchanged ones,
 * and skips broken rows with their line number. Throws RegisterFileError when the file cannot be read or lacks a
 * required column; nothing is written then.
 */
export async function importRegister(db: Db, source: RegisterSource, file: string, options: ImportOptions = {}): Promise<ImportResult> {
  const register = REGISTERS[source];
  if (!register) throw new RegisterFileError(`Unknown source "${source}"; use one of ${REGISTER_SOURCES.join(', ')}.`);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new RegisterFileError(`${file} cannot be read: ${(err as Error).message}`);
  }
  const csv = readCsv(text);
  if (csv.header.length === 0) throw new RegisterFileError(`${file} is empty; expected the ${register.label} CSV file.`);
  const missing = register.required.filter((c) => !csv.header.includes(c));
  if (missing.length > 0) {
    throw new RegisterFileError(
      `${basename(file)} is not the ${register.label} file: its header lacks the column${missing.length > 1 ? 's' : ''} ` +
      `${missing.map((c) => `"${c}"`).join(', ')}. Check that the file belongs to the source "${source}".`,
    );
  }

  // Map every row first: broken rows and repeated ids are known before anything is written.
  const items: Item[] = csv.errors.map((e) => ({ line: e.line, error: e.message }));
  const seen = new Map<string, number>();
  for (const record of csv.records) {
    if (record.fields.length !== csv.header.length) {
      items.push({ line: record.line, error: `expected ${csv.header.length} columns but found ${record.fields.length}` });
      continue;
    }
    try {
      const row = Object.fromEntries(csv.header.map((h, i) => [h, record.fields[i]]));
      const mapped = register.map(row);
      const first = seen.get(mapped.source_id);
      if (first !== undefined) throw new RowError(`the id "${mapped.source_id}" appears again (first on line ${first})`);
      seen.set(mapped.source_id, record.line);
      items.push({ line: record.line, mapped });
    } catch (err) {
      if (!(err instanceof RowError)) throw err;
      items.push({ line: record.line, error: err.message });
    }
  }
  items.sort((a, b) => a.line - b.line);

  const result: ImportResult = { source, file, rows: items.length, created: 0, updated: 0, unchanged: 0, skipped: 0, errors: [] };
  const fail = (line: number, message: string) => {
    result.skipped++;
    result.errors.push({ line, message });
    options.onError?.(line, message);
  };
  const count = (outcomes: Outcome[]) => { for (const o of outcomes) result[o]++; };

  const lexicon = await currentLexicon(db);
  const size = options.batchSize ?? 200;
  for (let start = 0; start < items.length; start += size) {
    const batch = items.slice(start, start + size);
    const good: { line: number; mapped: MappedSolution }[] = [];
    for (const item of batch) {
      if ('error' in item) fail(item.line, item.error);
      else good.push(item);
    }
    const lexiconSize = lexicon.size;
    try {
      count(await db.transaction().execute((trx) => saveBatch(trx, source, good, lexicon)));
    } catch {
      // Something in the batch failed in the database: save its rows one by one to find the row and keep the others.
      truncateLexicon(lexicon, lexiconSize);
      for (const item of good) {
        const before = lexicon.size;
        try {
          count(await db.transaction().execute((trx) => saveBatch(trx, source, [item], lexicon)));
        } catch (err) {
          truncateLexicon(lexicon, before);
          fail(item.line, `could not be saved: ${(err as Error).message}`);
        }
      }
    }
    options.onProgress?.(Math.min(start + size, items.length), items.length);
    await options.betweenBatches?.();
  }
  if (result.created + result.updated > 0) await touchCatalogue(db);
  return result;
}
