import { composeService, type Service } from '../../src/bootstrap/service.js';
import { startApi, startWorker } from '../../src/bootstrap/roles.js';
import type { Role } from '../../src/domain/access/roles.js';
import type { FaceEngine } from '../../src/engine/face-engine.js';
import type { Clock } from '../../src/shared/clock.js';
import { createLogger, type Logger } from '../../src/shared/logger.js';
import { ApiClient } from './api-client.js';
import { createTestEnvironment, type TestEnvironment } from './services.js';

/** The product as it runs: the composed service, API on an ephemeral port, optionally a worker; all on real services. */
export interface Stack {
  readonly env: TestEnvironment;
  readonly service: Service;
  /** The phone: the app key, plus the device credentials it is linked to (see linkPhone). */
  readonly client: ApiClient;
  /** An operator at the office. */
  readonly office: ApiClient;
  readonly keys: Record<Role, string>;
  readonly worker: Awaited<ReturnType<typeof startWorker>> | null;
  stop(): Promise<void>;
}

export async function startStack(opts: { worker?: boolean; engine?: FaceEngine; env?: Record<string, string>; clock?: Clock; logger?: Logger } = {}): Promise<Stack> {
  const env = await createTestEnvironment(opts.env);
  const svc = await composeService(env.config, opts.logger ?? createLogger('silent'), env.config.redisUrl, opts.clock);
  const worker = opts.worker ? await startWorker(svc, opts.engine) : null;
  const api = await startApi(svc, worker ? [worker.modelsCheck] : []);
  const keys = {} as Record<Role, string>;
  for (const role of ['mobile-client', 'reviewer', 'operator', 'auditor', 'admin'] as const) {
    keys[role] = (await svc.access.apiKeys.create(role, `test ${role}`)).key;
  }
  offices.set(api.url, { appKey: keys['mobile-client'], operatorKey: keys.operator });
  return {
    env, service: svc, worker, keys,
    client: new ApiClient(api.url, keys['mobile-client']),
    office: new ApiClient(api.url, keys.operator),
    async stop() {
      await api.close();
      await worker?.close(false);
      await svc.close();
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

// The app key and an operator key of each running stack, by API address: what the phone helpers below need.
const offices = new Map<string, { appKey: string; operatorKey: string }>();

/** Tells the phone helpers below which operator key serves the office of an API started outside startStack. */
export function registerOffice(phone: ApiClient, operatorKey: string): void {
  offices.set(phone.baseUrl, { appKey: phone.key!, operatorKey });
}

/**
 * Links the phone to a subject as the office does for a new phone: an operator issues a one-time activation code,
 * the app redeems it with the app key, and the client acts for that subject with the device credential from then on.
 */
export async function linkPhone(client: ApiClient, subjectId: string, label = 'test phone'): Promise<string> {
  const office = offices.get(client.baseUrl);
  if (!office) throw new Error('linkPhone: not a client of a test stack');
  const issued = await client.withKey(office.operatorKey).json('POST', `/v1/subjects/${subjectId}/activation-codes`);
  if (issued.status !== 201) throw new Error(`activation code: ${issued.status} ${JSON.stringify(issued.body)}`);
  const activated = await client.withKey(office.appKey).json('POST', '/v1/device-credentials/activate', { code: issued.body.code, label });
  if (activated.status !== 201) throw new Error(`activate: ${activated.status} ${JSON.stringify(activated.body)}`);
  client.actAs(subjectId, activated.body.token);
  return activated.body.token as string;
}

/**
 * Registers a subject and records their consent. With a stack's phone client, as in the field: the office registers
 * the pensioner (roster), links the phone (linkPhone), and the phone records the consent with its device credential
 * (pending the enrolment that follows it); any other client records it as staff, with the identity check.
 */
export async function createConsentingSubject(
  client: ApiClient, subjectId: string, passport: Record<string, unknown> = PASSPORT, consent: Record<string, unknown> = {},
) {
  const office = offices.get(client.baseUrl);
  const phone = office && client.key === office.appKey;
  const created = await (phone ? client.withKey(office.operatorKey) : client).json('POST', '/v1/subjects', { subjectId, passport });
  if (created.status !== 201) throw new Error(`create subject: ${created.status} ${JSON.stringify(created.body)}`);
  if (phone) await linkPhone(client, subjectId);
  // The phone's consent waits for the enrolment that follows it; staff record how they checked who is consenting.
  const recorded = await client.json('POST', `/v1/subjects/${subjectId}/consents`, consentBody(phone ? consent : { identityCheck: 'passport-seen', ...consent }));
  if (recorded.status !== 201) throw new Error(`record consent: ${recorded.status} ${JSON.stringify(recorded.body)}`);
  return recorded.body as { id: string };
}
