import 'dotenv/config';
import closeWithGrace from 'close-with-grace';
import { buildApp } from './app.js';
import { loadConfig } from './platform/config.js';

const config = loadConfig();
const { app, database } = await buildApp(config);

// A promise that nobody waits for (a request's leftover work) must not end the service for everyone:
// it is logged and the server keeps serving. An uncaught exception still shuts down, gracefully.
process.on('unhandledRejection', (err) => app.log.error({ err }, 'unhandled promise rejection'));

// On SIGTERM the server stops accepting connections and lets in-flight requests finish.
closeWithGrace({ delay: 10_000, skip: ['unhandledRejection'] }, async ({ signal, err }) => {
  if (err) app.log.error({ err }, 'shutting down after an error');
  else app.log.info({ signal }, 'shutting down');
  await app.close();
});

await app.listen({ port: config.port, host: config.host });
app.log.info({ url: config.baseUrl, database: database.dialect, smtp: Boolean(config.smtpUrl) }, `${config.communityName} is running`);
