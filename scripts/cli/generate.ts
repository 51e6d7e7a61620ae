/** `npm run generate`: docs → schemas/ and tests/fixtures/, deterministic. */
import path from 'node:path';
import { applyBaseline, parseBaseline } from '../lib/baseline.ts';
import { BUILD_FLAGS, flags, loadAndBuild, main } from '../lib/cli.ts';
import { formatText, summarize, type Diagnostic } from '../lib/diagnostics.ts';
import { BASELINE_FILE } from '../lib/util.ts';
import { readOrNull, writeOutputs } from '../lib/write.ts';

const USAGE = 'npm run generate -- [--docs=DIR] [--recipes=FILE] [--out=DIR] [--cache=DIR | --no-cache] [--no-baseline]';

/**
 * Runs generate; returns the exit code: 0 written (problems that do not touch a documented
 * response are reported, not blocking), 1 errors on a page that documents responses or in the
 * recipes: nothing written.
 */
export function run(args: string[], out: (line: string) => void = console.log, err: (line: string) => void = console.error): number {
  const values = flags(args, { ...BUILD_FLAGS, 'no-baseline': { type: 'boolean', default: false } }, USAGE);
  const { loaded, build } = loadAndBuild('generate', values, err);
  // The validate baseline's accepted findings are accepted here too, when it is for these docs.
  const text = values['no-baseline'] ? null : readOrNull(BASELINE_FILE);
  const baseline = text === null ? null : parseBaseline(text, BASELINE_FILE);
  const applies = baseline !== null && path.resolve(baseline.docs) === path.resolve(values.docs);
  const accepted = new Set<Diagnostic>(applies ? applyBaseline(build.diagnostics, baseline).accepted.map((a) => a.finding) : []);
  const shown = build.diagnostics.filter((d) => !accepted.has(d));
  const blocking = build.blocking.filter((d) => !accepted.has(d));
  const acceptedNote = accepted.size > 0 ? `; ${accepted.size} accepted by ${BASELINE_FILE}` : '';
  if (shown.length > 0) out(formatText(shown));
  for (const response of build.leftOut) out(`left out ${response}: its example contradicts itself (see above)`);
  if (blocking.length > 0) {
    out(`generate: ${summarize(shown)}${acceptedNote}; nothing written: ${blocking.length} of the errors are on pages that document responses or in the recipes. Fix those and run \`npm run generate\` again.`);
    return 1;
  }
  const result = writeOutputs(values.out, build.files);
  for (const file of result.written) out(`wrote ${file}`);
  for (const file of result.removed) out(`removed ${file}`);
  for (const file of result.leftAlone) out(`left ${file}: not a generated file (it has no generated-file marker), so generate neither rewrites nor removes it`);
  const count = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const { tree, contract } = loaded;
  out(
    `generate: ${count(build.cases.length, 'case')} from ${count(tree.files.length, 'file')} (${contract.locales.join(', ')}); ${result.written.length} written, ${result.removed.length} removed, ${result.unchanged} unchanged; ${summarize(shown)}${acceptedNote}.`,
  );
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) await main('generate', run);
