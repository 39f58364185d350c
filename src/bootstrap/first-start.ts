import { randomBytes } from 'node:crypto';
import { ApiKeyService } from '../domain/access/api-key.service.js';
import { newId } from '../shared/ids.js';
import { hashSecret, PASSWORD_COST } from '../shared/secret-hash.js';
import type { Service } from './service.js';

/** The first admin's dashboard user name. */
export const FIRST_ADMIN_USERNAME = 'admin';
/** Opens and closes the printed block; tests and people look for it. */
export const FIRST_START_BANNER = '==== Zinda first start: admin credentials (shown once) ====';

/**
 * The all-in-one service's first start on an embedded database that nobody has used yet (no API key and no staff
 * user was ever created, revoked and disabled ones included) creates an admin API key and an admin dashboard user
 * and prints them once, so that `npm start` alone gives a usable service. Only their hashes are stored: no later
 * start can print them again, and any later start finds the database used and prints nothing.
 *
 * Deliberately not on PostgreSQL: there several processes start against one database and their stdout is usually
 * shipped to log aggregation; operators create the first key with the CLI. The secrets go straight to stdout, never
 * through the structured logger, whose fields are meant to be shipped.
 */
export async function createFirstAdmin(svc: Service, apiUrl: string, out: NodeJS.WritableStream = process.stdout): Promise<boolean> {
  if (!svc.platform.config.embeddedDatabase) return false;
  const { uow } = svc.platform;
  const created = await uow.transaction(async (ports) => {
    if ((await ports.apiKeys.count()) > 0 || (await ports.staff.count()) > 0) return null;
    const key = await new ApiKeyService({ uow }).create('admin', 'first start', ports);
    const password = randomBytes(15).toString('base64url');
    await ports.staff.insert({
      id: newId(), username: FIRST_ADMIN_USERNAME, displayName: 'Administrator', role: 'admin',
      passwordHash: await hashSecret(password, PASSWORD_COST),
    });
    return { key, password };
  });
  if (!created) return false;
  svc.platform.logger.info({ keyId: created.key.keyId, username: FIRST_ADMIN_USERNAME }, 'first start: created an admin API key and an admin dashboard user');
  out.write([
    '', FIRST_START_BANNER,
    'Store these now: only their hashes are kept, and no later start prints them.',
    '',
    `  API key (role admin):  ${created.key.key}`,
    `    try it:              curl -H "Authorization: Bearer <key>" ${apiUrl}/v1/audit/verify`,
    `  Dashboard:             ${apiUrl}/dashboard`,
    `    user:                ${FIRST_ADMIN_USERNAME}`,
    `    password:            ${created.password}`,
    '',
    'Keys for the phone app and other roles, while the service runs:',
    '  npm run -s cli -- keys create --role mobile-client      (npm run -s cli -- --help for more)',
    '='.repeat(FIRST_START_BANNER.length), '', '',
  ].join('\n'));
  return true;
}
