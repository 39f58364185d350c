/** Polls GET /v1/submissions/:id the way a client would, noting when each result first reads as finished. */
import type { ApiClient } from '../../test/support/api-client.js';

/** A submission whose result the client has read. Times are epoch ms, comparable with the database's. */
export interface Readable {
  readonly id: string;
  /** When its POST was sent. */
  readonly postAt: number;
  /** When a GET first answered completed or failed. */
  readonly at: number;
  readonly body: { status: string; decision: string | null; reasons: string[] } & Record<string, unknown>;
}

/**
 * Submissions finish roughly in the order they were queued, so each round polls only the oldest `window`
 * unfinished ones: a client's view of completion without a request flood that would slow the API under test.
 */
export class ResultWatcher {
  private readonly pending: { id: string; postAt: number }[] = [];
  private readonly done: Readable[] = [];

  constructor(private readonly client: ApiClient, private readonly window: number, private readonly pollMs: number) {}

  add(id: string, postAt: number): void {
    this.pending.push({ id, postAt });
  }

  /** Resolves with every result, in order of readability, once `count` submissions are finished. */
  async all(count: number, timeoutMs: number, check: () => void): Promise<Readable[]> {
    const until = Date.now() + timeoutMs;
    while (this.done.length < count) {
      check();
      if (Date.now() > until) {
        throw new Error(`only ${this.done.length} of ${count} submissions finished within ${timeoutMs} ms`);
      }
      await Promise.all(this.pending.slice(0, this.window).map((entry) => this.poll(entry)));
      if (this.done.length < count) await new Promise((resolve) => setTimeout(resolve, this.pollMs));
    }
    return this.done;
  }

  private async poll(entry: { id: string; postAt: number }): Promise<void> {
    const res = await this.client.json('GET', `/v1/submissions/${entry.id}`);
    const at = Date.now();
    if (res.status !== 200) throw new Error(`GET submission ${entry.id} answered ${res.status}: ${JSON.stringify(res.body)}`);
    if (res.body.status !== 'completed' && res.body.status !== 'failed') return;
    this.pending.splice(this.pending.indexOf(entry), 1);
    this.done.push({ id: entry.id, postAt: entry.postAt, at, body: res.body });
  }
}
