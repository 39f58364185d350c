import type { Principal } from '../../domain/access/api-key.service.js';
import { actorRef } from '../../domain/audit/audit-entry.js';
import { isDeviceToken, type DeviceIdentity } from '../../domain/devices/device-credential.js';
import type { MobileCaller } from '../../domain/devices/subject-access.service.js';

/** Checks a phone's device credential (docs/SECURITY.md). */
export interface DeviceAuthenticator {
  authenticate(token: string): Promise<DeviceIdentity | null>;
}

/**
 * A device token (`znd_dev_…`) authenticates as role mobile-client, bound to one subject; the identity goes to
 * res.locals.device for the subject guard and the audit trail. Null for anything else: API keys are checked beside it.
 */
export async function authenticateDevice(
  devices: DeviceAuthenticator | undefined, token: string, locals: Record<string, unknown>,
): Promise<Principal | null | undefined> {
  if (!devices || !isDeviceToken(token)) return undefined;
  const device = await devices.authenticate(token);
  if (!device) return null;
  locals.device = device;
  // apiKeyId scopes idempotency records per caller; both ids say device: so no API key's can collide with them.
  return { apiKeyId: `device:${device.credentialId}`, keyId: `device:${device.credentialId}`, role: 'mobile-client' };
}

/** The phone behind a request, when a device credential authenticated it. */
export function deviceOf(locals: Record<string, unknown>): DeviceIdentity | null {
  return (locals.device as DeviceIdentity | undefined) ?? null;
}

/** A mobile-client caller as the access policy sees it; null for staff roles. */
export function mobileCallerOf(locals: Record<string, unknown>): MobileCaller | null {
  const principal = locals.principal as Principal | undefined;
  if (principal?.role !== 'mobile-client') return null;
  const device = deviceOf(locals);
  return device ? { kind: 'device', device } : { kind: 'app-key', ref: actorRef({ type: 'api-key', id: principal.keyId }) };
}
