/** `--format=sarif` of validate and drift: the log of their diagnostics, with paths relative to the working directory. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from '../lib/diagnostics.ts';
import { toSarif } from '../lib/sarif.ts';
import { ROOT } from '../lib/util.ts';

/** The package's version, which the log names. */
function version(): string {
  return (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

/**
 * The SARIF text of `list` from `command`. Each diagnostic's file is relative to `base` (the
 * docs root, or the folder of the generated files); the log's paths are relative to the working
 * directory, the repository root code scanning resolves them against.
 */
export function sarifText(list: readonly Diagnostic[], command: string, base: (d: string) => string): string {
  const lines = new Map<string, string[] | null>();
  const lineText = (file: string, line: number): string | null => {
    const abs = base(file);
    if (!lines.has(abs)) {
      try {
        lines.set(abs, readFileSync(abs, 'utf8').split(/\r?\n/));
      } catch {
        lines.set(abs, null);
      }
    }
    return lines.get(abs)?.[line - 1] ?? null;
  };
  const uri = (file: string) => path.relative(process.cwd(), base(file)).split(path.sep).join('/');
  return `${JSON.stringify(toSarif(list, { version: version(), command, uri, lineText }), null, 2)}\n`;
}
