import { createCore, type Core } from '../../src/bootstrap/core.js';
import { startApi, startWorker } from '../../src/bootstrap/roles.js';
import type { Role } from '../../src/domain/access/roles.js';
import type { FaceEngine } from '../../src/engine/face-engine.js';
import type { Clock } from '../../src/shared/clock.js';
import { createLogger, type Logger } from '../../src/shared/logger.js';
import { ApiClient } from './api-client.js';
import { createTestEnvironment, type TestEnvironment } from './services.js';

/** The product as it runs: core, API on an ephemeral port, optionally a worker; all on real services. */
export interface Stack {
  readonly env: TestEnvironment;
  readonly core: Core;
  readonly client: ApiClient;
  readonly keys: Record<Role, string>;
  readonly worker: Awaited<ReturnType<typeof startWorker>> | null;
  stop(): Promise<void>;
}

export async function startStack(opts: { worker?: boolean; engine?: FaceEngine; env?: Record<string, string>; clock?: Clock; logger?: Logger } = {}): Promise<Stack> {
  const env = await createTestEnvironment(opts.env);
  const core = await createCore(env.config, opts.logger ?? createLogger('silent'), env.config.redisUrl, opts.clock);
  const worker = opts.worker ? await startWorker(core, opts.engine) : null;
  const api = await startApi(core, worker ? [worker.modelsCheck] : []);
  const keys = {} as Record<Role, string>;
  for (const role of ['mobile-client', 'reviewer', 'operator', 'auditor', 'admin'] as const) {
    keys[role] = (await core.apiKeys.create(role, `test ${role}`)).key;
  }
  return {
    env, core, worker, keys,
    client: new ApiClient(api.url, keys['mobile-client']),
    async stop() {
      await api.close();
      await worker?.close(false);
      await core.close();
      await env.cleanup();
    },
  };
}

export const PASSPORT = {
  number: 'A1234567', surname: 'Rahimov', givenNames: 'Aziz', dateOfBirth: '1955-03-14', expiryDate: '2030-01-01',
};

/** A consent as the mobile app records it: the current text, both scopes, a signed payload. */
export function consentBody(overrides: Record<string, unknown> = {}) {
  return {
    textVersion: '2026-11-v1', language: 'tg', purpose: 'pension-proof-of-life',
    scope: { biometricProcessing: true, referenceTemplate: true },
    channel: 'mobile-app-signature',
    evidence: { payload: Buffer.from('eyJhbGciOiJFUzI1NiJ9.signed-consent.sig').toString('base64'), contentType: 'application/jose' },
    deviceId: 'test-device-1', signedAt: new Date(Date.now() - 60_000).toISOString(),
    ...overrides,
  };
}

/** Registers a subject and records their consent, as the app does before the first enrolment. */
export async function createConsentingSubject(
  client: { json: ApiClient['json'] }, subjectId: string, passport: Record<string, unknown> = PASSPORT, consent: Record<string, unknown> = {},
) {
  const created = await client.json('POST', '/v1/subjects', { subjectId, passport });
  if (created.status !== 201) throw new Error(`create subject: ${created.status} ${JSON.stringify(created.body)}`);
  const recorded = await client.json('POST', `/v1/subjects/${subjectId}/consents`, consentBody(consent));
  if (recorded.status !== 201) throw new Error(`record consent: ${recorded.status} ${JSON.stringify(recorded.body)}`);
  return recorded.body as { id: string };
}
