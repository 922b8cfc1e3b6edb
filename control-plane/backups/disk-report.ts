import type { Config } from '../../core/config/load-config';
import { diskSpace, type DiskSpace } from '../../core/fs/disk-space';

export interface NamedDiskSpace {
  /** The setting that names the folder. */
  name: 'DATA_DIR' | 'BACKUP_DIR';
  dir: string;
  space: DiskSpace | undefined;
}

/** Free space where tenants live and where their backups go (DISK_LOW_MB says what is low). */
export function diskSpaces(config: Pick<Config, 'dataDir' | 'backupDir' | 'diskLowBytes'>): NamedDiskSpace[] {
  return [
    { name: 'DATA_DIR', dir: config.dataDir, space: diskSpace(config.dataDir, config.diskLowBytes) },
    { name: 'BACKUP_DIR', dir: config.backupDir, space: diskSpace(config.backupDir, config.diskLowBytes) },
  ];
}
