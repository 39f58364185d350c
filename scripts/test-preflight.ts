/**
 * Runs first in `npm test`: integration and e2e tests need the PostgreSQL of DATABASE_URL_TEST and the Redis of
 * REDIS_URL_TEST. Where either does not answer, it stops at once with one line naming what is missing and the
 * command that installs and starts both, instead of dozens of connection errors a minute later.
 */
import net from 'node:net';
import { DATABASE_URL_TEST, REDIS_URL_TEST } from '../test/support/services.js';

const TIMEOUT_MS = 1500;

interface Service { readonly name: string; readonly variable: string; readonly url: string; readonly defaultPort: number }

const services: readonly Service[] = [
  { name: 'PostgreSQL', variable: 'DATABASE_URL_TEST', url: DATABASE_URL_TEST, defaultPort: 5432 },
  { name: 'Redis', variable: 'REDIS_URL_TEST', url: REDIS_URL_TEST, defaultPort: 6379 },
];

function address(service: Service): { host: string; port: number } {
  const url = new URL(service.url);
  return { host: url.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1', port: Number(url.port) || service.defaultPort };
}

function answers({ host, port }: { host: string; port: number }): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(TIMEOUT_MS, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

const missing = (await Promise.all(services.map(async (s) => ((await answers(address(s))) ? null : s)))).filter((s) => s !== null);
if (missing.length) {
  const named = missing.map((s) => `${s.name} (${address(s).host}:${address(s).port}, ${s.variable})`).join(' and ');
  console.error(`npm test: ${named} ${missing.length > 1 ? 'do' : 'does'} not answer: run \`npm run test:fresh\` `
    + '(installs and starts PostgreSQL and Redis when missing, then npm ci and npm test), or point '
    + `${missing.map((s) => s.variable).join(' / ')} at running ones.`);
  process.exit(1);
}
