import type { UnitOfWork } from '../../../src/domain/unit-of-work.js';

/**
 * A unit of work over in-memory ports for unit tests: `transaction` runs the work on the same ports. It does not
 * model rollback (a work that throws may leave its writes): test refusals by what the service returns or throws.
 */
export function inMemoryUnitOfWork<Ports>(ports: Ports): UnitOfWork<Ports> {
  return { ports, transaction: (work) => work(ports) };
}
