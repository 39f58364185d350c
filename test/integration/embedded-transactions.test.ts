import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REVIEW_REASONS } from '../../src/domain/review/review.service.js';
import { rotateMasterKey } from '../../src/storage/crypto/master-key-rotation.js';
import { createPostgresDatabase } from '../../src/storage/database/postgres.database.js';
import { OuterHandleInTransactionError } from '../../src/storage/database/transaction-guard.js';
import type { ApiClient } from '../support/api-client.js';
import { createTestEnvironment } from '../support/services.js';
import { createConsentingSubject, startStack, type Stack } from '../support/stack.js';

// The embedded database has one connection: code inside a transaction that queried through the outer handle
// waited for itself, and every later database call waited behind it (POST /v1/campaigns/<unknown>/pause froze
// the service). Here every transactional service's refusal path runs on PGlite and must answer at once, with
// its proper error, leaving the database usable.
const PROMPT_MS = 10_000;

/** Fails with a clear message instead of waiting for the test timeout when the service froze. */
function promptly<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const frozen = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${PROMPT_MS} ms (the database is stuck)`)), PROMPT_MS);
  });
  return Promise.race([work, frozen]).finally(() => clearTimeout(timer));
}

describe('transactions on the embedded database', () => {
  let stack: Stack;
  let office: ApiClient;
  const call = async (method: string, path: string, body?: unknown) =>
    promptly(office.json(method, path, body), `${method} ${path}`);
  const expectError = async (method: string, path: string, body: unknown, status: number, code: string) => {
    const res = await call(method, path, body);
    expect([res.status, res.body?.error?.code], `${method} ${path}`).toEqual([status, code]);
  };
  const expectUsable = async () => {
    expect((await call('GET', '/readyz')).status).toBe(200);
    expect(await promptly(stack.service.platform.db.query<{ n: number }>('SELECT 1::int AS n'), 'SELECT 1')).toEqual([{ n: 1 }]);
  };

  beforeAll(async () => {
    stack = await startStack({
      env: { DATABASE_URL: '', NOTIFY_WEBHOOK_URL: 'http://127.0.0.1:9/notify', WEBHOOK_SECRET: 'embedded-transactions-secret-0123456789' },
    });
    office = stack.client.withKey(stack.keys.operator);
  }, 120_000);
  afterAll(async () => stack?.stop());

  it('runs on the embedded database', () => {
    expect(stack.service.platform.db.kind).toBe('pglite');
  });

  it('answers pause, resume and cancel of an unknown campaign with 404, and keeps serving', async () => {
    const missing = randomUUID();
    await expectError('POST', `/v1/campaigns/${missing}/pause`, undefined, 404, 'CAMPAIGN_NOT_FOUND');
    await expectError('POST', `/v1/campaigns/${missing}/resume`, undefined, 404, 'CAMPAIGN_NOT_FOUND');
    await expectError('POST', `/v1/campaigns/${missing}/cancel`, { reason: 'not needed any more' }, 404, 'CAMPAIGN_NOT_FOUND');
    await expectError('POST', `/v1/campaigns/${missing}/start`, undefined, 404, 'CAMPAIGN_NOT_FOUND');
    await expectError('POST', `/v1/campaigns/${missing}/deadline`, { dueAt: new Date(Date.now() + 9e8).toISOString(), graceDays: 3 }, 404, 'CAMPAIGN_NOT_FOUND');
    await expectError('POST', `/v1/campaigns/${missing}/subjects/PN-ANY/case`, { outcome: 'exempt', reason: 'in hospital' }, 404, 'CAMPAIGN_NOT_FOUND');
    await expectUsable();
  });

  it('answers transitions from the wrong state with 409 and the state, and keeps serving', async () => {
    const opensAt = new Date(Date.now() + 86_400_000);
    const created = await call('POST', '/v1/campaigns', {
      name: 'Wrong-state checks', opensAt: opensAt.toISOString(), dueAt: new Date(opensAt.getTime() + 30 * 86_400_000).toISOString(),
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    await expectError('POST', `/v1/campaigns/${id}/pause`, undefined, 409, 'CAMPAIGN_NOT_RUNNING');
    await expectError('POST', `/v1/campaigns/${id}/resume`, undefined, 409, 'CAMPAIGN_NOT_PAUSED');
    expect((await call('POST', `/v1/campaigns/${id}/cancel`, { reason: 'planned twice' })).body.status).toBe('cancelled');
    const again = await call('POST', `/v1/campaigns/${id}/cancel`, { reason: 'planned twice' });
    expect([again.status, again.body.error.code, again.body.error.details]).toEqual([409, 'CAMPAIGN_NOT_CANCELLABLE', { status: 'cancelled' }]);
    await expectError('POST', `/v1/campaigns/${id}/pause`, undefined, 409, 'CAMPAIGN_NOT_RUNNING');
    await expectError('POST', `/v1/campaigns/${id}/start`, undefined, 409, 'CAMPAIGN_NOT_DRAFT');
    await expectError('POST', `/v1/campaigns/${id}/deadline`, { dueAt: new Date(Date.now() + 9e8).toISOString(), graceDays: 3 }, 409, 'CAMPAIGN_CLOSED');
    await expectError('POST', `/v1/campaigns/${id}/subjects/PN-ANY/case`, { outcome: 'exempt', reason: 'in hospital' }, 409, 'CAMPAIGN_NOT_ACTIVE');
    expect((await call('GET', `/v1/campaigns/${id}`)).body.campaign.status).toBe('cancelled');
    await expectUsable();
  });

  it('refuses unknown templates, subjects, batches and holds in the other transactional services, and keeps serving', async () => {
    await expectError('POST', `/v1/campaign-templates/${randomUUID()}/deactivate`, undefined, 404, 'TEMPLATE_NOT_FOUND');
    await expectError('POST', '/v1/subjects/PN-NOBODY/attributes', { region: 'sughd', office: null, birthYear: 1950 }, 404, 'SUBJECT_NOT_FOUND');
    for (const verb of ['pause', 'resume']) {
      await expectError('POST', `/v1/model-upgrades/${randomUUID()}/${verb}`, undefined, 404, 'MODEL_UPGRADE_NOT_FOUND');
    }
    await expectError('POST', `/v1/model-upgrades/${randomUUID()}/cancel`, { reason: 'not needed any more' }, 404, 'MODEL_UPGRADE_NOT_FOUND');
    await createConsentingSubject(stack.client, 'PN-TX-1');
    await expectError('POST', `/v1/subjects/PN-TX-1/legal-holds/${randomUUID()}/release`, undefined, 404, 'LEGAL_HOLD_NOT_FOUND');
    const hold = await call('POST', '/v1/subjects/PN-TX-1/legal-holds', { reason: 'court case 12/2026' });
    expect(hold.status).toBe(201);
    expect((await call('POST', `/v1/subjects/PN-TX-1/legal-holds/${hold.body.id}/release`)).status).toBe(200);
    await expectError('POST', `/v1/subjects/PN-TX-1/legal-holds/${hold.body.id}/release`, undefined, 409, 'LEGAL_HOLD_RELEASED');
    await expectUsable();
  });

  it('refuses a review decision on an unknown case, and rolls back a key rotation with the wrong master key', async () => {
    const reviewer = { type: 'staff' as const, id: randomUUID(), role: 'reviewer' };
    await expect(promptly(stack.service.review.review.decide(randomUUID(), reviewer, 'A. Reviewer', {
      outcome: 'approve', reasonCode: REVIEW_REASONS.approve[0]!, comment: '',
    }), 'review.decide')).rejects.toMatchObject({ code: 'CASE_NOT_AVAILABLE', status: 409 });
    await createConsentingSubject(stack.client, 'PN-TX-2');
    await expect(promptly(rotateMasterKey(stack.service.platform.db, randomBytes(32), randomBytes(32)), 'rotateMasterKey')).rejects.toThrow();
    // The rotation rolled back: the subject's data still opens under the real master key.
    expect((await call('GET', '/v1/subjects/PN-TX-2/retention')).status).toBe(200);
    await expectUsable();
  });

  it('withdraws consent in one transaction, refuses an unknown one, runs the purge and policy passes, and keeps serving', async () => {
    await createConsentingSubject(stack.client, 'PN-TX-4');
    const subject = await stack.service.subjects.subjects.get('PN-TX-4');
    const system = { type: 'system' as const, id: 'test', role: null };
    await expect(promptly(stack.service.consent.consents.withdraw(subject, randomUUID(), 'asked at the office', system), 'withdraw'))
      .rejects.toMatchObject({ code: 'CONSENT_NOT_FOUND', status: 404 });
    expect(await promptly(stack.service.consent.consents.withdrawAll(subject.id, 'asked at the office', system), 'withdrawAll')).toHaveLength(1);
    expect(await promptly(stack.service.retention.purge.purgeItem(randomUUID()), 'purgeItem')).toBe('missing');
    expect(await promptly(stack.service.retention.purge.sweep(), 'sweep')).toMatchObject({ overdue: 0 });
    await promptly(stack.service.retention.reconciler.reconcile({ ...stack.service.platform.retentionSettings, resultsDays: stack.service.platform.retentionSettings.resultsDays - 1 }), 'reconcile');
    await expectUsable();
  });

  it('erases a subject in one transaction (consents withdrawn in its scope) and refuses a second erasure', async () => {
    await createConsentingSubject(stack.client, 'PN-TX-3');
    const body = { legalReason: 'subject-request', reference: 'request 7' };
    expect((await call('POST', '/v1/subjects/PN-TX-3/erasure', body)).body.status).toBe('erased');
    await expectError('POST', '/v1/subjects/PN-TX-3/erasure', body, 409, 'SUBJECT_ALREADY_ERASED');
    await expectUsable();
  });
});

describe('the same guard on PostgreSQL', () => {
  it('refuses the pool inside a transaction instead of taking a second connection, and the pool stays usable', async () => {
    const env = await createTestEnvironment();
    // One pooled connection: a second one asked for inside the transaction would never come.
    const db = createPostgresDatabase(env.databaseUrl, 1);
    try {
      await db.exec('CREATE TABLE t (n integer)');
      const outcome = db.transaction(async (tx) => {
        await tx.query('INSERT INTO t VALUES (1)');
        return db.query('SELECT count(*) FROM t');
      });
      await expect(promptly(outcome, 'query inside a transaction')).rejects.toThrow(OuterHandleInTransactionError);
      await expect(promptly(db.transaction(async () => db.transaction(async () => 1)), 'nested transaction')).rejects.toThrow(/outer postgres handle/);
      expect(await promptly(db.query('SELECT count(*) AS n FROM t'), 'count')).toEqual([{ n: 0 }]);
    } finally {
      await db.close();
      await env.cleanup();
    }
  });
});
