import type { Principal } from '../domain/access/api-key.service.js';

/**
 * A recorded actor label (`api-key:<key id>(<role>)`, `staff:<id>(<role>)`, `device:<id>(mobile-client)`) as the
 * caller may see it. Staff roles see it as recorded. A phone (role mobile-client) never sees a key id or a staff id:
 * a key id is half of a credential and a target for guessing. It sees `app` for the mobile app's key, `office` for
 * anyone at the pension office, a device credential as `device:<id>` and the system's own components by name.
 * Extend here for new kinds of caller.
 */
export function actorLabelFor(locals: Record<string, unknown>, label: string | null, role = roleIn(label)): string | null {
  const viewer = locals.principal as Principal | undefined;
  if (label === null || viewer?.role !== 'mobile-client') return label;
  if (label.startsWith('device:')) return label.replace(/\(.*\)$/, '');
  if (label.startsWith('system:')) return label;
  return role === 'mobile-client' ? 'app' : 'office';
}

/** The role in a label's trailing parentheses, if any (labels of the audit trail carry it separately). */
const roleIn = (label: string | null): string | null => /\(([^()]*)\)$/.exec(label ?? '')?.[1] ?? null;
