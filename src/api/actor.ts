import type { Actor } from '../domain/audit/audit-entry.js';
import { principalOf } from './middleware/auth.js';
import { deviceOf } from './middleware/device-auth.js';

/** The audited actor behind a request: the phone's device credential, or the API key id and role (never a secret). */
export function actorOf(locals: Record<string, unknown>): Actor {
  const p = principalOf(locals);
  const device = deviceOf(locals);
  if (device) return { type: 'device', id: device.credentialId, role: p.role };
  return { type: 'api-key', id: p.keyId, role: p.role };
}
