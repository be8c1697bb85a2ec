import type { Db, Tx } from './db/database.js';
import type { Role } from './db/schema.js';
import type { Lang } from './i18n/index.js';

/** The person whose data is exported or erased, as stored before anything is changed. */
export interface Person {
  id: number;
  name: string;
  email: string;
  jobFunction: string;
  expertise: string[];
  role: Role;
  organisationId: number;
  language: Lang;
}

/**
 * One module's share of what the platform keeps about a person (GDPR Art. 15, 17, 20). Each module that stores
 * something about people offers one part, next to its service; a new table is added to its module's part.
 */
export interface PersonalDataPart {
  /** The name of its section in the export. */
  section: string;
  /** Everything of this part about the person, without secrets; links are absolute. */
  collect(db: Db, person: Person, baseUrl: string): Promise<unknown>;
  /** Removes or anonymises it, in the deletion's transaction. What stays holds nothing that names the person. */
  erase(trx: Tx, person: Person): Promise<void>;
}

/** The strings that identify the person in free text written elsewhere (mails, logs, copies). */
export function identifyingStrings(person: Person): string[] {
  return [person.name, person.email].filter((s) => s.trim().length >= 3);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The text with every occurrence of the person's name and address (also as written inside JSON) replaced.
 * Only whole words count, so that "Max" does not take a part of "Maximilian".
 */
export function withoutPerson(text: string, person: Person, replacement = ''): string {
  let out = text;
  for (const s of identifyingStrings(person)) {
    for (const form of new Set([s, JSON.stringify(s).slice(1, -1)])) {
      out = out.replace(new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(form)}(?![\\p{L}\\p{N}])`, 'giu'), replacement);
    }
  }
  return out;
}

/** Whether the text names the person. */
export function mentionsPerson(text: string, person: Person): boolean {
  return withoutPerson(text, person, '\u0000') !== text;
}

/**
 * Conditions that preselect rows whose column may name the person (LIKE differs in case between the databases,
 * so the rows found are checked again with mentionsPerson).
 */
export function likeAny<EB extends { (ref: any, op: 'like', value: string): any }>(eb: EB, column: string, person: Person): ReturnType<EB>[] {
  return identifyingStrings(person).flatMap((s) => {
    const plain = s.replace(/[%_\\]/g, '');
    return [...new Set([plain, plain.toLowerCase()])].map((p) => eb(column, 'like', `%${p}%`));
  });
}
