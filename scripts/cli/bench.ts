/** `npm run bench`: our commands measured against the tools a user would compare them with, as ratios. */
import { formatTable } from '../bench/figures.ts';
import { DEFAULT_ARCHIVE } from '../bench/corpus.ts';
import { footer, GROUPS, runBench, type BenchOptions, type GroupName } from '../bench/run.ts';
import { flags, main } from '../lib/cli.ts';
import { UsageError } from '../lib/util.ts';

const USAGE = `npm run bench -- [--json] [--runs=N] [--only=${GROUPS.join(',')}] [--corpus=FILE.tar.xz]`;

/** Runs at the default: as many as fit in the budget, up to this many. */
export const DEFAULT_RUNS = 3;

/** The default run's budget: the first sample of every group, then repeats while they end within it (5 minutes in all, with unpacking and clean-up). */
export const BUDGET_MS = 270_000;

/** Where a run writes: the report on `out`, progress on `err`. */
export interface Output {
  out: (text: string) => void;
  err: (text: string) => void;
}

const console_: Output = { out: (t) => process.stdout.write(`${t}\n`), err: (t) => process.stderr.write(`${t}\n`) };

/** The options the flags ask for; bad values are usage errors; null for `--help`. */
export function optionsOf(args: string[], log: (line: string) => void): (BenchOptions & { json: boolean }) | null {
  const values = flags(
    args,
    {
      json: { type: 'boolean', default: false },
      runs: { type: 'string' },
      only: { type: 'string', default: GROUPS.join(',') },
      corpus: { type: 'string', default: DEFAULT_ARCHIVE },
      help: { type: 'boolean', default: false },
    },
    USAGE,
  );
  if (values.help) return null;
  let runs = DEFAULT_RUNS;
  if (values.runs !== undefined) {
    runs = Number(values.runs);
    if (!/^\d+$/.test(values.runs) || runs < 1 || runs > 50) throw new UsageError(`--runs must be a whole number from 1 to 50, not \`${values.runs}\`\nusage: ${USAGE}`);
  }
  const only = new Set<GroupName>();
  for (const name of values.only.split(',').map((s) => s.trim())) {
    if (!(GROUPS as readonly string[]).includes(name)) throw new UsageError(`--only takes ${GROUPS.join(', ')}, not \`${name}\`\nusage: ${USAGE}`);
    only.add(name as GroupName);
  }
  // An explicit --runs is honoured whatever it takes; the default fits the budget.
  return { json: values.json, runs, budgetMs: values.runs === undefined ? BUDGET_MS : Infinity, only, archive: values.corpus, log };
}

/** Runs the benchmark; exit 0 (a target not met is a figure, not a failure). Usage errors throw. */
export async function run(args: string[], io: Output = console_): Promise<number> {
  const options = optionsOf(args, io.err);
  if (options === null) {
    io.out(`usage: ${USAGE}\n${HELP}`);
    return 0;
  }
  const report = await runBench(options);
  io.out(options.json ? JSON.stringify(report, null, 2) : formatTable(report.figures, footer(report)));
  return 0;
}

const HELP = `Measures, in one run of about 5 minutes, and prints as a table (or JSON with --json):
  mock      the mock's requests per second against a bare node:http server (autocannon)
  test      npm test against the embedded mock against a bare Playwright run of as many tests
  validate  validate on the corpus's English pages against remark + remark-validate-links
            (time, peak memory), and a warm run (one page changed) against that cold one
  generate  generate warm (one page changed) against cold, on the English pages
  corpus    validate on every locale against a plain remark parse of the same pages; its memory
--runs=N    measure each figure N times (default: up to ${DEFAULT_RUNS}, as many as fit in the time)
--corpus    the github/docs corpus archive (default ${DEFAULT_ARCHIVE})`;

if (import.meta.url === `file://${process.argv[1]}`) await main('bench', run);
