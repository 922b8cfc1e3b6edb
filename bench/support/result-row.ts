/** One line of the report: a measured figure, how many runs its median covers, and its target if it has one. */
export interface Target {
  op: '>=' | '<=';
  value: number;
}

export interface ResultRow {
  bench: string;
  measure: string;
  value: number;
  unit: string;
  runs: number;
  target?: Target;
  /** Undefined when the row has no target. */
  pass?: boolean;
  note?: string;
}

export function row(bench: string, measure: string, value: number, unit: string, options: { runs: number; target?: Target; note?: string }): ResultRow {
  const { target } = options;
  const pass = target ? (target.op === '>=' ? value >= target.value : value <= target.value) : undefined;
  return { bench, measure, value, unit, runs: options.runs, target, pass, note: options.note };
}

export function formatNumber(value: number, unit: string): string {
  if (!Number.isFinite(value)) return 'n/a';
  const fixed = (digits: number) => value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  switch (unit) {
    case 'x':
      return `${fixed(2)}x`;
    case '%':
      return `${fixed(1)} %`;
    case 'req/s':
    case 'ops/s':
    case 'tenants/s':
    case 'fds':
    case 'MiB':
      return `${fixed(0)} ${unit}`;
    default: {
      const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : Math.abs(value) >= 1 ? 2 : 3;
      return `${fixed(digits)} ${unit}`;
    }
  }
}

export function formatTarget(target: Target | undefined, unit: string): string {
  return target ? `${target.op} ${formatNumber(target.value, unit)}` : '';
}
