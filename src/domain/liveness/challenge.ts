/**
 * The active liveness challenge: the server picks a short random sequence of actions and a single-use nonce;
 * the app films the person doing them and sends the frames with the nonce. A recording made before the
 * challenge existed cannot show the right actions in the right order, and a nonce works once.
 */
import { createHash, randomBytes, randomInt } from 'node:crypto';
import type { Localised } from '../quality/quality-messages.js';

/** What the person may be asked to do. Directions are the person's own (see face-geometry for the image side). */
export const CHALLENGE_ACTIONS = ['turn_left', 'turn_right', 'blink', 'open_mouth'] as const;
export type ChallengeAction = (typeof CHALLENGE_ACTIONS)[number];

/** How challenges are issued. */
export interface ChallengePolicy {
  /** Fewest and most actions in one challenge (the issue asks for 2-3). */
  readonly minActions: number;
  readonly maxActions: number;
  /** Lifetime of a challenge in milliseconds; at most 3 minutes. */
  readonly ttlMs: number;
  /** Fewest and most frames a response may carry. */
  readonly minFrames: number;
  readonly maxFrames: number;
}

export const DEFAULT_CHALLENGE_POLICY: ChallengePolicy = { minActions: 2, maxActions: 3, ttlMs: 120_000, minFrames: 3, maxFrames: 12 };
export const MAX_CHALLENGE_TTL_MS = 180_000;

/** A challenge as stored: the nonce only as its hash (it is a bearer secret for one response). */
export interface LivenessChallenge {
  readonly id: string;
  readonly subjectId: string;
  readonly actions: readonly ChallengeAction[];
  readonly nonceHash: string;
  readonly issuedAt: Date;
  readonly expiresAt: Date;
  /** When a submission redeemed it, and which. */
  readonly usedAt: Date | null;
  readonly usedBySubmission: string | null;
}

/** A freshly issued challenge with the nonce in clear, to hand to the app once. */
export interface IssuedChallenge {
  readonly challenge: LivenessChallenge;
  readonly nonce: string;
}

/** Random integers in [0, max); crypto-strong in production, seeded in tests. */
export type RandomInt = (max: number) => number;

export const cryptoRandomInt: RandomInt = (max) => randomInt(max);

/**
 * A random sequence of distinct actions, between minActions and maxActions long. Turning left and right are
 * both allowed in one challenge (they are distinct actions), so there are 4·3 + 4·3·2 = 36 sequences.
 */
export function drawActions(policy: ChallengePolicy, random: RandomInt = cryptoRandomInt): ChallengeAction[] {
  if (!(policy.minActions >= 1 && policy.maxActions >= policy.minActions && policy.maxActions <= CHALLENGE_ACTIONS.length)) {
    throw new RangeError(`bad action counts ${policy.minActions}-${policy.maxActions}`);
  }
  const count = policy.minActions + random(policy.maxActions - policy.minActions + 1);
  const pool: ChallengeAction[] = [...CHALLENGE_ACTIONS];
  const actions: ChallengeAction[] = [];
  for (let k = 0; k < count; k++) actions.push(pool.splice(random(pool.length), 1)[0] as ChallengeAction);
  return actions;
}

/** Builds a new challenge for a subject. */
export function newChallenge(
  id: string, subjectId: string, now: Date, policy: ChallengePolicy, random: RandomInt = cryptoRandomInt,
): IssuedChallenge {
  if (!(policy.ttlMs > 0 && policy.ttlMs <= MAX_CHALLENGE_TTL_MS)) throw new RangeError(`challenge lifetime must be in (0, ${MAX_CHALLENGE_TTL_MS}] ms`);
  const nonce = randomBytes(24).toString('base64url');
  return {
    nonce,
    challenge: {
      id, subjectId, actions: drawActions(policy, random), nonceHash: hashNonce(nonce),
      issuedAt: now, expiresAt: new Date(now.getTime() + policy.ttlMs), usedAt: null, usedBySubmission: null,
    },
  };
}

export function hashNonce(nonce: string): string {
  return createHash('sha256').update(nonce, 'utf8').digest('hex');
}

/** What the app shows for each action. */
export const ACTION_INSTRUCTIONS: Readonly<Record<ChallengeAction, Localised>> = {
  turn_left: {
    tg: 'Саратонро оҳиста ба тарафи чап гардонед ва баргардонед.',
    ru: 'Медленно поверните голову влево и верните обратно.',
    en: 'Slowly turn your head to your left, then back.',
  },
  turn_right: {
    tg: 'Саратонро оҳиста ба тарафи рост гардонед ва баргардонед.',
    ru: 'Медленно поверните голову вправо и верните обратно.',
    en: 'Slowly turn your head to your right, then back.',
  },
  blink: {
    tg: 'Як бор мижа занед: чашмонро пӯшед ва кушоед.',
    ru: 'Моргните: закройте и откройте глаза.',
    en: 'Blink: close your eyes, then open them.',
  },
  open_mouth: {
    tg: 'Даҳонатонро калон кушоед ва баъд пӯшед.',
    ru: 'Широко откройте рот, затем закройте.',
    en: 'Open your mouth wide, then close it.',
  },
};
