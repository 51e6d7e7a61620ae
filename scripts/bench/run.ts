/**
 * The whole benchmark: unpacks the corpus (or finds it unpacked), measures every group once,
 * then again in rounds up to `runs` while the time budget allows. Caches and outputs go to a
 * temporary folder, removed at the end.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { unpack } from './corpus.ts';
import { corpusGroup, generateGroup, validateGroup } from './docs.ts';
import { round, type Figure, type Group } from './figures.ts';
import { mockGroup } from './load.ts';
import { suiteGroup } from './suite.ts';

/** The groups of figures, in the order each round measures them (the longest last). */
export const GROUPS = ['mock', 'test', 'validate', 'generate', 'corpus'] as const;

/** One of GROUPS. */
export type GroupName = (typeof GROUPS)[number];

/** Groups that need the corpus. */
const ON_CORPUS: ReadonlySet<GroupName> = new Set(['validate', 'generate', 'corpus']);

/** What to measure. */
export interface BenchOptions {
  /** Samples of each group at most. */
  runs: number;
  /** No round after the first starts a group's sample that would end past this many ms after the start (its last sample's time as the estimate). */
  budgetMs: number;
  only: ReadonlySet<GroupName>;
  /** The corpus archive (.tar.xz). */
  archive: string;
  log: (line: string) => void;
}

/** What a run found: the figures and the conditions they were taken in. */
export interface BenchReport {
  figures: Figure[];
  machine: { cores: number; cpu: string; node: string };
  /** Load averages (1, 5, 15 min) at the start and at the end. */
  load: { start: number[]; end: number[] };
  seconds: number;
}

/** Runs the benchmark. */
export async function runBench(options: BenchOptions): Promise<BenchReport> {
  const started = performance.now();
  const loadStart = loadavg().map((l) => round(l));
  const elapsed = () => performance.now() - started;
  const log = (line: string) => options.log(`[${Math.round(elapsed() / 1000)} s] ${line}`);
  const scratch = mkdtempSync(path.join(tmpdir(), 'docs-contract-bench-'));
  // Ctrl-C mid-run: the caches and outputs do not stay behind.
  const interrupted = () => {
    rmSync(scratch, { recursive: true, force: true });
    process.exit(130);
  };
  process.once('SIGINT', interrupted);
  const reasons = new Map<Group, string>();
  try {
    const selected = GROUPS.filter((g) => options.only.has(g));
    let trees: Awaited<ReturnType<typeof unpack>> = 'not unpacked';
    if (selected.some((g) => ON_CORPUS.has(g))) {
      log(`the corpus: ${options.archive}`);
      trees = await unpack(options.archive, tmpdir());
      if (typeof trees === 'string') log(`corpus figures skipped: ${trees}`);
    }
    const docs = { trees, scratch };
    const make: Record<GroupName, () => Group> = {
      mock: () => mockGroup(),
      test: () => suiteGroup(scratch),
      validate: () => validateGroup(docs),
      generate: () => generateGroup(docs),
      corpus: () => corpusGroup(docs),
    };
    const groups = selected.map((name) => make[name]());
    const last = new Map<Group, number>();
    for (let round = 1; round <= options.runs; round++) {
      for (const group of groups) {
        if (reasons.has(group)) continue;
        const estimate = last.get(group) ?? 0;
        if (round > 1 && elapsed() + estimate > options.budgetMs) continue;
        const t0 = performance.now();
        const reason = await group.sample((line) => log(`${group.name} ${round}/${options.runs}: ${line}`));
        last.set(group, performance.now() - t0);
        if (reason !== null) reasons.set(group, reason);
      }
    }
    const figures = groups.flatMap((g) => g.figures(reasons.get(g) ?? null));
    return { figures, machine: machine(), load: { start: loadStart, end: loadavg().map((l) => round(l)) }, seconds: round(elapsed() / 1000) };
  } finally {
    process.removeListener('SIGINT', interrupted);
    log('removing the temporary folder');
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The machine the figures were taken on. */
function machine(): BenchReport['machine'] {
  let cpu = 'unknown CPU';
  try {
    cpu = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? cpu;
  } catch {
    // not Linux
  }
  return { cores: availableParallelism(), cpu, node: process.version };
}

/** The lines printed under the table: the machine, the load, the whole run's time. */
export function footer(report: BenchReport): string[] {
  return [
    `Machine: ${report.machine.cores} cores, ${report.machine.cpu}, Node ${report.machine.node}.`,
    `Load average (1, 5, 15 min): ${report.load.start.join(', ')} at the start; ${report.load.end.join(', ')} at the end. Figures taken on a busy machine are noisy.`,
    `Each figure: the median of its runs (n), with the smallest and largest; ratio = ours / peer of the medians. Whole run: ${report.seconds} s.`,
    'Each command is a child process timed from spawn to exit; `npm run X` stands for what npm runs (`node scripts/docs-contract.js X`), without npm\'s own start-up, as remark-cli runs without npx. Peak memory: max RSS of that process (getrusage, reported by the process itself at exit).',
  ];
}
