import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { trackOpenRequests } from '../../../src/bootstrap/open-requests.js';
import { shutdownWithDeadline, type Closer } from '../../../src/bootstrap/shutdown.js';
import { createLogger } from '../../../src/shared/logger.js';

function capture() {
  const lines: Record<string, any>[] = [];
  return { lines, logger: createLogger('info', 'test', { write: (line: string) => void lines.push(JSON.parse(line)) }) };
}

const hang: Closer = { name: 'job workers', close: () => new Promise<void>(() => undefined) };
const quick = (name: string, seen: string[]): Closer => ({ name, close: async () => void seen.push(name) });

describe('shutdown with a deadline', () => {
  it('closes in order and exits 0 when everything closes', async () => {
    const { logger, lines } = capture();
    const seen: string[] = [];
    let code: number | null = null;
    const s = shutdownWithDeadline({
      closers: [quick('http server', seen), quick('database and queues', seen)], deadlineMs: 5_000, logger, running: () => ({}), exit: (c) => { code = c; },
    });
    await s.done;
    expect(seen).toEqual(['http server', 'database and queues']);
    expect(code).toBe(0);
    expect(lines.at(-1)!.msg).toBe('stopped');
  });

  it('exits 1 at the deadline, naming the closer that hung, those not reached, and what was running', async () => {
    const { logger, lines } = capture();
    const seen: string[] = [];
    const exited = new Promise<number>((resolve) => {
      shutdownWithDeadline({
        closers: [quick('http server', seen), hang, quick('database and queues', seen)], deadlineMs: 150, logger,
        running: () => ({ openRequests: {}, activeJobs: { SubmissionProcess: 1 } }), exit: resolve,
      });
    });
    const started = Date.now();
    expect(await exited).toBe(1);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(seen).toEqual(['http server']);
    const line = lines.find((l) => l.msg.startsWith('shutdown did not finish'))!;
    expect(line).toMatchObject({
      level: 50, reason: 'deadline passed', closing: 'job workers', notClosed: ['job workers', 'database and queues'],
      running: { activeJobs: { SubmissionProcess: 1 } },
    });
  });

  it('exits at once on force (a second signal), and a closer that throws does not stop the others', async () => {
    const { logger, lines } = capture();
    const seen: string[] = [];
    const codes: number[] = [];
    const failing: Closer = { name: 'http server', close: async () => { throw new Error('boom'); } };
    const s = shutdownWithDeadline({
      closers: [failing, hang, quick('database and queues', seen)], deadlineMs: 60_000, logger, running: () => ({}), exit: (c) => void codes.push(c),
    });
    await new Promise((r) => setTimeout(r, 20));
    s.force('second SIGINT');
    s.force('third SIGINT');
    expect(codes).toEqual([1]);
    expect(lines.map((l) => l.msg)).toEqual(['could not close cleanly', 'shutdown did not finish: exiting with work still running']);
    expect(lines[1]).toMatchObject({ reason: 'second SIGINT', closing: 'job workers' });
  });
});

describe('open requests', () => {
  it('counts requests until their response closes and waits for the last one', async () => {
    let finish!: () => void;
    const server = createServer((_req, res) => { finish = () => res.end('ok'); });
    const open = trackOpenRequests(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const answered = new Promise<void>((resolve) => request({ port, host: '127.0.0.1', path: '/v1/subjects/PN-9' }, (res) => res.resume().on('end', resolve)).end());
    while (!open.count) await new Promise((r) => setTimeout(r, 5));
    // No express route matched: the URL (which names a subject) is never reported.
    expect(open.byRoute()).toEqual({ 'GET (unrouted)': 1 });
    expect(await open.drained(30)).toBe(false);
    const drained = open.drained(5_000);
    finish();
    expect(await drained).toBe(true);
    await answered;
    expect(open.count).toBe(0);
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
});
