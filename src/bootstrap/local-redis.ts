import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Redis } from 'ioredis';
import type { Config } from '../config/env.js';
import type { Logger } from '../shared/logger.js';

export class RedisUnavailableError extends Error {
  override name = 'RedisUnavailableError';
}

const HOW_TO = 'Install Redis (Debian/Ubuntu: apt-get install -y redis-server; macOS: brew install redis) ' +
  'or set REDIS_URL to a running Redis 6.2+.';

/**
 * Finds the Redis to use. REDIS_URL wins. Otherwise 127.0.0.1:6379 if it answers, else (single-machine
 * mode) a private redis-server from PATH under DATA_DIR/redis, with AOF and no eviction as BullMQ needs.
 */
export async function resolveRedis(config: Config, logger: Logger): Promise<{ url: string; stop: () => Promise<void> }> {
  const none = { stop: async () => undefined };
  if (config.REDIS_URL) return { url: config.REDIS_URL, ...none };
  if (await answers(config.redisUrl)) return { url: config.redisUrl, ...none };
  if (!config.REDIS_AUTOSTART) throw new RedisUnavailableError(`Nothing answers on ${config.redisUrl}. ${HOW_TO}`);
  if (spawnSync('redis-server', ['--version']).status !== 0) {
    throw new RedisUnavailableError(`Nothing answers on ${config.redisUrl} and redis-server is not on PATH. ${HOW_TO}`);
  }
  const port = await freePort();
  const dir = path.join(config.dataDir, 'redis');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const child = spawn('redis-server', [
    '--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', '',
    '--maxmemory-policy', 'noeviction', '--protected-mode', 'yes',
  ], { stdio: 'ignore' });
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 50 && !(await answers(url)); i += 1) await new Promise((r) => setTimeout(r, 100));
  if (!(await answers(url))) {
    child.kill();
    throw new RedisUnavailableError(`Started redis-server but it does not answer on ${url}.`);
  }
  logger.info({ port, dir }, 'started a private redis-server');
  return { url, stop: () => stopChild(child) };
}

async function answers(url: string): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
