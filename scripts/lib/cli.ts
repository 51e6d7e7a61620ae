/**
 * What every command shares: flag parsing with node:util parseArgs, and the one place
 * that turns a run's outcome into an exit code (0 clean, 1 findings, 2 usage error or crash).
 */
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { escapeControl } from './diagnostics.ts';
import { UsageError } from './util.ts';

/** Parses flags; an unknown or malformed flag is a usage error naming the command's usage line. */
export function flags<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T, usage: string) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError(`${(error as Error).message.replace(/\. To specify a positional argument.*$/, '')}\nusage: ${usage}`);
  }
}

/** Runs a command's `run()` on `args` and sets the exit code. `run` resolves to 0 or 1. */
export async function main(name: string, run: (args: string[]) => Promise<number> | number, args: string[] = process.argv.slice(2)): Promise<void> {
  // A reader that stops early (`| head`) closes the pipe; the rest of the output has nowhere to go,
  // which is no reason for a stack trace. Exit quietly with the code the run had.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
    });
  }
  try {
    process.exitCode = await run(args);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${name}: ${error.message.split('\n').map(escapeControl).join('\n')}\n`);
    } else {
      process.stderr.write(`${name}: internal error, this is a bug in docs-contract; please report it with the command you ran.\n${(error as Error)?.stack ?? String(error)}\n`);
    }
    process.exitCode = 2;
  }
}

/**
 * The path text output prints for a diagnostic's file: from the folder the command was run in,
 * so that it opens from there whatever `--docs` was. Files in `fromCwd` (the recipes file, the
 * baseline) are already named from there; any other is relative to the docs folder `docs`.
 */
export function shownFrom(docs: string, fromCwd: readonly string[] = []): (file: string) => string {
  return (file) => (fromCwd.includes(file) ? file : path.relative(process.cwd(), path.resolve(docs, file)).split(path.sep).join('/'));
}
