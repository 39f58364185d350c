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

export function createLogger(level: string, name = 'zinda'): Logger {
  return pino({ name, level, redact: { paths: REDACT, remove: true } });
}
