/**
 * `npm test` arguments: our target flags, and everything else, which goes to
 * `playwright test` untouched and in order.
 */
import { parseArgs } from 'node:util';
import { UsageError } from '../lib/util.ts';

/** The flags `npm test` itself understands; every other argument belongs to Playwright. */
export const OUR_FLAGS = {
  'base-url': { type: 'string' },
  'client-id': { type: 'string' },
  'client-secret': { type: 'string' },
  'callback-url': { type: 'string' },
  'docs-origin': { type: 'string' },
  'request-timeout': { type: 'string' },
  docs: { type: 'string' },
  recipes: { type: 'string' },
} as const;

/** One of OUR_FLAGS. */
export type OurFlag = keyof typeof OUR_FLAGS;

/** Our flags' values, and the arguments left for Playwright. */
export interface SplitArgs {
  ours: Partial<Record<OurFlag, string>>;
  rest: string[];
}

/**
 * Splits `args` into our flags and the rest. Parsing is non-strict so Playwright's flags
 * (`--grep x`, `-g x`, `--shard=1/3`, `--project fr-FR`) pass through as written; everything
 * after `--` passes through too.
 */
export function splitArgs(args: readonly string[]): SplitArgs {
  const { tokens } = parseArgs({ args: [...args], options: OUR_FLAGS, strict: false, allowPositionals: true, tokens: true });
  const ours: Partial<Record<OurFlag, string>> = {};
  const taken = new Set<number>();
  for (const token of tokens) {
    if (token.kind === 'option-terminator') break;
    if (token.kind !== 'option' || !(token.name in OUR_FLAGS)) continue;
    const name = token.name as OurFlag;
    if (token.value === undefined || token.value === '' || (token.inlineValue === false && token.value.startsWith('-'))) {
      throw new UsageError(`${token.rawName} needs a value, e.g. \`${token.rawName}=…\``);
    }
    ours[name] = token.value;
    taken.add(token.index);
    if (!token.inlineValue) taken.add(token.index + 1);
  }
  return { ours, rest: args.filter((_, index) => !taken.has(index)) };
}
