import type { MemberState } from './campaign.js';

export type Decision = 'verified' | 'needs_review' | 'rejected';

/**
 * Where the campaign stands for this reconciliation: open (before the close step), closing (the close
 * step marking overdue) or closed (after it: only late successes and late review outcomes move a member).
 */
export type Phase = 'open' | 'closing' | 'closed';

const FINAL: ReadonlySet<MemberState> = new Set(['exempt', 'verified_in_person']);

/**
 * A member's state given the best decision among their completed submissions since the campaign opened
 * (verified > needs_review > rejected; null = none). Pure, so every rule is unit-tested.
 *
 * - An operator's decision (exempt, verified_in_person) is final.
 * - needs_review is never made overdue: the office owes the review, the pensioner did their part.
 * - After the close, overdue lifts only with a verified proof; a review that rejects makes it overdue.
 */
export function reconcileState(current: MemberState, best: Decision | null, phase: Phase): MemberState {
  if (FINAL.has(current)) return current;
  if (phase === 'closed' || current === 'overdue') {
    if (best === 'verified') return 'verified';
    if (current === 'needs_review' && best === 'rejected') return 'overdue';
    if (current === 'invited' || current === 'rejected') return 'overdue';
    return current;
  }
  const next: MemberState = best ?? current;
  if (phase === 'closing' && (next === 'invited' || next === 'rejected')) return 'overdue';
  return next;
}

/** Transitions that the payment system must hear about. */
export function paymentEvent(from: MemberState, to: MemberState): 'payment-overdue' | 'payment-cleared' | null {
  if (from !== 'overdue' && to === 'overdue') return 'payment-overdue';
  if (from === 'overdue' && (to === 'verified' || to === 'verified_in_person' || to === 'exempt')) return 'payment-cleared';
  return null;
}

/** Members who still owe a proof of life and so get reminders. */
export const awaitsProof = (state: MemberState) => state === 'invited' || state === 'rejected';
