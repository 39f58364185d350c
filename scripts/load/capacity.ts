/** A quick closed-loop measure of capacity: a burst of verifications, completions per second once the queue is full. */
import type { ApiClient } from '../../test/support/api-client.js';
import { ResultWatcher } from '../bench/result-watcher.js';
import type { LoadSubject } from './subjects.js';

/** Uploads in flight at once while filling the queue. */
const UPLOAD_CONCURRENCY = 4;

export interface Capacity {
  readonly perS: number;
  readonly n: number;
  /** First result readable → last result readable. */
  readonly spanS: number;
}

/** Sends `n` verifications as fast as the API takes them and measures the completion rate (first → last result). */
export async function measureCapacity(client: ApiClient, subjects: readonly LoadSubject[], n: number, workers: number, check: () => void): Promise<Capacity> {
  const watcher = new ResultWatcher(client, 2 * workers + 4, 20);
  let next = 0;
  const post = async () => {
    while (next < n) {
      const i = next++;
      const subject = subjects[i % subjects.length]!;
      const selfie = subject.photos[Math.floor(i / subjects.length) % subject.photos.length]!;
      const postAt = Date.now();
      const res = await client.multipart(`/v1/subjects/${subject.subjectId}/verifications`, { selfie });
      if (res.status !== 202) throw new Error(`capacity burst: upload answered ${res.status}: ${JSON.stringify(res.body)}`);
      watcher.add(res.body.submissionId as string, postAt);
    }
  };
  const posting = Promise.all(Array.from({ length: UPLOAD_CONCURRENCY }, post));
  const [, done] = await Promise.all([posting, watcher.all(n, 60_000 + n * 10_000, check)]);
  const times = done.map((d) => d.at).sort((a, b) => a - b);
  const spanS = (times[times.length - 1]! - times[0]!) / 1000;
  return { perS: (n - 1) / spanS, n, spanS };
}
