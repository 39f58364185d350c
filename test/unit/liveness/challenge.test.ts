import { describe, expect, it } from 'vitest';
import {
  CHALLENGE_ACTIONS, DEFAULT_CHALLENGE_POLICY, drawActions, hashNonce, MAX_CHALLENGE_TTL_MS, newChallenge,
} from '../../../src/domain/liveness/challenge.js';

describe('issuing a challenge', () => {
  it('draws 2-3 distinct actions, and over many draws every action and both lengths appear', () => {
    const seen = new Set<string>();
    const lengths = new Set<number>();
    for (let k = 0; k < 300; k++) {
      const actions = drawActions(DEFAULT_CHALLENGE_POLICY);
      expect(actions.length).toBeGreaterThanOrEqual(2);
      expect(actions.length).toBeLessThanOrEqual(3);
      expect(new Set(actions).size).toBe(actions.length);
      actions.forEach((a) => seen.add(a));
      lengths.add(actions.length);
    }
    expect([...seen].sort()).toEqual([...CHALLENGE_ACTIONS].sort());
    expect([...lengths].sort()).toEqual([2, 3]);
  });

  it('gives a fresh single-use nonce, stored only as its hash, expiring within 3 minutes', () => {
    const now = new Date('2026-11-21T10:00:00Z');
    const a = newChallenge('c1', 's1', now, DEFAULT_CHALLENGE_POLICY);
    const b = newChallenge('c2', 's1', now, DEFAULT_CHALLENGE_POLICY);
    expect(a.nonce).not.toBe(b.nonce);
    expect(a.nonce.length).toBeGreaterThanOrEqual(32);
    expect(a.challenge.nonceHash).toBe(hashNonce(a.nonce));
    expect(JSON.stringify(a.challenge)).not.toContain(a.nonce);
    expect(a.challenge.expiresAt.getTime() - now.getTime()).toBeLessThanOrEqual(MAX_CHALLENGE_TTL_MS);
    expect(() => newChallenge('c3', 's1', now, { ...DEFAULT_CHALLENGE_POLICY, ttlMs: 10 * 60_000 })).toThrow(/lifetime/);
  });

  it('uses the random source it is given (deterministic in tests)', () => {
    const zeros = () => 0;
    expect(drawActions(DEFAULT_CHALLENGE_POLICY, zeros)).toEqual(['turn_left', 'turn_right']);
  });
});
