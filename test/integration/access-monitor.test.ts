import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessMonitor } from '../../src/domain/audit/access-monitor.js';
import { startStack, type Stack } from '../support/stack.js';

// The unusual-access alert on the real audit trail: what counts is how many different faces one person opened.
let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

const reviewer = { type: 'staff' as const, id: '0b6c1e32-58a8-4f64-9f5e-3d1c0f7a2b11', role: 'reviewer' };
const view = (targetId: string) => stack.service.platform.audit.record({
  actor: reviewer, action: 'image.viewed', targetType: 'selfie_image', targetId, outcome: 'success',
});

describe('unusual-access monitor', () => {
  it('counts distinct images per person per window: the same face opened again is not more access', async () => {
    const monitor = new AccessMonitor({ audit: stack.service.platform.audit, clock: stack.service.platform.clock, settings: { maxViews: 2, windowMs: 10 * 60_000 } });
    for (let i = 0; i < 6; i += 1) {
      await view('9d1f4a0e-0000-4000-8000-000000000001');
      expect(await monitor.afterImageView(reviewer)).toBe(false);
    }
    await view('9d1f4a0e-0000-4000-8000-000000000002');
    expect(await monitor.afterImageView(reviewer)).toBe(false);
    await view('9d1f4a0e-0000-4000-8000-000000000003');
    expect(await monitor.afterImageView(reviewer)).toBe(true);
    const [alert] = await stack.service.platform.audit.find({ action: 'alert.unusual-access', limit: 5 });
    expect(alert?.details).toMatchObject({ views: 3, threshold: 2 });
  });
});
