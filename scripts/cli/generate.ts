/** `npm run generate`: docs → schemas/ and tests/fixtures/, deterministic. */
import { BUILD_FLAGS, blockingBuildErrors, flags, loadAndBuild } from '../lib/cli.ts';
import { formatText, summarize } from '../lib/diagnostics.ts';
import { writeOutputs } from '../lib/write.ts';

/** How the command is called. */
export const USAGE = 'docs-contract generate [--docs=DIR] [--recipes=FILE] [--out=DIR] [--cache=DIR | --no-cache] [--baseline=FILE]';

/** Runs generate; returns the exit code (0 written, 1 the docs or recipes have errors: nothing written). */
export function run(args: string[], out: (line: string) => void = console.log, err: (line: string) => void = console.error): number {
  const values = flags(args, BUILD_FLAGS, USAGE);
  const { loaded, build } = loadAndBuild('generate', values, err);
  if (build.diagnostics.length > 0) out(formatText(build.diagnostics));
  const blocking = blockingBuildErrors(values, build.diagnostics).length;
  const accepted = build.diagnostics.filter((d) => d.severity === 'error').length - blocking;
  if (accepted > 0) out(`generate: ${accepted} error${accepted === 1 ? ' above is' : 's above are'} accepted by ${values.baseline}, so the rest of the contract is built.`);
  if (blocking > 0) {
    out(`generate: ${summarize(build.diagnostics)}; nothing written. Fix the errors above and run \`npm run generate\` again.`);
    return 1;
  }
  const result = writeOutputs(values.out, build.files);
  for (const file of result.written) out(`wrote ${file}`);
  for (const file of result.removed) out(`removed ${file}`);
  for (const file of result.leftAlone) out(`left ${file}: not a generated file (it has no generated-file marker), so generate neither rewrites nor removes it`);
  const count = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const { tree, contract } = loaded;
  out(
    `generate: ${count(build.cases.length, 'case')} from ${count(tree.files.length, 'file')} (${contract.locales.join(', ')}); ${result.written.length} written, ${result.removed.length} removed, ${result.unchanged} unchanged; ${summarize(build.diagnostics)}.`,
  );
  return 0;
}
