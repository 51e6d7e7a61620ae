/**
 * `npm test` arguments: our target flags, and everything else, which goes to
 * `playwright test` untouched and in order.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT, UsageError } from '../lib/util.ts';

/** The flags `npm test` itself understands; every other argument belongs to Playwright. */
export const OUR_FLAGS = {
  'base-url': { type: 'string' },
  'client-id': { type: 'string' },
  'client-secret': { type: 'string' },
  'client-secret-file': { type: 'string' },
  'callback-url': { type: 'string' },
  'suspended-client-id': { type: 'string' },
  'device-flow-disabled-client-id': { type: 'string' },
  'docs-origin': { type: 'string' },
  'request-timeout': { type: 'string' },
  docs: { type: 'string' },
  recipes: { type: 'string' },
  locale: { type: 'string', multiple: true },
  strict: { type: 'boolean' },
} as const;

/** One of OUR_FLAGS that takes one value. */
export type OurFlag = Exclude<keyof typeof OUR_FLAGS, 'strict' | 'locale'>;

/**
 * The flags of `playwright test` (version 1.65), as its `--help` lists them: `<x>` takes a value,
 * `[x]` may. An argument that is neither ours nor one of these is a usage error here, rather
 * than Playwright's exit 1, which reads as failed tests.
 */
export const PLAYWRIGHT_FLAGS: readonly string[] = [
  '--add-reporter <reporter>', '--browser <browser>', '-c, --config <file>', '--debug [mode]', '--fail-on-flaky-tests', '--forbid-only', '--fully-parallel',
  '--global-timeout <timeout>', '-g, --grep <grep>', '-G, --grep-invert <grep>', '--headed', '-h, --help', '--ignore-snapshots', '--last-failed',
  '--last-failed-file <file>', '--list', '--max-failures <N>', '--no-deps', '--output <dir>', '--only-changed [ref]', '--pass-with-no-tests',
  '--project <project-name...>', '--quiet', '--repeat-each <N>', '--reporter <reporter>', '--retries <retries>', '--run-agents <mode>', '--shard <shard>',
  '--test-list <file>', '--test-list-invert <file>', '--shuffle [seed]', '--timeout <timeout>', '--trace <mode>', '--tsconfig <path>', '--ui', '--ui-host <host>',
  '--ui-port <port>', '-u, --update-snapshots [mode]', '--update-source-method <method>', '-j, --workers <workers>', '-x',
];

/** Playwright's flags by name (`grep`, `g`), and whether each takes a value. */
const PLAYWRIGHT_TAKES_VALUE: ReadonlyMap<string, boolean> = new Map(
  PLAYWRIGHT_FLAGS.flatMap((spec) => {
    const takesValue = / </.test(spec);
    return [...spec.matchAll(/--?([\w-]+)/g)].map((m) => [m[1] ?? '', takesValue] as const);
  }),
);

/** Our flags' values, `--strict`, and the arguments left for Playwright. */
export interface SplitArgs {
  ours: Partial<Record<OurFlag, string>>;
  /** A run that tests no server response fails (see the summary reporter). */
  strict: boolean;
  /** `--locale` values, in order: only these docs locales' tests run; empty: every locale's. */
  locales: string[];
  rest: string[];
}

/**
 * Splits `args` into our flags and the rest. Parsing is non-strict so Playwright's flags
 * (`--grep x`, `-g x`, `--shard=1/3`) pass through as written; everything
 * after `--` passes through too. A flag that is neither ours nor Playwright's is a usage error.
 */
