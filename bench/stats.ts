// The few statistics the report needs. Medians throughout: a shared 2-core machine has outliers, not noise.

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Median, min and max of a series, with the runs themselves kept for the JSON results. */
export interface Summary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly runs: number[];
}

export function summarize(values: readonly number[]): Summary {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), runs: [...values] };
}

/**
 * Median of the per-pair ratios candidate[i] / baseline[i]. Each pair ran back to back (alternating which went
 * first), so a burst of load from elsewhere on the machine hits both sides of a pair alike.
 */
export function pairedRatio(candidate: readonly number[], baseline: readonly number[]): number {
  if (candidate.length !== baseline.length) throw new Error('paired series differ in length');
  return median(candidate.map((c, i) => c / baseline[i]));
}

/** Alternates the order of A and B from run to run (ABBAABBA...), so neither always pays for going first. */
export function abFirst(run: number): boolean {
  return run % 4 === 0 || run % 4 === 3;
}

export function fixed(value: number, digits = 1): string {
  return value.toFixed(digits);
}
