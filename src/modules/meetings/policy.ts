import { definePolicy, rules, type Visitor } from '../../platform/policy.js';

type MeetingLike = { visibility: string };

const isOrganiser = (v: Visitor) => v !== null && (v.role === 'admin' || v.role === 'moderator');

export const meetingsPolicy = definePolicy({
  /** The list of meetings and the public calendar feed. */
  'meetings.view': rules.anyone,
  /** Public meetings for everyone, members-only ones for members. */
  'meeting.view': (v, thing) => {
    const m = thing as MeetingLike | undefined;
    if (!m || m.visibility === 'public') return true;
    return v !== null;
  },
  /** Create, edit and cancel meetings, see and export registrations, mark attendance, add materials. */
  'meeting.organise': isOrganiser,
  /** Register for a meeting and cancel one's registration. */
  'meeting.register': rules.signedIn,
});
