import type { VNode } from 'preact';
import type { Db } from '../../platform/db/database.js';
import type { Lang, T } from '../../platform/i18n/index.js';
import type { Visitor } from '../../platform/policy.js';
import type { MeetingRow } from './queries.js';

/** What a section of the meeting page is given to render itself. */
export interface MeetingSectionContext {
  db: Db;
  meeting: MeetingRow;
  viewer: Visitor;
  t: T;
  lang: Lang;
}

export type MeetingSection = (ctx: MeetingSectionContext) => Promise<VNode<any> | null>;

/**
 * Sections other parts of the platform add to the meeting page, shown after the description in the
 * order they were added (e.g. the topics the members propose and the published agenda).
 */
export const meetingSections: MeetingSection[] = [];

export function addMeetingSection(fn: MeetingSection): void {
  if (!meetingSections.includes(fn)) meetingSections.push(fn);
}
