/**
 * Benchmark figures: one measured value next to its floor (measured in the same run), the
 * ratio, the target and whether it is met; and how they are printed.
 */

/** One line of the benchmark's report; what `npm run bench -- --json` prints an array of. */
export interface Figure {
  name: string;
  /** The measurement (a median when several runs were made); null when it could not be taken. */
  value: number | null;
  unit: string;
  /** The same quantity for the floor we compare with, in `unit`. */
  floor: number | null;
  /** value / floor. */
  ratio: number | null;
  /** The target, in words, e.g. `≤ 1.3× floor`. */
  target: string;
  met: boolean | null;
}

/** A target on the ratio: at most, or at least, so many times the floor. */
export type Target = { atMost: number } | { atLeast: number };

/** A figure whose target is a bound on value / floor. */
export function ratioFigure(name: string, unit: string, value: number, floor: number, target: Target): Figure {
  const ratio = floor > 0 ? value / floor : null;
  const bound = 'atMost' in target ? target.atMost : target.atLeast;
  return {
    name,
    value: round(value),
    unit,
    floor: round(floor),
    ratio: ratio === null ? null : round(ratio, 3),
    target: `${'atMost' in target ? '≤' : '≥'} ${bound}× floor`,
    met: ratio === null ? null : 'atMost' in target ? ratio <= target.atMost : ratio >= target.atLeast,
  };
}

/** A figure that could not be measured, and why; the name carries the reason. */
export function notMeasured(name: string, unit: string, target: string, reason: string): Figure {
  return { name: `${name} (not measured: ${reason})`, value: null, unit, floor: null, ratio: null, target, met: null };
}

/** The median of some numbers (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Rounds to a few significant decimals for reports. */
export function round(value: number, decimals = value >= 100 ? 0 : value >= 10 ? 1 : 2): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}

/** The figures as an aligned text table, then the notes. */
export function formatTable(figures: readonly Figure[], notes: readonly string[] = []): string {
  const header = ['figure', 'value', 'floor', 'ratio', 'target', 'met'];
  const show = (n: number | null, unit = '') => (n === null ? '—' : `${n}${unit ? ` ${unit}` : ''}`);
  const rows = figures.map((f) => [
    f.name,
    show(f.value, f.unit),
    show(f.floor, f.unit),
    f.ratio === null ? '—' : `${f.ratio}×`,
    f.target,
    f.met === null ? '—' : f.met ? 'met' : 'NOT MET',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === 0 || i === 4 || i === 5 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line), ...(notes.length ? ['', ...notes] : [])].join('\n');
}
