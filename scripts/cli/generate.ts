/** `npm run generate`: docs → schemas/ and tests/fixtures/, deterministic. */
import path from 'node:path';
import { blockingBuildErrors } from '../lib/baseline.ts';
import { flags, shownFrom } from '../lib/cli.ts';
import { parsePage } from '../lib/parse.ts';
import { loadAndBuild } from '../lib/pipeline.ts';
import { formatText, summarize } from '../lib/diagnostics.ts';
import { writeOutputs } from '../lib/write.ts';
import { COMMAND_LINES } from './commands.ts';

/** How the command is called. */
export const { usage: USAGE, options: OPTIONS } = COMMAND_LINES.generate;

/**
 * Runs generate; returns the exit code: 0 written (problems that do not touch a documented
 * response are reported, not blocking), 1 errors on a page that documents responses or in the
 * recipes: nothing written.
 */
export function run(args: string[], out: (line: string) => void = console.log, err: (line: string) => void = console.error): number {
  const values = flags(args, OPTIONS, USAGE);
  const { loaded, build } = loadAndBuild('generate', values, err, parsePage);
  // Docs findings name files under the docs folder, recipe findings the recipes file: both printed from here.
  // --quiet: errors only (the summary line still counts every finding).
  const shown = values.quiet ? build.diagnostics.filter((d) => d.severity === 'error') : build.diagnostics;
  if (shown.length > 0) out(formatText(shown, shownFrom(values.docs, [path.relative(process.cwd(), values.recipes)])));
  for (const response of build.leftOut) out(`left out ${response}: its example contradicts itself (see above)`);
  // Errors of pages that document no response, and of examples left out, do not block (see gate.ts).
  const blocking = blockingBuildErrors(values, build.blocking).length;
  const accepted = build.blocking.length - blocking;
  if (accepted > 0) out(`generate: ${accepted} error${accepted === 1 ? ' above is' : 's above are'} accepted by ${values.baseline}, so the rest of the contract is built.`);
  if (blocking > 0) {
    out(`generate: ${summarize(build.diagnostics)}; nothing written: ${blocking} of the errors are on pages that document responses or in the recipes. Fix those and run \`npm run generate\` again.`);
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
