import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsentingSubject, startStack, type Stack } from '../support/stack.js';

// The printable access report over HTTP: everything /retention lists is in it (liveness frames included), its
// headings are in the subject's language, and its CSP lets its own stylesheet apply, so it prints styled.
let stack: Stack;
let operator: Stack['client'];
const selfie = readFileSync('samples/faces/sample1-face1.jpg');

beforeAll(async () => {
  stack = await startStack();
  operator = stack.client.withKey(stack.keys.operator);
  await createConsentingSubject(operator, 'PN-REPORT');
  expect((await operator.multipart('/v1/subjects/PN-REPORT/enrollments', { selfie, document: selfie })).status).toBe(202);
  // A challenge frame on the retention ledger, as a verification with frames leaves it (24 h timer).
  await stack.service.platform.db.query(
    `INSERT INTO stored_items (id, subject_id, submission_id, item_class, role, policy, delete_at, created_at)
     SELECT gen_random_uuid(), subject_id, submission_id, 'liveness_frame', 'frame-00', 'liveness-frames-24h', now() + interval '24 hours', now()
     FROM stored_items WHERE role = 'selfie' LIMIT 1`);
});
afterAll(async () => {
  await stack?.stop();
});

describe('access report', () => {
  it('lists every stored item /retention lists, liveness frames under their own heading', async () => {
    const retention = await operator.json('GET', '/v1/subjects/PN-REPORT/retention');
    const report = await operator.json('GET', '/v1/subjects/PN-REPORT/access-report?format=json');
    const ledger = (retention.body.items as { item: string }[]).filter((i) => i.item.endsWith('_image') || i.item === 'liveness_frame');
    const listed = (report.body.categories as { category: string; items: unknown[] }[])
      .filter((c) => c.category === 'images' || c.category === 'frames').flatMap((c) => c.items);
    expect(listed.length).toBe(ledger.length);
    const frames = report.body.categories.find((c: { category: string }) => c.category === 'frames');
    expect(frames.items).toEqual([expect.objectContaining({ kind: 'frame-00', deleteAt: expect.any(String) })]);
  });

  it('serves the printable page with headings in Russian and a CSP that admits exactly its own <style>', async () => {
    const res = await fetch(`${stack.client.baseUrl}/v1/subjects/PN-REPORT/access-report?format=html&language=ru`, {
      headers: { authorization: `Bearer ${stack.keys.operator}` },
    });
    const html = await res.text();
    expect(res.status).toBe(200);
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
    const hash = `'sha256-${createHash('sha256').update(style).digest('base64')}'`;
    const csp = res.headers.get('content-security-policy')!;
    const styleSrc = /(?:^|;)\s*style-src ([^;]*)/.exec(csp)![1]!.split(' ');
    expect(styleSrc).toEqual(["'self'", hash]);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'self'");
    const headings = [...html.matchAll(/<th>([^<]*)<\/th>/g)].map((m) => m[1]);
    expect(headings).toEqual(expect.arrayContaining(['Пенсионный номер', 'Номер паспорта', 'Будет удалено']));
    expect(headings.filter((h) => /^[a-z]+[A-Z]/.test(h!))).toEqual([]);
    expect(html).toContain('Кадры видеопроверки');
  });

  it('keeps the plain policy on every other answer', async () => {
    const res = await operator.json('GET', '/v1/subjects/PN-REPORT');
    expect(res.headers.get('content-security-policy')).toContain("style-src 'self';");
  });
});
