/** Small helpers every benchmark shares: timing, percentiles, and the one-JSON-line-per-figure output. */
import { performance } from 'node:perf_hooks';

export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx] as number;
}

export const median = (samples: readonly number[]): number => percentile(samples, 50);

/** Runs `fn` `n` times one after another and returns each duration in ms. */
export async function timeEach(n: number, fn: (i: number) => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn(i);
    out.push(performance.now() - t0);
  }
  return out;
}

const round = (v: number): number => Math.round(v * 1000) / 1000;

/** Prints one figure as one JSON line; numbers rounded to µs. */
export function figure(name: string, values: Record<string, number | string>): void {
  const rounded = Object.fromEntries(
    Object.entries(values).map(([k, v]) => [k, typeof v === 'number' ? round(v) : v]),
  );
  console.log(JSON.stringify({ figure: name, ...rounded }));
}
