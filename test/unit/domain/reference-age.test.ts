import { describe, expect, it } from 'vitest';
import { SubjectService } from '../../../src/domain/subjects/subject.service.js';
import type { Subject } from '../../../src/domain/subjects/subject.js';
import { inMemoryUnitOfWork } from '../../support/in-memory/unit-of-work.js';
import { MutableClock } from '../../support/mutable-clock.js';

// Template ageing: the subject's newest reference against REFERENCE_MAX_AGE_YEARS.
describe('reference age', () => {
  const clock = new MutableClock(new Date('2031-06-01T00:00:00Z'));
  const service = (newestAt: Date | null) => new SubjectService({
    uow: inMemoryUnitOfWork({ subjects: {} as never, templates: { newestActiveAt: async () => newestAt } as never, audit: {} as never }),
    vault: {} as never, audit: {} as never, clock, referenceMaxAgeYears: 5,
  });
  const subject = { id: 's1' } as Subject;

  it('is aged once the newest reference is older than the limit', async () => {
    expect(await service(new Date('2026-05-31T23:59:59Z')).referenceAge(subject)).toMatchObject({ aged: true });
    expect(await service(new Date('2026-06-01T00:00:01Z')).referenceAge(subject)).toMatchObject({ aged: false });
  });

  it('a subject without references in use is not aged (they are not enrolled)', async () => {
    expect(await service(null).referenceAge(subject)).toEqual({ newestAt: null, aged: false });
  });
});
