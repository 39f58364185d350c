/**
 * Subjects of the load run: real people from `../shared/datasets/identities` (read in place, never copied), each
 * enrolled with their first photo (selfie + a synthetic passport page of it) and verified with the others.
 */
import { readFile } from 'node:fs/promises';
import { identityImages, identityPeople } from '../../test/support/datasets.js';
import type { ApiClient } from '../../test/support/api-client.js';
import { makeSyntheticPassportPage } from '../../test/support/passport-page.js';
import { PASSPORT, createConsentingSubject } from '../../test/support/stack.js';
import { ResultWatcher } from '../bench/result-watcher.js';

export interface LoadSubject {
  readonly subjectId: string;
  /** Dataset folder name (printed; no image content). */
  readonly person: string;
  /** Verification photos: every photo of the person but the enrolment one. */
  readonly photos: readonly Buffer[];
}

/** People with at least `minPhotos` photos, most photos first, then by name: a fixed choice from run to run. */
function candidates(minPhotos: number): string[] {
  return identityPeople()
    .map((person) => ({ person, n: identityImages(person).length }))
    .filter((c) => c.n >= minPhotos)
    .sort((a, b) => b.n - a.n || a.person.localeCompare(b.person))
    .map((c) => c.person);
}

/**
 * Enrols up to `count` people whose enrolment the service verifies; a person whose enrolment it does not verify
 * (a photo it judges unusable as a reference) is skipped and reported through `log`.
 */
export async function enrolSubjects(client: ApiClient, count: number, log: (message: string) => void, check: () => void): Promise<LoadSubject[]> {
  const enrolled: LoadSubject[] = [];
  for (const [index, person] of candidates(4).entries()) {
    if (enrolled.length >= count) break;
    const [first, ...rest] = identityImages(person);
    const subjectId = `LOAD-${index + 1}`;
    await createConsentingSubject(client, subjectId, { ...PASSPORT, number: `L${String(1_000_000 + index)}` });
    const res = await client.multipart(`/v1/subjects/${subjectId}/enrollments`, {
      selfie: await readFile(first!), document: await makeSyntheticPassportPage(first!),
    });
    if (res.status !== 202) throw new Error(`enrolment of ${person}: API answered ${res.status}: ${JSON.stringify(res.body)}`);
    const watcher = new ResultWatcher(client, 1, 50);
    watcher.add(res.body.submissionId as string, Date.now());
    const [result] = await watcher.all(1, 180_000, check);
    if (result?.body.decision !== 'verified') {
      log(`enrolment of ${person} not verified (${result?.body.status}, ${result?.body.decision}: ${result?.body.reasons.join(', ')}); skipped`);
      continue;
    }
    enrolled.push({ subjectId, person, photos: await Promise.all(rest.map((p) => readFile(p))) });
    log(`enrolled ${person} as ${subjectId}; ${rest.length} verification photos`);
  }
  if (enrolled.length === 0) throw new Error('no subject could be enrolled');
  return enrolled;
}
