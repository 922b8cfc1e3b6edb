/**
 * A number of bytes in binary units as the CLI and the console pages say it: `512 B`, `1.5 KiB`,
 * `44 KiB`, `12 MiB`; one decimal below ten, whole numbers above. Workspace pages, which speak the
 * workspace's language, use formatSize (core/i18n/format-size) instead.
 */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}
