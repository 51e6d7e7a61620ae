/**
 * The flags a repository always passes, kept in `docs-contract.config.json` or under the
 * `"docs-contract"` key of its package.json, in the folder the command runs from. Top-level
 * flags go to every command that takes them; a command's own section (`"validate": {…}`) to that
 * command. A flag on the command line wins over the same flag in the file.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isRecord, UsageError } from '../lib/util.ts';

/** The config file's name. */
export const CONFIG_FILE = 'docs-contract.config.json';

/** A flag's value as the file gives it. */
type Value = string | boolean | string[];

/** What a command's flags look like to parseArgs. */
export type Options = Readonly<Record<string, { readonly type: 'string' | 'boolean'; readonly multiple?: boolean }>>;

/** A config read from a file. */
export interface Config {
  /** The file, for messages: `docs-contract.config.json` or `package.json#docs-contract`. */
  source: string;
  shared: Record<string, Value>;
  commands: Record<string, Record<string, Value>>;
}

/** Flags whose values are paths: relative ones are read from the config's folder. */
const PATH_FLAGS = new Set(['docs', 'recipes', 'out', 'cache', 'cases', 'baseline']);

/** Reads the config of the repository at `dir`; null when it has none. A malformed one is a usage error naming it. */
export function readConfig(dir: string, commands: ReadonlyMap<string, Options>): Config | null {
  const own = readJson(path.join(dir, CONFIG_FILE));
  let source = CONFIG_FILE;
  let value: unknown = own;
  if (own === undefined) {
    const pkg = readJson(path.join(dir, 'package.json'));
    if (!isRecord(pkg) || pkg['docs-contract'] === undefined) return null;
    source = 'package.json#docs-contract';
    value = pkg['docs-contract'];
  }
  const fail = (what: string): never => {
    throw new UsageError(`${source}: ${what}`);
  };
  if (!isRecord(value)) return fail('must be an object of flags, e.g. {"docs": "content", "validate": {"strict": true}}');
  const every = new Map<string, Options[string]>();
  for (const options of commands.values()) for (const [name, option] of Object.entries(options)) every.set(name, option);
  const config: Config = { source, shared: {}, commands: {} };
  for (const [key, item] of Object.entries(value)) {
    const options = commands.get(key);
    if (options) {
      if (!isRecord(item)) fail(`\`${key}\` must be an object of the flags of \`docs-contract ${key}\``);
      const section: Record<string, Value> = {};
      for (const [name, flag] of Object.entries(item as Record<string, unknown>)) section[name] = checked(`${key}.${name}`, options[name], flag, dir, fail);
      config.commands[key] = section;
    } else {
      config.shared[key] = checked(key, every.get(key), item, dir, fail);
    }
  }
  return config;
}

/** The arguments `command` gets from the config: its section and the shared flags it takes, less those `given` on the command line. */
export function configArgs(config: Config | null, command: string, options: Options, given: readonly string[]): string[] {
  if (!config) return [];
  const onCommandLine = new Set<string>();
  for (const arg of given) {
    if (arg === '--') break;
    const name = /^--([^=]+)/.exec(arg)?.[1];
    if (name === undefined) continue;
    onCommandLine.add(name);
    // `--no-baseline` on the command line overrides a configured `baseline`, and the other way round.
    onCommandLine.add(name.startsWith('no-') ? name.slice(3) : `no-${name}`);
  }
  const merged = { ...Object.fromEntries(Object.entries(config.shared).filter(([name]) => name in options)), ...config.commands[command] };
  const args: string[] = [];
  for (const [name, value] of Object.entries(merged)) {
    if (onCommandLine.has(name)) continue;
    if (value === true) args.push(`--${name}`);
    else if (typeof value === 'string') args.push(`--${name}=${value}`);
    else if (Array.isArray(value)) for (const v of value) args.push(`--${name}=${v}`);
  }
  return args;
}

/** A flag's value, checked against the flag's type; relative paths resolved against the config's folder. */
function checked(at: string, option: Options[string] | undefined, value: unknown, dir: string, fail: (what: string) => never): Value {
  const name = at.split('.').pop() ?? at;
  if (name === 'client-secret') fail(`\`${at}\`: a secret does not belong in a file others read; set OAUTH_CLIENT_SECRET in the environment instead`);
  if (!option) fail(`\`${at}\` is not a flag ${at.includes('.') ? `of \`docs-contract ${at.split('.')[0] ?? ''}\`` : 'of any command'}; \`docs-contract <command> --help\` lists them`);
  const resolve = (v: string) => (PATH_FLAGS.has(name) ? path.resolve(dir, v) : v);
  if (option?.type === 'boolean' && typeof value === 'boolean') return value;
  if (option?.type === 'string' && typeof value === 'string') return resolve(value);
  if (option?.type === 'string' && option.multiple && Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.map(resolve);
  const want = option?.type === 'boolean' ? 'true or false' : option?.multiple ? 'a string or a list of strings' : 'a string';
  return fail(`\`${at}\` must be ${want}, not ${JSON.stringify(value)}`);
}

/** A JSON file's value; undefined when the file does not exist. */
function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new UsageError(`cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UsageError(`${path.basename(file)} is not valid JSON (${(error as Error).message}); fix it or remove it`);
  }
}
