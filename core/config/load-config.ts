import path from 'node:path';
import { configSchema } from './config-schema';
import { ensureGeneratedSecrets } from './generated-secrets';
import { ConfigError } from '../errors/app-errors';

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
  const dataDir = path.resolve(raw.DATA_DIR);
  let secrets: ReturnType<typeof ensureGeneratedSecrets>;
  try {
    secrets = ensureGeneratedSecrets(dataDir, { sessionSecret: raw.SESSION_SECRET, secretsKey: raw.SECRETS_KEY });
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new ConfigError(
      `Invalid configuration:\n  DATA_DIR: cannot create or write ${dataDir} (${reason})`,
      { problems: [`DATA_DIR: ${reason}`] },
      { cause: error },
    );
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
    backupDir: path.resolve(raw.BACKUP_DIR ?? path.join(dataDir, 'backups')),
    backupSchedule: raw.BACKUP_SCHEDULE,
    backupKeep: { daily: raw.BACKUP_KEEP_DAILY, weekly: raw.BACKUP_KEEP_WEEKLY },
    diskLowBytes: raw.DISK_LOW_MB * MB,
    importMaxBytes: raw.IMPORT_MAX_MB * MB,
  };
}
