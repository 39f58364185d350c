import type { Role } from './roles.js';

/** An API key as stored: the secret only as its salted scrypt hash. */
export interface ApiKeyRecord {
  readonly id: string;
  /** The visible part of the key (`znd_<keyId>_…`): not secret. */
  readonly keyId: string;
  readonly secretHash: string;
  readonly role: Role;
  readonly label: string | null;
  readonly revokedAt: Date | null;
}

/** What an operator may see of a key: never its secret or hash. */
export interface ApiKeySummary {
  readonly keyId: string;
  readonly role: Role;
  readonly label: string | null;
  readonly createdAt: Date;
  readonly revokedAt: Date | null;
}

/** The API keys (a repository in src/storage implements it). */
export interface ApiKeyRepository {
  insert(key: Omit<ApiKeyRecord, 'revokedAt'>): Promise<void>;
  findByKeyId(keyId: string): Promise<ApiKeyRecord | null>;
  /** Every key, oldest first, revoked ones included. */
  list(): Promise<ApiKeySummary[]>;
  /** Keys ever created, revoked ones included. */
  count(): Promise<number>;
  /** False when no such key is live. */
  revoke(keyId: string, at: Date): Promise<boolean>;
}

/** The first answer to a POST sent with an Idempotency-Key; `statusCode` null while that request still runs. */
export interface IdempotencyRecord {
  readonly requestHash: string;
  readonly statusCode: number | null;
  readonly response: unknown;
  readonly location: string | null;
}

/** Remembers the answer to a POST under its Idempotency-Key, per API key. */
export interface IdempotencyRepository {
  /** Claims the key; returns the existing record instead when another request claimed it first. */
  claim(apiKeyId: string, key: string, requestHash: string): Promise<IdempotencyRecord | null>;
  saveResponse(apiKeyId: string, key: string, statusCode: number, response: unknown, location: string | null): Promise<void>;
  /** A request that failed with an error releases its key so that the client can retry it. */
  release(apiKeyId: string, key: string): Promise<void>;
}

/** The storage API keys need. */
export interface AccessPorts {
  readonly apiKeys: ApiKeyRepository;
}
