/**
 * Benchmark figures: our samples next to the peer's, the ratio of their medians, the target and
 * whether it is met; and the table they are printed as. Pure: no timing here.
 */

/** A bound on a figure: on the ratio ours / peer, or on our own median (in the figure's unit). */
export type Target = { ratio: '≤' | '≥'; bound: number } | { value: '≤'; bound: number };

/** The samples of one side of a figure, summarized. */
export interface Side {
  /** What ran, in a few words (`remark + remark-validate-links`). */
  what: string;
  median: number | null;
  /** Smallest and largest sample: the spread. */
  min: number | null;
  max: number | null;
  samples: number[];
}

/** One line of the report; what `npm run bench -- --json` prints an array of. */
export interface Figure {
  /** Short id, the `--only` group it belongs to. */
  group: string;
  name: string;
  unit: string;
  ours: Side;
  peer: Side;
  /** ours.median / peer.median. */
  ratio: number | null;
  /** The target in words: `≤ 1×`, `≥ 0.7×`, `≤ 1024 MB`. */
  target: string;
  /** null when the figure could not be measured. */
  met: boolean | null;
  /** Why the figure was not measured, or what to know about it. */
  note: string | null;
}

/** Summarizes samples as a side of a figure. */
export function side(what: string, samples: readonly number[]): Side {
  if (samples.length === 0) return { what, median: null, min: null, max: null, samples: [] };
  return { what, median: round(median(samples)), min: round(Math.min(...samples)), max: round(Math.max(...samples)), samples: samples.map((s) => round(s)) };
}

/** A figure from its samples; not met when a side has none (then `note` should say why). */
export function figure(fields: { group: string; name: string; unit: string; ours: Side; peer: Side; target: Target; note?: string | null }): Figure {
  const { ours, peer, target } = fields;
  const ratio = ours.median !== null && peer.median !== null && peer.median > 0 ? ours.median / peer.median : null;
  let met: boolean | null;
  if ('ratio' in target) met = ratio === null ? null : target.ratio === '≤' ? ratio <= target.bound : ratio >= target.bound;
  else met = ours.median === null ? null : ours.median <= target.bound;
  return {
    group: fields.group,
    name: fields.name,
    unit: fields.unit,
    ours,
    peer,
    ratio: ratio === null ? null : round(ratio, 3),
    target: 'ratio' in target ? `${target.ratio} ${target.bound}×` : `${target.value} ${target.bound} ${fields.unit}`,
    met,
    note: fields.note ?? null,
  };
}

/** The median of some numbers (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Rounds to a few significant decimals for reports. */
export function round(value: number, decimals = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}

/** A side as a table cell: `14.6 s` for one sample, `14.6 s (14.1–15.2, n=3)` for several, `—` for none. */
function cell(s: Side, unit: string): string {
  if (s.median === null) return '—';
  return s.samples.length > 1 ? `${s.median} ${unit} (${s.min}–${s.max}, n=${s.samples.length})` : `${s.median} ${unit}`;
}

/** The figures as an aligned text table, then each figure's note and the lines of `footer`. */
export function formatTable(figures: readonly Figure[], footer: readonly string[] = []): string {
  const header = ['figure', 'ours', 'peer', 'ratio', 'target', 'met'];
  const rows = figures.map((f) => [
    f.name,
    cell(f.ours, f.unit),
    cell(f.peer, f.unit),
    f.ratio === null ? '—' : `${f.ratio}×`,
    f.target,
    f.met === null ? 'not measured' : f.met ? 'met' : 'NOT MET',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === 1 || i === 2 || i === 3 ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  // What ran, once for the figures that share it (time and memory of the same runs).
  const ran = new Map<string, string[]>();
  for (const f of figures) {
    const what = `ours is ${f.ours.what}; peer is ${f.peer.what}.`;
    ran.set(what, [...(ran.get(what) ?? []), f.name]);
  }
  const notes = figures.filter((f) => f.note !== null).map((f) => `${f.name}: ${f.note}`);
  return [
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    '',
    ...[...ran].map(([what, names]) => `${names.join('; ')}: ${what}`),
    ...(notes.length ? ['', ...notes] : []),
    ...(footer.length ? ['', ...footer] : []),
  ].join('\n');
}

/**
 * Figures measured together (one command's runs give several): each `sample` measures once
 * more, `figures` summarizes every sample so far.
 */
export interface Group {
  /** The `--only` name. */
  name: string;
  /** Measures once more; resolves to why it could not (then it is not sampled again), or null. */
  sample(log: (line: string) => void): Promise<string | null>;
  /** The figures of the samples so far; `reason` is why there are none, when there are none. */
  figures(reason: string | null): Figure[];
}
