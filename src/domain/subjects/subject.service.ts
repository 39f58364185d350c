import type { Clock } from '../../shared/clock.js';
import { ConflictError, NotFoundError } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import type { BiometricVault } from '../../storage/blobs/biometric-vault.js';
import type { Repositories } from '../../storage/repositories/index.js';
import type { Passport } from './passport.js';
import type { Subject } from './subject.js';

export const PASSPORT_RECORD = 'passport';

/** Registering pensioners and keeping their passport fields (sealed, like their images). */
export class SubjectService {
  constructor(
    private readonly repos: Pick<Repositories, 'subjects' | 'templates'>,
    private readonly vault: BiometricVault,
    private readonly clock: Clock,
  ) {}

  async create(ref: string, passport: Passport): Promise<Subject> {
    const now = this.clock.now();
    const id = newId();
    if (!(await this.repos.subjects.insert({ id, ref, createdAt: now }))) {
      throw new ConflictError('SUBJECT_EXISTS', `A subject with id "${ref}" already exists.`);
    }
    await this.repos.subjects.setPassport(id, await this.vault.sealRecord(id, PASSPORT_RECORD, passport), now);
    return this.get(ref);
  }

  async get(ref: string): Promise<Subject> {
    const subject = await this.repos.subjects.findByRef(ref);
    if (!subject) throw new NotFoundError('SUBJECT_NOT_FOUND', `No subject with id "${ref}".`);
    return subject;
  }

  async replacePassport(subject: Subject, passport: Passport): Promise<void> {
    const sealed = await this.vault.sealRecord(subject.id, PASSPORT_RECORD, passport);
    await this.repos.subjects.setPassport(subject.id, sealed, this.clock.now());
  }

  isEnrolled(subject: Subject): Promise<boolean> {
    return this.repos.templates.countActive(subject.id).then((n) => n > 0);
  }
}
