/**
 * Sizes in one form everywhere. Decimal units with three significant digits, as the Docker CLI
 * prints image sizes; `binary` for limits that are powers of two (16 MiB reads "16 MiB", not "16.8 MB").
 */
export function formatSize(bytes: number | undefined, binary = false): string {
  if (bytes === undefined || bytes < 0 || !Number.isFinite(bytes)) return '?';
  const base = binary ? 1024 : 1000;
  const units = binary ? ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'] : ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= base && unit < units.length - 1) {
    value /= base;
    unit++;
  }
  return `${unit === 0 ? value : value.toPrecision(3).replace(/\.0+$|(\.\d*?)0+$/, '$1')} ${units[unit]}`;
}
