/**
 * A transaction scope over the ports a service needs. Storage implements it (src/storage/unit-of-work.ts);
 * unit tests implement it in memory.
 *
 * Inside `transaction`, reach storage only through the ports `work` receives: they are bound to that one
 * transaction, and on the embedded database a statement on the outer handle waits for the transaction to end,
 * which never comes.
 */
export interface UnitOfWork<Ports> {
  /** The same ports outside any transaction: for single reads and single writes. */
  readonly ports: Ports;
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (ports: Ports) => Promise<T>): Promise<T>;
}