export function splitArgs(args: readonly string[]): SplitArgs {
  const { tokens } = parseArgs({ args: [...args], options: { ...OUR_FLAGS, project: { type: 'string', multiple: true } }, strict: false, allowPositionals: true, tokens: true });
  const ours: Partial<Record<OurFlag, string>> = {};
  let strict = false;
  const locales: string[] = [];
  const taken = new Set<number>();
  /** The index of an argument that is (or ends with) the value of a Playwright flag. */
  let valueAt = -1;
  for (const token of tokens) {
    if (token.kind === 'option-terminator') break;
    if (token.kind !== 'option' || token.index === valueAt) continue;
    if (token.name === 'strict') {
      if (token.value !== undefined) throw new UsageError(`--strict takes no value, not \`${token.rawName}=${token.value}\``);
      strict = true;
      taken.add(token.index);
      continue;
    }
    if (token.name === 'project' && token.value === 'cross-locale') {
      throw new UsageError('the suite is one Playwright project now: the cross-locale test runs with any choice of locales; to run it alone, pass `--grep "docs parity"`');
    }
    if (!Object.hasOwn(OUR_FLAGS, token.name) && token.name !== 'project') {
      const takesValue = PLAYWRIGHT_TAKES_VALUE.get(token.name);
      if (takesValue === undefined) throw new UsageError(`unknown flag \`${token.rawName}\`: neither one of npm test's nor of \`playwright test\` (see \`npm test -- --help\`)`);
      // The value follows as the next argument (`-j 2`, `--grep x`), or is the rest of a short flag's argument (`-j2`).
      if (takesValue && !token.inlineValue) valueAt = args[token.index] === token.rawName ? token.index + 1 : token.index;
      continue;
    }
    // The suite used to have one Playwright project per locale: `--project=fr-FR` still means `--locale=fr-FR`.
    const name = token.name === 'project' ? 'locale' : token.name as OurFlag | 'locale';
    if (token.value === undefined || token.value === '' || (token.inlineValue === false && token.value.startsWith('-'))) {
      throw new UsageError(`${token.rawName} needs a value, e.g. \`${token.rawName}=…\``);
    }
    if (name === 'locale') locales.push(token.value);
    else ours[name] = token.value;
    taken.add(token.index);
    if (!token.inlineValue) taken.add(token.index + 1);
  }
  return { ours, strict, locales, rest: args.filter((_, index) => !taken.has(index)) };
}

/** The summary reporter (scripts/suite/summary-reporter.ts), absolute: Playwright runs in the user's folder, not the package's. */
export const SUMMARY_REPORTER = path.join(ROOT, 'scripts/suite/summary-reporter.ts');

/**
 * Playwright's arguments with the summary reporter added on top of whichever reporters run: the
 * configuration's, or those of a `--reporter` flag, which replaces the configuration's. A
 * user's own `--add-reporter` keeps its reporters, ours joined to them.
 */
export function withSummaryReporter(rest: readonly string[]): string[] {
  const end = rest.includes('--') ? rest.indexOf('--') : rest.length;
  const head = rest.slice(0, end);
  const at = head.findIndex((a) => a === '--add-reporter' || a.startsWith('--add-reporter='));
  if (at < 0) return [...head, `--add-reporter=${SUMMARY_REPORTER}`, ...rest.slice(end)];
  const inline = head[at]?.startsWith('--add-reporter=') ?? false;
  const theirs = inline ? (head[at] ?? '').slice('--add-reporter='.length) : (head[at + 1] ?? '');
  const out = [...head];
  out.splice(at, inline ? 1 : 2, `--add-reporter=${theirs},${SUMMARY_REPORTER}`);
  return [...out, ...rest.slice(end)];
}

/** Our GitHub reporter (scripts/suite/github-reporter.ts), whose annotations point at the docs; absolute, as SUMMARY_REPORTER. */
export const GITHUB_REPORTER = path.join(ROOT, 'scripts/suite/github-reporter.ts');

/**
 * Playwright's arguments with our GitHub reporter in place of Playwright's `github` wherever a
 * `--reporter` or `--add-reporter` names it: Playwright's annotates our spec files, ours the doc lines.
 */
export function withDocsGithubReporter(rest: readonly string[]): string[] {
  const end = rest.includes('--') ? rest.indexOf('--') : rest.length;
  const swap = (list: string) => list.split(',').map((r) => (r === 'github' ? GITHUB_REPORTER : r)).join(',');
  const out = rest.slice(0, end).map((arg, i, all) => {
    const inline = /^(--(?:add-)?reporter=)(.*)$/.exec(arg);
    if (inline) return `${inline[1] ?? ''}${swap(inline[2] ?? '')}`;
    const before = all[i - 1];
    return before === '--reporter' || before === '--add-reporter' ? swap(arg) : arg;
  });
  return [...out, ...rest.slice(end)];
}
