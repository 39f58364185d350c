import type { Actor } from '../domain/audit/audit-entry.js';
import { principalOf } from './middleware/auth.js';

/** The audited actor behind a request: its API key id and role (never the key itself). */
export function actorOf(locals: Record<string, unknown>): Actor {
  const p = principalOf(locals);
  return { type: 'api-key', id: p.keyId, role: p.role };
}
