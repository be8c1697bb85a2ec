import type { VNode } from 'preact';
import type { Lang, T } from '../i18n/index.js';
import type { CurrentUser } from '../policy.js';
import type { ViewContext } from '../views/context.js';
import type { PersonalParts } from './page-cache.js';

export interface PageOptions {
  status?: number;
  head?: VNode | VNode[];
  /** The page's meta description for search engines; the community's description when not given. */
  description?: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route with the policy action it requires, for the permission matrix. */
    policyRoutes: { method: string; url: string; action: string }[];
    /** Pages for visitors who are not signed in; see page-cache.ts. */
    pageCache: import('./page-cache.js').PageCache;
    /** The value as a percent-encoded path of one of the platform's own pages, or null; see redirect.ts. */
    localTarget(value: unknown): string | null;
    /** Answers an error of Fastify's router (Fastify's frameworkErrors option) like any other error. */
    answerFrameworkError(error: Error, request: FastifyRequest, reply: FastifyReply): FastifyReply;
    /** Answers a request refused by Node's HTTP parser (Fastify's clientErrorHandler option). */
    answerClientError(error: NodeJS.ErrnoException, socket: import('node:net').Socket): void;
  }
  interface FastifyContextConfig {
    /** The policy action a visitor needs for this route; every route names one. */
    action?: string;
    /**
     * The version of the data a cacheable page shows; pages of the same version are served from the cache. `fresh`
     * reads it from the database rather than the copy remembered for a second (pages for signed-in people).
     */
    pageVersion?: (fresh?: boolean) => Promise<string>;
    /**
     * The same version as a scalar SQL expression (a string), for the one statement that answers a signed-in member's
     * cached page (signed-in-pages.ts): without it that answer reads the version with a statement of its own.
     */
    pageVersionColumn?: import('kysely').RawBuilder<string>;
    /** Who shares the cached page among signed-in people (see page-cache.ts); members of one organisation by default. */
    pageAudience?: import('./page-cache.js').PageAudience;
    /** The query parameters a cached page reads; the page cache keys on these only (see page-cache.ts). */
    pageQuery?: readonly string[];
    /** Skips the CSRF check: only for a POST whose address carries its own signature (one-click unsubscribe, RFC 8058). */
    csrfExempt?: boolean;
    /** Takes the CSRF token from the query string (?_csrf=…): for multipart uploads, checked before their body is read. */
    csrfInQuery?: boolean;
  }
  interface FastifyRequest {
    user: CurrentUser | null;
    lang: Lang;
    t: T;
    /** The signed-in person's unread notifications, for the page header; null when not counted. */
    unreadNotifications: number | null;
    /** Open join requests, for the header of administrators' pages; null when not counted. */
    openJoinRequests: number | null;
  }
  interface FastifyReply {
    /** Renders a page inside the common layout. */
    page(title: string, body: VNode | VNode[] | string | null, options?: PageOptions): FastifyReply;
    /** The HTML of a page in the common layout, without sending it (for caching). */
    pageHtml(title: string, body: VNode | VNode[] | string | null, options?: PageOptions): string;
    sendHtml(html: string | Buffer, status?: number): FastifyReply;
    view(): ViewContext;
    /** Fills the personal parts (header account area, form tokens) into a page rendered for an audience; see page-cache.ts. */
    personalise(html: string): string;
    /** This answer's personal parts: the header's account area (with its form token) and the form token. */
    personalParts(): PersonalParts;
    /**
     * Redirects with 303 (the browser follows with GET): the one way the platform redirects. A target that is
     * not a page of this site goes to the start page; the target is percent-encoded for the Location header.
     */
    seeOther(url: string, flash?: string): FastifyReply;
    /**
     * Redirects with 303 to another site: only to an address the platform built itself (a sign-on provider's
     * authorization endpoint from its discovered metadata), never to one taken from a request.
     */
    seeOtherSite(url: URL): FastifyReply;
  }
}

declare module 'fastify' {
  interface Session {
    userId?: number;
    /** The person's session generation at sign-in; the session ends when theirs is raised. */
    sessionGeneration?: number;
    /**
     * When the person signed in (epoch ms; through a provider, when it authenticated them): a step that needs a recent
     * sign-in (deleting an account without a password) checks it.
     */
    signedInAt?: number;
    flash?: string;
    /** A single sign-on under way: state, nonce and PKCE verifier until the person returns from the provider. */
    ssoPending?: { provider: string; state: string; nonce: string; codeVerifier: string; next: string; startedAt: number; freshAuthentication?: boolean };
    /** Signed in through a provider that offers to end its session too: its name and the address that does it. */
    ssoSignOut?: { providerName: string; url: string };
    /** A person a provider vouched for, whose organisation is not yet a member: the join form is filled in for them. */
    ssoJoin?: { name: string; email: string; providerName: string };
  }
}
