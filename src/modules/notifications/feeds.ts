import type { Config } from '../../platform/config.js';
import type { Db } from '../../platform/db/database.js';
import { atomFeed, tagUri, type AtomEntry } from '../../platform/feeds/atom.js';
import { translatorFor } from '../../platform/i18n/index.js';
import * as catalogue from '../catalogue/service.js';
import * as meetings from '../meetings/service.js';

/** The date in every entry id (tag: URIs, RFC 4151): ids stay the same for as long as the platform runs. */
const TAG_DATE = '2026-11-27';

/** Feeds are read by programs without a language cookie: German, the community's language. */
const t = translatorFor('de');

/** The feed's "updated": its latest entry's, or now for an empty feed. */
const newest = (entries: AtomEntry[]) =>
  entries.length ? new Date(Math.max(...entries.map((e) => new Date(e.updated).getTime()))).toISOString() : new Date().toISOString();

/**
 * The newest and last changed public solutions, as the list shows them to a visitor; the text is kept
 * until the catalogue changes, so polling feed readers cost one comparison.
 */
export function solutionsFeedSource(db: Db, config: Pick<Config, 'baseUrl' | 'communityName'>): () => Promise<string> {
  let cached: { version: string; body: string } | undefined;
  return async () => {
    const version = await catalogue.catalogueVersion(db);
    if (cached?.version === version) return cached.body;
    const result = await catalogue.searchCatalogue(db, null, catalogue.parseSearchParams({ sort: 'newest' }));
    const entries: AtomEntry[] = result.items.map((s) => ({
      id: tagUri(config.baseUrl, TAG_DATE, `solution:${s.id}`),
      title: s.title,
      url: `${config.baseUrl}/loesungen/${s.slug}`,
      updated: s.updated_at,
      summary: s.summary,
      author: s.organisation_name ?? (s.source_org || config.communityName),
    }));
    const body = atomFeed({
      id: tagUri(config.baseUrl, TAG_DATE, 'solutions'),
      title: t('notifications.feeds.solutionsTitle', { community: config.communityName }),
      selfUrl: `${config.baseUrl}/loesungen/feed.atom`,
      alternateUrl: `${config.baseUrl}/loesungen`,
      updated: newest(entries),
      author: config.communityName,
      entries,
    });
    cached = { version, body };
    return body;
  };
}

/** Public meetings, upcoming and recent, newest announcement first. */
export async function meetingsFeed(db: Db, config: Pick<Config, 'baseUrl' | 'communityName'>): Promise<string> {
  const list = await meetings.meetingList(db, null);
  const items = [...list.upcoming, ...list.past].sort((a, b) => b.meeting.created_at.localeCompare(a.meeting.created_at) || b.meeting.id - a.meeting.id);
  const entries: AtomEntry[] = items.map(({ meeting: m, state }) => ({
    id: tagUri(config.baseUrl, TAG_DATE, `meeting:${m.id}`),
    title: m.title,
    url: `${config.baseUrl}/treffen/${m.slug}`,
    updated: m.updated_at,
    published: m.created_at,
    summary: [meetings.formatMeetingTime(m, 'de'), t(`meetings.formats.${m.format}`), m.address, t(`meetings.states.${state}`)].filter(Boolean).join(' · '),
    author: config.communityName,
  }));
  return atomFeed({
    id: tagUri(config.baseUrl, TAG_DATE, 'meetings'),
    title: t('notifications.feeds.meetingsTitle', { community: config.communityName }),
    selfUrl: `${config.baseUrl}/treffen/feed.atom`,
    alternateUrl: `${config.baseUrl}/treffen`,
    updated: newest(entries),
    author: config.communityName,
    entries,
  });
}
