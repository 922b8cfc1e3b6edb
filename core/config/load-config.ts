import fs from 'node:fs';
import path from 'node:path';
import { configSchema } from './config-schema';
import { ensureGeneratedSecrets } from './generated-secrets';
import { ConfigError } from '../errors/app-errors';
import { isLoopbackHost } from './loopback-host';
import { unusableDirectory } from './usable-directory';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  baseUrl: string;
  baseDomain?: string;
  secureCookies: boolean;
  sessionSecret: string;
  secretsKey: Buffer;
  tenantCacheSize: number;
  logLevel: string;
  smtpUrl?: string;
  mailFrom: string;
  invitationTtlDays: number;
  trustProxy: boolean;
  /** Days an archived tenant stays restorable before it is purged. */
  archiveRetentionDays: number;
  /** Lets a scraper outside the loopback read /metrics (Authorization: Bearer <token>). */
  metricsToken?: string;
  /** Whom members of a suspended or damaged workspace are told to contact. */
  supportContact?: string;
  /** How long a super admin may act as another user, at most 30 minutes. */
  impersonationMinutes: number;
  /** How long a super admin's break-glass access to a tenant lasts. */
  breakGlassMinutes: number;
  /** How long a password reset link works. */
  passwordResetMinutes: number;
  /** One-click sign-in as the demo users (developer mode); only ever true with a loopback HOST. */
  devLogin: boolean;
  /** Page templates read and compiled again on every render (while editing views); otherwise once. */
  reloadViews: boolean;
  /** Where tenant backups go: BACKUP_DIR (another disk, ideally), or DATA_DIR/backups. */
  backupDir: string;
  /** Cron expression for the server's scheduled backups; unset: no schedule. */
  backupSchedule?: string;
  /** Retention: the newest backup of each of this many recent days, and of this many recent weeks. */
  backupKeep: { daily: number; weekly: number };
  /** Free space below this (in bytes) in DATA_DIR or BACKUP_DIR is reported as low. */
  diskLowBytes: number;
  /** Most bytes an imported archive may unpack to. */
  importMaxBytes: number;
  /** Requests per minute one API token (or one signed-in user on the REST API) may make. */
  apiRateLimit: number;
  /** Webhooks may reach private, loopback and link-local addresses (a deployment on a private network, tests). */
  webhooksAllowPrivate: boolean;
  /** Signed-in users may create workspaces of their own, owning at most `limit` of them (0: none). */
  selfService: { enabled: boolean; limit: number };
}

const MB = 1024 * 1024;

/** Parses the environment once, at start-up. A bad value throws a ConfigError naming the variable and its rule. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${String(issue.path[0])}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`, { problems });
  }
  const raw = parsed.data;
  if (raw.DEV_LOGIN && !isLoopbackHost(raw.HOST)) {
    const problem = `DEV_LOGIN: one-click sign-in is for a developer's own machine; it needs HOST to be a loopback address (127.0.0.1, ::1 or localhost), and HOST is ${raw.HOST}. Unset DEV_LOGIN or set HOST=127.0.0.1.`;
    throw new ConfigError(`Invalid configuration:\n  ${problem}`, { problems: [problem] });
  }
  const dataDir = path.resolve(raw.DATA_DIR);
  let secrets: ReturnType<typeof ensureGeneratedSecrets>;
  try {
    secrets = ensureGeneratedSecrets(dataDir, { sessionSecret: raw.SESSION_SECRET, secretsKey: raw.SECRETS_KEY });
    // Secrets made on an earlier run are only read: a folder this user may no longer write (its
    // owner changed, a read-only mount) is found here, not as a stack from the first file made in it.
    fs.accessSync(dataDir, fs.constants.W_OK);
  } catch (error) {
    throw unusableDirectory('DATA_DIR', dataDir, error);
  }
  const baseUrl = (raw.BASE_URL ?? `http://localhost:${raw.PORT}`).replace(/\/+$/, '');
  return {
    port: raw.PORT,
    host: raw.HOST,
    dataDir,
    baseUrl,
    baseDomain: raw.BASE_DOMAIN,
    secureCookies: baseUrl.startsWith('https://'),
    sessionSecret: secrets.sessionSecret,
    secretsKey: Buffer.from(secrets.secretsKey, 'hex'),
    tenantCacheSize: raw.TENANT_CACHE_SIZE,
    logLevel: raw.LOG_LEVEL,
    smtpUrl: raw.SMTP_URL,
    mailFrom: raw.MAIL_FROM ?? 'Tenantry <no-reply@localhost>',
    invitationTtlDays: raw.INVITATION_TTL_DAYS,
    trustProxy: raw.TRUST_PROXY,
    archiveRetentionDays: raw.ARCHIVE_RETENTION_DAYS,
    metricsToken: raw.METRICS_TOKEN,
    supportContact: raw.SUPPORT_CONTACT,
    impersonationMinutes: raw.IMPERSONATION_MINUTES,
    breakGlassMinutes: raw.BREAK_GLASS_MINUTES,
    passwordResetMinutes: raw.PASSWORD_RESET_MINUTES,
    devLogin: raw.DEV_LOGIN,
    reloadViews: raw.RELOAD_VIEWS,
    backupDir: path.resolve(raw.BACKUP_DIR ?? path.join(dataDir, 'backups')),
    backupSchedule: raw.BACKUP_SCHEDULE,
    backupKeep: { daily: raw.BACKUP_KEEP_DAILY, weekly: raw.BACKUP_KEEP_WEEKLY },
    diskLowBytes: raw.DISK_LOW_MB * MB,
    importMaxBytes: raw.IMPORT_MAX_MB * MB,
    apiRateLimit: raw.API_RATE_LIMIT,
    webhooksAllowPrivate: raw.WEBHOOKS_ALLOW_PRIVATE,
    selfService: { enabled: raw.SELF_SERVICE_WORKSPACES, limit: raw.SELF_SERVICE_WORKSPACE_LIMIT },
  };
}
