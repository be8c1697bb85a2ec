export { setLanguageCookie } from '../../platform/http/session-start.js';
