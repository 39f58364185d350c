/** One ordered, named, reversible schema change. */
export interface Migration {
  readonly id: number;
  readonly name: string;
  readonly up: string;
  readonly down: string;
}
