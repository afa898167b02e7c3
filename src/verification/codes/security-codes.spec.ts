import { AppConfig } from '../../config/app-config.service';
import { SecurityCodes } from './security-codes';

/** The real code generator, without a database: newCode() only reads CODE_LENGTH. */
const generator = (length: number): SecurityCodes =>
  new SecurityCodes({ codes: { length } } as AppConfig);

/** Pearson's chi-square statistic of observed counts against a uniform expectation. */
function chiSquare(counts: number[]): number {
  const total = counts.reduce((a, b) => a + b, 0);
  const expected = total / counts.length;
  return counts.reduce((sum, c) => sum + (c - expected) ** 2 / expected, 0);
}

// Critical values of the chi-square distribution at p = 0.01.
const CRITICAL_P01: Record<number, number> = { 9: 21.666, 99: 134.642 };

/**
 * A statistical test fails by chance with probability p. To keep CI stable it draws a second,
 * independent sample when the first one fails, and fails only if both do (chance 1e-4).
 */
function uniformIn(sample: () => number[], df: number): { first: number; second?: number } {
  const first = chiSquare(sample());
  if (first <= CRITICAL_P01[df]) return { first };
  return { first, second: chiSquare(sample()) };
}

describe('SecurityCodes.newCode', () => {
  const N = 20_000;
  const codes = (): string[] => Array.from({ length: N }, () => generator(4).newCode());

  it('is always CODE_LENGTH digits, leading zeros kept', () => {
    const sample = codes();
    for (const code of sample) expect(code).toMatch(/^\d{4}$/);
    // One code in ten starts with 0 (σ ≈ 0.2 % at this size); 4 % with two.
    const leadingZero = sample.filter((c) => c.startsWith('0')).length / N;
    expect(leadingZero).toBeGreaterThan(0.08);
    expect(leadingZero).toBeLessThan(0.12);
    expect(sample.filter((c) => c.startsWith('00')).length / N).toBeGreaterThan(0.005);
    const six = Array.from({ length: 2000 }, () => generator(6).newCode());
    for (const code of six) expect(code).toMatch(/^\d{6}$/);
    expect(six.some((c) => c.startsWith('0'))).toBe(true);
  });

  it(`is uniform over 0000–9999: chi-square over 100 buckets of ${N} codes, p > 0.01`, () => {
    const sample = (): number[] => {
      const buckets = new Array<number>(100).fill(0);
      for (const code of codes()) buckets[Math.floor(Number(code) / 100)] += 1;
      return buckets;
    };
    const result = uniformIn(sample, 99);
    expect(result.second ?? result.first).toBeLessThanOrEqual(CRITICAL_P01[99]);
  });

  it.each([0, 1, 2, 3])(
    'is uniform in digit %i: chi-square over 10 buckets, p > 0.01',
    (position) => {
      const sample = (): number[] => {
        const buckets = new Array<number>(10).fill(0);
        for (const code of codes()) buckets[Number(code[position])] += 1;
        return buckets;
      };
      const result = uniformIn(sample, 9);
      expect(result.second ?? result.first).toBeLessThanOrEqual(CRITICAL_P01[9]);
    },
  );

  it('does not repeat itself: consecutive codes are independent (no two in a row equal more than chance)', () => {
    const sample = codes();
    let repeats = 0;
    for (let i = 1; i < sample.length; i++) if (sample[i] === sample[i - 1]) repeats += 1;
    // Expected N / 10,000 = 2; Poisson(2) exceeds 10 with probability < 1e-5.
    expect(repeats).toBeLessThanOrEqual(10);
  });
});
