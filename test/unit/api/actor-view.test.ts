import { describe, expect, it } from 'vitest';
import { actorLabelFor } from '../../../src/api/actor-view.js';

const as = (role: string) => ({ principal: { apiKeyId: 'x', keyId: 'feedfacecafebeef', role } });

describe('who did something, as a caller sees it', () => {
  it('shows a phone no key id or staff id: the app, the office, its device, the system', () => {
    const phone = as('mobile-client');
    expect(actorLabelFor(phone, 'api-key:0123456789abcdef(mobile-client)')).toBe('app');
    expect(actorLabelFor(phone, 'api-key:0123456789abcdef(operator)')).toBe('office');
    expect(actorLabelFor(phone, 'staff:6f1c0e2a-0000-4000-8000-000000000000(reviewer)')).toBe('office');
    expect(actorLabelFor(phone, 'device:0123456789abcdef(mobile-client)')).toBe('device:0123456789abcdef');
    expect(actorLabelFor(phone, 'system:submission-worker')).toBe('system:submission-worker');
    // Audit entries carry the role beside the label.
    expect(actorLabelFor(phone, 'api-key:0123456789abcdef', 'admin')).toBe('office');
    expect(actorLabelFor(phone, null)).toBeNull();
  });

  it('shows staff roles the label as recorded', () => {
    for (const role of ['operator', 'auditor', 'admin']) {
      expect(actorLabelFor(as(role), 'api-key:0123456789abcdef(operator)')).toBe('api-key:0123456789abcdef(operator)');
      expect(actorLabelFor(as(role), 'api-key:0123456789abcdef', 'operator')).toBe('api-key:0123456789abcdef');
    }
  });
});
