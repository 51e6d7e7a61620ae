/** `npm run bench`: performance figures next to their floors and targets. */
import { formatTable } from '../bench/figures.ts';
import { GROUPS, runBench, type Group } from '../bench/run.ts';
import { flags, main, UsageError } from '../lib/cli.ts';

const USAGE = `npm run bench -- [--json] [--pages=N] [--locales=L] [--runs=K] [--only=${GROUPS.join(',')}]`;

/** Where a run writes: the report on `out`, progress on `err`. */
export interface Output {
  out: (text: string) => void;
  err: (text: string) => void;
}

const console_: Output = { out: (t) => process.stdout.write(`${t}\n`), err: (t) => process.stderr.write(`${t}\n`) };

/** Runs the benchmark; always exit 0 (a target not met is a figure, not a failure). Usage errors throw. */
export async function run(args: string[], io: Output = console_): Promise<number> {
  const values = flags(
    args,
    {
      json: { type: 'boolean', default: false },
      pages: { type: 'string', default: '2000' },
      locales: { type: 'string', default: '5' },
      runs: { type: 'string', default: '3' },
      only: { type: 'string', default: GROUPS.join(',') },
    },
    USAGE,
  );
  const count = (name: string, text: string, min: number, max: number) => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, not \`${text}\`\nusage: ${USAGE}`);
    return n;
  };
  const pages = count('pages', values.pages, 1, 100_000);
  const locales = count('locales', values.locales, 1, 26);
  const runs = count('runs', values.runs, 1, 50);
  const only = new Set<Group>();
  for (const name of values.only.split(',').map((s) => s.trim()).filter(Boolean)) {
    if (!(GROUPS as readonly string[]).includes(name)) throw new UsageError(`--only takes ${GROUPS.join(', ')}, not \`${name}\`\nusage: ${USAGE}`);
    only.add(name as Group);
  }
  const { figures, notes } = await runBench({ pages, locales, runs, only, log: io.err });
  if (values.json) {
    io.out(JSON.stringify(figures, null, 2));
    for (const note of notes) io.err(note);
  } else io.out(formatTable(figures, notes));
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) await main('bench', run);
