/**
 * The application's error family. Every error a client can see has a stable machine `code`
 * (the mobile app and the dashboard switch on it) and an HTTP status; the message is for people.
 */
export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly details?: Record<string, unknown>,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The request is malformed or fails validation (400). */
export class ValidationError extends AppError {
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(code, message, 400, details);
  }
}

/** An uploaded file is refused: too large, wrong type, undecodable, too many pixels. */
export class UploadRejectedError extends AppError {
  constructor(code: string, message: string, status = 422, details?: Record<string, unknown>) {
    super(code, message, status, details);
  }
}

export class NotFoundError extends AppError {
  constructor(code: string, message: string) {
    super(code, message, 404);
  }
}

/** The request conflicts with the current state (exists already, not enrolled, key reused...). */
export class ConflictError extends AppError {
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(code, message, 409, details);
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = 'A valid API key is required: send "Authorization: Bearer <key>".') {
    super('UNAUTHORIZED', message, 401);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'Your role is not allowed to use this endpoint.') {
    super('FORBIDDEN', message, 403);
  }
}

/** A dependency (database, Redis, models) is down; clients may retry (503 + Retry-After). */
export class UnavailableError extends AppError {
  constructor(code: string, message: string, readonly retryAfterSeconds = 5) {
    super(code, message, 503);
  }
}

/** The configuration is wrong; the process must not start. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/** A model file is missing or fails its checksum; the engine must not start. */
export class ModelIntegrityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelIntegrityError';
  }
}
