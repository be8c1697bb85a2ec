import type { Lang, T } from '../i18n/index.js';
import type { CurrentUser } from '../policy.js';

/** What every view needs to know about the request it renders for. */
export interface ViewContext {
  t: T;
  lang: Lang;
  user: CurrentUser | null;
  path: string;
  communityName: string;
  regionName: string;
  /** The platform's public address (BASE_URL), for canonical links; absent in views rendered outside a request. */
  baseUrl?: string;
  /** A CSRF token for forms; created on first use. */
  csrf: () => string;
  flash: string | null;
  /** Unread notifications of the signed-in person, shown in the header. */
  unreadNotifications?: number | null;
  /** Open join requests, shown to administrators in the header. */
  openJoinRequests?: number | null;
  can: (action: string, thing?: unknown) => boolean;
  /**
   * Set while a page is rendered for everyone of an audience (page-cache.ts): the header's account area and form
   * tokens are then stand-ins, filled in for each person.
   */
  shared?: boolean;
}
