/**
 * The `docs-contract` executable: one subcommand per job (`test`, `validate`, `generate`,
 * `drift`, `mock`, `export`), each with `--help`, and the flags the repository's config file
 * holds put before the command line's. The npm scripts of this repository call it too.
 */
import { main } from '../lib/cli.ts';
import { UsageError } from '../lib/util.ts';
import { COMMAND_LINES } from './commands.ts';
import { configArgs, CONFIG_FILE, readConfig, type Options } from './config.ts';

/** One subcommand. */
interface Command {
  summary: string;
  usage: string;
  options: Options;
  run(args: string[]): Promise<number>;
}

/** Each subcommand's module, loaded only when that command runs. */
const MODULES: Record<keyof typeof COMMAND_LINES, () => Promise<{ run(args: string[]): Promise<number> | number }>> = {
  test: () => import('./test.ts'),
  validate: () => import('./validate.ts'),
  generate: () => import('./generate.ts'),
  drift: () => import('./drift.ts'),
  mock: () => import('./mock.ts'),
  export: () => import('./export.ts'),
};

/** Every subcommand, in the order `--help` lists them. */
export const COMMANDS: ReadonlyMap<string, Command> = new Map<string, Command>(
  Object.entries(COMMAND_LINES).map(([name, line]) => [name, { ...line, run: async (args: string[]) => (await MODULES[name as keyof typeof COMMAND_LINES]()).run(args) }]),
);

/** The text of `docs-contract --help`. */
export function overview(): string {
  const width = Math.max(...[...COMMANDS.keys()].map((name) => name.length));
  return [
    'usage: docs-contract <command> [flags]; docs-contract <command> --help for its flags',
    '',
    ...[...COMMANDS].map(([name, command]) => `  ${name.padEnd(width)}  ${command.summary}`),
    '',
    `Flags a repository always passes can live in ${CONFIG_FILE} or under "docs-contract" in package.json.`,
  ].join('\n');
}

/** Whether `args` ask for help (before any `--`, after which arguments belong to Playwright). */
function asksHelp(args: readonly string[]): boolean {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).some((a) => a === '--help' || a === '-h');
}

/** Runs `docs-contract …args` from `cwd`; resolves to the exit code (0, 1, or 2 for a usage error). */
export async function dispatch(args: string[], cwd: string = process.cwd(), out: (text: string) => void = (t) => console.log(t)): Promise<number> {
  const [name, ...rest] = args;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    out(overview());
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS.get(name);
  if (!command) throw new UsageError(`unknown command \`${name}\`\n${overview()}`);
  // `test --help` goes on to Playwright's own help after ours.
  if (asksHelp(rest) && name !== 'test') {
    out(`docs-contract ${name}: ${command.summary}\nusage: ${command.usage}`);
    return 0;
  }
  const fromConfig = configArgs(readConfig(cwd, new Map([...COMMANDS].map(([n, c]) => [n, c.options]))), name, command.options, rest);
  return command.run([...fromConfig, ...rest]);
}

/** Runs the command line of this process and sets its exit code. */
export async function cli(argv: string[] = process.argv.slice(2)): Promise<void> {
  // Messages start with the subcommand's name, as its other output lines do (`validate: 0 errors, …`).
  await main(argv[0] !== undefined && COMMANDS.has(argv[0]) ? argv[0] : 'docs-contract', (args) => dispatch(args), argv);
}
