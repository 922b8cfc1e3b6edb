import path from 'node:path';
import { z } from 'zod';
import { Cron } from 'croner';
import { ONE_LINE_TEXT } from '../text/visible-text';

/**
 * Tenant databases the router keeps open (docs/decisions/028). Each holds 3 file descriptors, so
 * the server needs 3 x this + 100 of them: 3,172 at the default, within a hard `ulimit -n` of
 * 4096 (Node raises its soft limit to the hard one at start).
 */
export const DEFAULT_TENANT_CACHE_SIZE = 1024;

/**
 * The project's own `data/` folder: where the server and the CLI keep everything unless DATA_DIR
 * says otherwise, wherever they are started from (a CLI run from a sub-folder must not make a
 * second, empty deployment there).
 */
export const DEFAULT_DATA_DIR = path.resolve(__dirname, '../../data');

const optionalString = z
  .string()
  .trim()
  .min(1)
  .optional()
  .or(z.literal('').transform(() => undefined));

const flag = z
  .enum(['true', 'false', '1', '0', ''], { error: 'must be 1, 0, true or false' })
  .default('false')
  .transform((v) => v === 'true' || v === '1');

/**
 * A whole number between `min` and `max`, with its default when unset. A blank value
 * (`BACKUP_KEEP_DAILY=` or `PORT=` in an env file, `${VAR}` of an unset variable in a compose
 * file) is unset too, as for every optional setting: read as a number it would be 0, and 0 days
 * of backups kept removes them all but the newest at the next run.
 */
function wholeNumber(min: number, max: number, fallback: number, unit = 'whole number', range?: string) {
  return z.preprocess(
    (value) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
    z.coerce
      .number({ error: `must be a ${unit}` })
      .int(`must be a ${unit}`)
      .min(min, range ?? (min === 0 ? 'must be 0 or more' : `must be at least ${min}`))
      .max(max, range ?? `must be at most ${max}`)
      .default(fallback),
  );
}

/** A duration in whole minutes with a default and a hard upper bound. */
function minutes(fallback: number, max: number, min = 1) {
  return wholeNumber(min, max, fallback, 'whole number of minutes');
}

function isCronExpression(value: string): boolean {
  try {
    new Cron(value, { paused: true }).stop();
    return true;
  } catch {
    return false;
  }
}

/** Every setting Tenantry reads from the environment, with its rule. */
export const configSchema = z.object({
  PORT: wholeNumber(1, 65535, 3000, 'whole number', 'must be 1-65535'),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1, 'must not be empty').default(DEFAULT_DATA_DIR),
  BASE_URL: z
    .url({ error: 'must be an absolute http(s) URL' })
    .optional()
    .or(z.literal('').transform(() => undefined)),
  BASE_DOMAIN: z
    .string()
    .regex(/^[a-z0-9.-]+(:\d+)?$/, 'must be a host name such as example.com')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  SESSION_SECRET: z
    .string()
    .min(32, 'must be at least 32 characters')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  SECRETS_KEY: z
    .string()
    .regex(/^[0-9a-f]{64}$/i, 'must be 64 hex characters (32 bytes)')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  TENANT_CACHE_SIZE: wholeNumber(1, 5000, DEFAULT_TENANT_CACHE_SIZE),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SMTP_URL: optionalString,
  MAIL_FROM: optionalString,
  INVITATION_TTL_DAYS: wholeNumber(1, 90, 7),
  ARCHIVE_RETENTION_DAYS: wholeNumber(1, 3650, 30),
  METRICS_TOKEN: z
    .string()
    .min(32, 'must be at least 32 characters')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  SUPPORT_CONTACT: z
    .string()
    .trim()
    .max(200, 'must be at most 200 characters')
    .regex(ONE_LINE_TEXT, 'must not contain control characters')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  TRUST_PROXY: flag,
  IMPERSONATION_MINUTES: minutes(30, 30),
  BREAK_GLASS_MINUTES: minutes(30, 120),
  PASSWORD_RESET_MINUTES: minutes(60, 24 * 60, 5),
  DEV_LOGIN: flag,
  RELOAD_VIEWS: flag,
  BACKUP_DIR: optionalString,
  BACKUP_SCHEDULE: optionalString.refine((value) => value === undefined || isCronExpression(value), {
    error: 'must be a cron expression such as "15 3 * * *" (every day at 03:15)',
  }),
  BACKUP_KEEP_DAILY: wholeNumber(0, 366, 7),
  BACKUP_KEEP_WEEKLY: wholeNumber(0, 520, 4),
  DISK_LOW_MB: wholeNumber(0, 10_000_000, 1024),
  IMPORT_MAX_MB: wholeNumber(1, 10_000_000, 4096),
  API_RATE_LIMIT: wholeNumber(1, 100000, 600),
  WEBHOOKS_ALLOW_PRIVATE: flag,
  SELF_SERVICE_WORKSPACES: flag,
  SELF_SERVICE_WORKSPACE_LIMIT: wholeNumber(0, 1000, 3),
});
