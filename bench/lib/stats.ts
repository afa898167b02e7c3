/** Small statistics helpers for the benchmark table. */

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export const median = (values: number[]): number => percentile(values, 50);

export function fmt(value: number, digits = 2): string {
  if (!Number.isFinite(value)) return 'n/a';
  return value.toFixed(digits);
}

/** Values by key (engine and quantity), one per round, in the order they were taken. */
export class Samples {
  private readonly values = new Map<string, number[]>();

  push(key: string, value: number): void {
    const list = this.values.get(key) ?? [];
    list.push(value);
    this.values.set(key, list);
  }

  get(key: string): number[] {
    return this.values.get(key) ?? [];
  }

  /** Every series by key (to keep the figures of a run). */
  toJSON(): Record<string, number[]> {
    return Object.fromEntries(this.values);
  }

  /** Element by element a[i] ÷ b[i] (the rounds of two series taken side by side). */
  ratios(a: string, b: string): number[] {
    const divisor = this.get(b);
    return this.get(a).map((x, i) => x / divisor[i]);
  }
}

/** `rounds 0.91 0.87 0.93` for the detail column. */
export const roundList = (values: number[], digits = 2, unit = ''): string =>
  `rounds ${values.map((x) => fmt(x, digits)).join(' ')}${unit}`;
