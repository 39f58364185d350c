import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi } from '../../src/bootstrap/roles.js';
import { createLogger } from '../../src/shared/logger.js';
import { ApiClient } from '../support/api-client.js';
import { makeSyntheticPassportPage } from '../support/passport-page.js';
import { createConsentingSubject, PASSPORT, startStack, type Stack } from '../support/stack.js';

// Secrets never reach logs or Redis; limits hold across API processes.
const lines: string[] = [];
let stack: Stack;

beforeAll(async () => {
  stack = await startStack({
    worker: true,
    logger: createLogger('trace', 'security-test', { write: (line: string) => void lines.push(line) }),
    env: { RATE_LIMIT_PER_KEY_PER_MIN: '40' },
  });
});
afterAll(async () => {
  await stack?.stop();
});

describe('personal data stays out of logs and Redis', () => {
  it('runs the whole flow at trace level and finds no passport field, name, embedding or image bytes', async () => {
    const selfie = readFileSync('samples/faces/sample1-face1.jpg');
    await createConsentingSubject(stack.client, 'PN-SEC1');
    const res = await stack.client.multipart('/v1/subjects/PN-SEC1/enrollments', { selfie, document: await makeSyntheticPassportPage('samples/faces/sample1-face1.jpg') });
    await stack.client.waitForSubmission(res.body.submissionId);
    const v = await stack.client.multipart('/v1/subjects/PN-SEC1/verifications', { selfie });
    await stack.client.waitForSubmission(v.body.submissionId);
    await stack.client.json('GET', '/v1/subjects/PN-SEC1/access-report');
    await stack.client.json('POST', '/v1/subjects/PN-SEC1/consents', { nonsense: PASSPORT.number });

    const redisDump: string[] = [];
    for (const key of await stack.service.platform.redis.keys(`${stack.env.config.QUEUE_PREFIX}:*`)) {
      const type = await stack.service.platform.redis.type(key);
      if (type === 'hash') redisDump.push(JSON.stringify(await stack.service.platform.redis.hgetall(key)));
      else if (type === 'string') redisDump.push((await stack.service.platform.redis.get(key)) ?? '');
      else if (type === 'list') redisDump.push(JSON.stringify(await stack.service.platform.redis.lrange(key, 0, -1)));
      else if (type === 'zset') redisDump.push(JSON.stringify(await stack.service.platform.redis.zrange(key, '0', '-1')));
      else if (type === 'set') redisDump.push(JSON.stringify(await stack.service.platform.redis.smembers(key)));
      else if (type === 'stream') redisDump.push(JSON.stringify(await stack.service.platform.redis.xrange(key, '-', '+')));
      redisDump.push(key);
    }
    expect(lines.length).toBeGreaterThan(3);
    expect(redisDump.length).toBeGreaterThan(3);
    const needles = [PASSPORT.number, PASSPORT.surname, PASSPORT.givenNames, PASSPORT.dateOfBirth, '/9j/', 'JFIF', 'Bearer znd_', stack.keys['mobile-client'], stack.client.deviceToken('PN-SEC1')!];
    for (const [where, text] of [['logs', lines.join('\n')], ['redis', redisDump.join('\n')]] as const) {
      for (const needle of needles) expect(text.includes(needle), `${needle} found in ${where}`).toBe(false);
      // An embedding would show as a long run of floats.
      expect(/(-?0\.\d{4,},\s*){16}/.test(text), `an embedding in ${where}`).toBe(false);
    }
  });
});

describe('rate limits', () => {
  it('answers 429 RATE_LIMITED with Retry-After once a key exceeds its limit, counted across API processes', async () => {
    const second = await startApi(stack.service);
    try {
      // The admin key: the operator's already served the office's part of creating PN-SEC1 this minute.
      const a = stack.client.withKey(stack.keys.admin);
      const b = new ApiClient(second.url, stack.keys.admin);
      const statuses: number[] = [];
      for (let i = 0; i < 24; i += 1) {
        statuses.push((await a.json('GET', '/v1/consent-texts')).status, (await b.json('GET', '/v1/consent-texts')).status);
      }
      expect(statuses.filter((s) => s === 200).length).toBe(40);
      const limited = await b.json('GET', '/v1/consent-texts');
      expect([limited.status, limited.body.error.code]).toEqual([429, 'RATE_LIMITED']);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      // Another key is not affected.
      expect((await stack.client.withKey(stack.keys.auditor).json('GET', '/v1/consent-texts')).status).toBe(200);
    } finally {
      await second.close();
    }
  });
});
