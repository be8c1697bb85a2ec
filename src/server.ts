import 'dotenv/config';
import closeWithGrace from 'close-with-grace';
import { buildApp, type App } from './app.js';
import { loadConfig, type Config } from './platform/config.js';
import { describeStartupError } from './platform/db/connection-errors.js';

/**
 * A start that cannot succeed (a setting the platform does not understand, a database it cannot reach or use, a
 * port in use) ends with one line saying what to correct and exit code 1, not a stack trace. Errors of other kinds
 * keep their stack trace: they are faults of the platform.
 */
function stopStart(message: string): never {
  console.error(`Start aborted: ${message}`);
  process.exit(1);
}

let config: Config;
try {
  config = loadConfig();
} catch (err) {
  stopStart((err as Error).message);
}

let built: App;
try {
  built = await buildApp(config);
} catch (err) {
  const message = describeStartupError(err, config.databaseUrl);
  if (message) stopStart(message);
  throw err;
}
const { app, database } = built;

// A promise that nobody waits for (a request's leftover work) must not end the service for everyone:
// it is logged and the server keeps serving. An uncaught exception still shuts down, gracefully.
process.on('unhandledRejection', (err) => app.log.error({ err }, 'unhandled promise rejection'));

// On SIGTERM the server stops accepting connections and lets in-flight requests finish (at most 10 s), then the
// background jobs stop and the database connections close; the exit code is 0.
closeWithGrace({ delay: 10_000, skip: ['unhandledRejection'] }, async ({ signal, err }) => {
  if (err) app.log.error({ err }, 'shutting down after an error');
  else app.log.info({ signal }, 'shutting down');
  await app.close();
});

try {
  await app.listen({ port: config.port, host: config.host });
} catch (err) {
  await app.close();
  const code = (err as { code?: string }).code;
  if (code === 'EADDRINUSE') stopStart(`port ${config.port} on ${config.host} is already in use (PORT, HOST).`);
  if (code === 'EADDRNOTAVAIL') stopStart(`${config.host} is not an address of this machine (HOST).`);
  throw err;
}
app.log.info({ url: config.baseUrl, database: database.dialect, smtp: Boolean(config.smtpUrl) }, `${config.communityName} is running`);
