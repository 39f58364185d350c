import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Field names that may carry personal data. pino removes them wherever they appear, so a careless
 * `log.info({ subject })` cannot leak a passport number or an embedding into the log.
 */
const REDACT = [
  'passport', '*.passport', 'surname', '*.surname', 'givenNames', '*.givenNames', 'documentNumber',
  '*.documentNumber', 'dateOfBirth', '*.dateOfBirth', 'mrz', '*.mrz', 'embedding', '*.embedding',
  'image', '*.image', 'buffer', '*.buffer', 'authorization', '*.authorization', 'req.headers.authorization',
  'req.headers.cookie', 'apiKey', '*.apiKey', 'masterKey', '*.masterKey',
];

/** `destination` is for tests that read what was logged; production logs to stdout. */
export function createLogger(level: string, name = 'zinda', destination?: { write(line: string): void }): Logger {
  const options = { name, level, redact: { paths: REDACT, remove: true } };
  return destination ? pino(options, destination) : pino(options);
}
