import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { projectRoot } from '../src/platform/config.js';
import { backend } from './support/harness.js';

const read = (file: string) => readFileSync(resolve(projectRoot, file), 'utf8');

interface Service {
  image?: string;
  build?: unknown;
  environment?: Record<string, string>;
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  command?: string[];
}

// Files only: the same on both databases, so checked in the SQLite run. No container runtime is needed.
if (backend === 'sqlite') {
  describe('container image and compose file', () => {
    const compose = parse(read('compose.yaml'), { merge: true }) as { services: Record<string, Service>; volumes: Record<string, unknown> };
    const services = compose.services;

    it('compose: PostgreSQL with a volume, two app instances on it with one session secret, the proxy in front of both', () => {
      const apps = Object.entries(services).filter(([, s]) => s.environment?.DATABASE_URL);
      assert.deepEqual(apps.map(([name]) => name).sort(), ['app1', 'app2']);
      assert.equal(services.app1.image, services.app2.image, 'both instances run the same image');
      for (const [name, app] of apps) {
        assert.match(app.environment!.DATABASE_URL, /^postgres:\/\/[^@]+@postgres:5432\//, name);
        assert.match(app.environment!.SESSION_SECRET, /^\$\{SESSION_SECRET:\?/, `${name}: the secret comes from the environment and is required`);
        assert.equal(app.environment!.TRUST_PROXY, '1');
        assert.equal(app.depends_on?.postgres?.condition, 'service_healthy');
      }
      assert.match(services.postgres.image ?? '', /^postgres:/);
      const pgVolume = (services.postgres.volumes ?? []).find((v) => v.endsWith(':/var/lib/postgresql/data'));
      assert.ok(pgVolume && pgVolume.split(':')[0] in compose.volumes, 'the database lives in a named volume');
      assert.deepEqual(Object.keys(services.proxy.depends_on ?? {}).sort(), ['app1', 'app2']);
      assert.ok((services.proxy.volumes ?? []).some((v) => v.startsWith('./deploy/nginx/ki-community.conf:')), 'the proxy uses the server configuration of deploy/nginx');
    });

    it('compose: no secret is written into the file', () => {
      const secretKeys = /PASSWORD|SECRET|TOKEN|SMTP_URL|DATABASE_URL/;
      for (const [name, service] of Object.entries(services)) {
        for (const [key, value] of Object.entries(service.environment ?? {})) {
          if (!secretKeys.test(key)) continue;
          // Every secret part is a ${VARIABLE} from .env: a URL may carry the password only as a reference.
          const withoutReferences = String(value).replace(/\$\{[A-Z_]+(:?[-?][^}]*)?\}/g, '');
          assert.doesNotMatch(withoutReferences, /:[^/@:]+@/, `${name}.${key} carries a password`);
          if (!/URL/.test(key)) assert.equal(withoutReferences, '', `${name}.${key} is written into compose.yaml`);
        }
      }
    });

    it('Dockerfile: several stages, no dev dependencies and no compiler in the image, non-root, with a health check on /healthz', () => {
      const dockerfile = read('Dockerfile');
      const stages = dockerfile.split(/^FROM /m).slice(1);
      assert.ok(stages.length >= 2, 'multi-stage');
      const runtime = stages.at(-1)!;
      assert.match(runtime, /^node:20-bookworm-slim\s*$/m);
      assert.match(runtime, /^USER node$/m);
      assert.match(runtime, /^HEALTHCHECK [\s\S]*\/healthz/m);
      assert.match(runtime, /^CMD \["node", "dist\/server\.js"\]$/m);
      assert.doesNotMatch(runtime, /npm (ci|install)|tsx|g\+\+/, 'the image installs nothing and compiles nothing');
      const from = /COPY --from=(\w+) \/app\/node_modules/.exec(runtime)?.[1];
      assert.ok(from, 'node_modules come from a stage');
      const depsStage = stages.find((s) => s.startsWith(`node:20-bookworm-slim AS ${from}`));
      assert.match(depsStage ?? '', /npm ci --omit=dev/, 'that stage installs the production dependencies only');
      const ignored = read('.dockerignore').split('\n');
      for (const entry of ['node_modules', 'data', '.env', '.git']) assert.ok(ignored.includes(entry), `.dockerignore leaves out ${entry}`);
    });
  });
}
