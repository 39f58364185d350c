import { describe, expect, it } from 'vitest';
import { paymentEvent, reconcileState } from '../../../../src/domain/campaigns/member-state.js';

describe('a member state follows the best decision since the campaign opened', () => {
  it('moves with submissions while the campaign is open, either way (a review may overturn a decision)', () => {
    expect(reconcileState('invited', 'verified', 'open')).toBe('verified');
    expect(reconcileState('invited', 'needs_review', 'open')).toBe('needs_review');
    expect(reconcileState('rejected', 'verified', 'open')).toBe('verified');
    expect(reconcileState('needs_review', 'rejected', 'open')).toBe('rejected');
    expect(reconcileState('invited', null, 'open')).toBe('invited');
    expect(reconcileState('verified', null, 'open')).toBe('verified');
  });

  it('marks those without success overdue at the close, but never one waiting for the office\'s review', () => {
    expect(reconcileState('invited', null, 'closing')).toBe('overdue');
    expect(reconcileState('rejected', 'rejected', 'closing')).toBe('overdue');
    expect(reconcileState('invited', 'verified', 'closing')).toBe('verified');
    expect(reconcileState('invited', 'needs_review', 'closing')).toBe('needs_review');
  });

  it('after the close, lifts overdue only with a verified proof, and a rejecting review makes it overdue', () => {
    expect(reconcileState('overdue', 'verified', 'closed')).toBe('verified');
    expect(reconcileState('overdue', 'needs_review', 'closed')).toBe('overdue');
    expect(reconcileState('needs_review', 'rejected', 'closed')).toBe('overdue');
    expect(reconcileState('needs_review', 'verified', 'closed')).toBe('verified');
    expect(reconcileState('verified', 'rejected', 'closed')).toBe('verified');
  });

  it('never changes an operator\'s decision', () => {
    for (const phase of ['open', 'closing', 'closed'] as const) {
      expect(reconcileState('exempt', 'rejected', phase)).toBe('exempt');
      expect(reconcileState('verified_in_person', null, phase)).toBe('verified_in_person');
    }
  });

  it('tells the payment system of entering and leaving overdue only', () => {
    expect(paymentEvent('invited', 'overdue')).toBe('payment-overdue');
    expect(paymentEvent('overdue', 'verified')).toBe('payment-cleared');
    expect(paymentEvent('overdue', 'verified_in_person')).toBe('payment-cleared');
    expect(paymentEvent('invited', 'verified')).toBeNull();
    expect(paymentEvent('overdue', 'overdue')).toBeNull();
  });
});
