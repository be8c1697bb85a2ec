import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import helmet from 'helmet';
import { assetUrl } from './assets.js';
import type { T } from '../i18n/index.js';

/**
 * The headers every answer carries, pages, API, assets and error answers alike. They do not depend on the
 * request, so helmet computes them once and they are copied onto each answer (also onto those that Node's
 * parser or Fastify's router give before any hook runs).
 */
export function securityHeaders(secure: boolean): Record<string, string> {
  const middleware = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"], scriptSrc: ["'self'"], styleSrc: ["'self'"], imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"], connectSrc: ["'self'"], formAction: ["'self'"], frameAncestors: ["'none'"],
        baseUri: ["'self'"], objectSrc: ["'none'"], ...(secure ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    hsts: secure ? { maxAge: 31536000 } : false,
    referrerPolicy: { policy: 'same-origin' },
  });
  const headers: Record<string, string> = {};
  const collector = {
    setHeader: (name: string, value: string) => { headers[name.toLowerCase()] = String(value); },
    removeHeader: () => {},
  };
  middleware({} as IncomingMessage, collector as unknown as ServerResponse, () => {});
  // The platform uses none of these browser features; no page and no embedded content may ask for them.
  headers['permissions-policy'] = [
    'accelerometer=()', 'autoplay=()', 'browsing-topics=()', 'camera=()', 'display-capture=()', 'encrypted-media=()',
    'fullscreen=()', 'geolocation=()', 'gyroscope=()', 'hid=()', 'interest-cohort=()', 'magnetometer=()', 'microphone=()',
    'midi=()', 'payment=()', 'picture-in-picture=()', 'publickey-credentials-get=()', 'screen-wake-lock=()', 'serial=()',
    'usb=()', 'xr-spatial-tracking=()',
  ].join(', ');
  return headers;
}

/**
 * Answers a request that Node's HTTP parser refused before Fastify saw it (header or address too long,
 * malformed request line): a short page with the security headers, then the connection closes.
 * There is no request to read the language from, so the page is German.
 */
export function answerClientError(err: NodeJS.ErrnoException, socket: Socket, headers: Record<string, string>, t: T): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, titleKey, messageKey] = err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? [408, 'requestErrors.timeoutTitle', 'requestErrors.timeout']
    : err.code === 'HPE_HEADER_OVERFLOW' ? [431, 'requestErrors.headersTooLargeTitle', 'requestErrors.headersTooLarge']
      : [400, 'errors.badRequestTitle', 'errors.badRequest'];
  const body = '<!doctype html><html lang="de"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">'
    + `<title>${t(titleKey)}</title><link rel="stylesheet" href="${assetUrl('styles.css')}"></head><body><main id="inhalt">`
    + `<h1>${t(titleKey)}</h1><p class="lead">${t(messageKey)}</p><p><a href="/">${t('requestErrors.home')}</a></p></main></body></html>`;
  const lines = [`HTTP/1.1 ${status} ${STATUS_CODES[status]}`, 'content-type: text/html; charset=utf-8',
    `content-length: ${Buffer.byteLength(body)}`, 'cache-control: no-store', 'connection: close',
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`)];
  if (socket.writable) socket.write(`${lines.join('\r\n')}\r\n\r\n${body}`);
  socket.destroy();
}
