/**
 * The `docs-contract` executable: one subcommand per job (`test`, `validate`, `generate`,
 * `drift`, `mock`, `export`), each with `--help`, and the flags the repository's config file
 * holds put before the command line's. The npm scripts of this repository call it too.
 */
import { BUILD_FLAGS, main } from '../lib/cli.ts';
import { UsageError } from '../lib/util.ts';
import { OUR_FLAGS } from '../suite/args.ts';
import { configArgs, CONFIG_FILE, readConfig, type Options } from './config.ts';
import * as drift from './drift.ts';
import * as exportCommand from './export.ts';
import * as generate from './generate.ts';
import * as mock from './mock.ts';
import * as suite from './test.ts';
import * as validate from './validate.ts';

/** One subcommand. */
interface Command {
  summary: string;
  usage: string;
  options: Options;
  run(args: string[]): Promise<number> | number;
}

/** Every subcommand, in the order `--help` lists them. */
export const COMMANDS: ReadonlyMap<string, Command> = new Map<string, Command>([
  ['test', { summary: 'the contract suite against a server (--base-url) or the embedded mock', usage: suite.USAGE, options: OUR_FLAGS, run: (args) => suite.run(args) }],
  ['validate', { summary: 'per-locale and cross-locale docs checks (text, json, github or sarif)', usage: validate.USAGE, options: validate.OPTIONS, run: (args) => validate.run(args) }],
  ['generate', { summary: 'docs → schemas/ and tests/fixtures/cases.json, deterministic', usage: generate.USAGE, options: BUILD_FLAGS, run: (args) => generate.run(args) }],
  ['drift', { summary: 'whether the generated files still match the docs', usage: drift.USAGE, options: drift.OPTIONS, run: (args) => drift.run(args) }],
  ['mock', { summary: 'the embedded GitHub-like OAuth server, until Ctrl+C', usage: mock.USAGE, options: mock.OPTIONS, run: (args) => mock.run(args) }],
  ['export', { summary: 'the contract as one OpenAPI 3.1 document (JSON), each documented error a named example', usage: exportCommand.USAGE, options: exportCommand.OPTIONS, run: (args) => exportCommand.run(args) }],
]);

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
