import pino, { type Logger } from 'pino';

/** Paths never written to logs: credentials, tokens and cookies. */
export const REDACT_PATHS = [
  'password',
  '*.password',
  'token',
  '*.token',
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  'req.body',
  'req.query.token',
  // Tenant secrets and the keys that seal them (config.secretsKey, a secret's value).
  'secretsKey',
  '*.secretsKey',
  'sessionSecret',
  '*.sessionSecret',
  'secret_value',
  '*.secret_value',
  'req.query._csrf',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, redact: { paths: REDACT_PATHS, censor: '[redacted]' }, base: { service: 'tenantry' } }, destination);
}

export type { Logger };
