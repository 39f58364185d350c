/**
 * Open-loop sending: verifications leave on a fixed timetable (i / rate seconds after the start), whether or not
 * earlier ones have been answered, as a population of phones would send them. A poller reads results the way the
 * app does (GET /v1/submissions/:id), oldest first.
 */
import type { ApiClient } from '../../test/support/api-client.js';
import type { LoadSubject } from './subjects.js';

/** One verification as the client saw it. Times in ms since the open-loop start. */
export interface Sent {
  readonly index: number;
  readonly subjectId: string;
  readonly sentAt: number;
  acceptedAt?: number;
  readableAt?: number;
  id?: string;
  status?: string;
  decision?: string | null;
  /** The service flagged the picture as seen before (the photos of a subject are re-sent in turn). */
  replay?: boolean;
  lockout?: boolean;
  error?: string;
}

/** Status polls in flight at once, oldest submissions first. */
const POLL_WINDOW = 32;
const POLL_MS = 50;
/** A submission with no result this long after acceptance counts as an error. */
export const RESULT_TIMEOUT_MS = 120_000;

export class OpenLoop {
  readonly sent: Sent[] = [];
  private readonly pending: Sent[] = [];
  private readonly nextPhoto = new Map<string, number>();
  private start = 0;
  private polling = false;

  constructor(private readonly client: ApiClient, private readonly subjects: readonly LoadSubject[]) {}

  /** Milliseconds since the open-loop start. */
  now(): number {
    return performance.now() - this.start;
  }

  /**
   * Sends at `rate` per second for `durationMs`, then waits for the results still due (up to RESULT_TIMEOUT_MS).
   * `check` is called every poll round (it throws if a product process died).
   */
  async run(rate: number, durationMs: number, check: () => void): Promise<void> {
    this.start = performance.now();
    this.polling = true;
    const poller = this.pollLoop(check);
    try {
      for (let i = 0; ; i += 1) {
        const due = (i * 1000) / rate;
        if (due >= durationMs) break;
        const wait = due - this.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        void this.send(i);
      }
      const until = this.now() + RESULT_TIMEOUT_MS;
      while (this.sent.some((s) => !s.error && s.readableAt === undefined) && this.now() < until) {
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    } finally {
      this.polling = false;
      await poller;
    }
    for (const s of this.sent) if (!s.error && s.readableAt === undefined) s.error = s.acceptedAt === undefined ? 'no answer to the upload' : 'no result in time';
  }

  private async send(index: number): Promise<void> {
    const subject = this.subjects[index % this.subjects.length]!;
    const k = this.nextPhoto.get(subject.subjectId) ?? 0;
    this.nextPhoto.set(subject.subjectId, k + 1);
    const record: Sent = { index, subjectId: subject.subjectId, sentAt: this.now() };
    this.sent.push(record);
    try {
      const res = await this.client.multipart(`/v1/subjects/${subject.subjectId}/verifications`, { selfie: subject.photos[k % subject.photos.length]! });
      if (res.status !== 202) {
        record.error = `upload answered ${res.status} ${res.body?.error?.code ?? ''}`.trim();
        return;
      }
      record.acceptedAt = this.now();
      record.id = res.body.submissionId as string;
      this.pending.push(record);
    } catch (error) {
      record.error = `upload: ${(error as Error).message}`;
    }
  }

  private async pollLoop(check: () => void): Promise<void> {
    while (this.polling) {
      check();
      await Promise.all(this.pending.slice(0, POLL_WINDOW).map((s) => this.poll(s)));
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  private async poll(s: Sent): Promise<void> {
    const drop = () => this.pending.splice(this.pending.indexOf(s), 1);
    try {
      const res = await this.client.json('GET', `/v1/submissions/${s.id}`);
      const at = this.now();
      if (res.status !== 200) {
        s.error = `status poll answered ${res.status}`;
        drop();
        return;
      }
      const body = res.body as { status: string; decision: string | null; reasons: string[]; liveness?: { replay?: { reasons: string[] }; lockout?: unknown } };
      if (body.status !== 'completed' && body.status !== 'failed') {
        if (s.acceptedAt !== undefined && at - s.acceptedAt > RESULT_TIMEOUT_MS) {
          s.error = `still ${body.status} after ${RESULT_TIMEOUT_MS / 1000} s`;
          drop();
        }
        return;
      }
      drop();
      s.readableAt = at;
      s.status = body.status;
      s.decision = body.decision;
      s.replay = (body.liveness?.replay?.reasons.length ?? 0) > 0;
      s.lockout = Boolean(body.liveness?.lockout);
      if (body.status === 'failed') s.error = `failed: ${body.reasons.join(', ')}`;
    } catch (error) {
      s.error = `status poll: ${(error as Error).message}`;
      drop();
    }
  }
}
