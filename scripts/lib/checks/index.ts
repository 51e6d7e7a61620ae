/**
 * Every docs check over one docs tree: the generator's pipeline (read, parse and contract
 * diagnostics) followed by the check modules over its page models and contract. Pure: it takes
 * the tree as read. `npm run validate`, the docs-health specs and their tests all call it.
 */
import { sortDiagnostics } from '../diagnostics.ts';
import type { PageModel } from '../model.ts';
import { runPipeline, type PipelineResult } from '../pipeline.ts';
import type { DocsTree } from '../read.ts';
import type { RuleId } from '../rules.ts';
import { checkFrontMatter } from './frontmatter.ts';
import { checkLinks } from './links.ts';
import { checkLiquid } from './liquid.ts';
import { checkParity } from './parity.ts';
import { checkStaleness } from './staleness.ts';
import { finding, type Finding } from './types.ts';

export { involves, plain, type Finding } from './types.ts';

/** Rules about how locales of a page agree; every other rule is about one file of one locale. */
export const CROSS_LOCALE_RULES: ReadonlySet<RuleId> = new Set<RuleId>([
  'response-disagrees',
  'response-missing',
  'frontmatter-disagrees',
  'sections-misaligned',
  'json-disagrees',
  'data-refs-disagree',
  'links-disagree',
  'identifier-missing',
  'translation-stale',
  'staleness-unchecked',
]);

/** The result of validating a tree: the models checked and every finding, sorted. */
export interface Validation {
  locales: string[];
  sourceLocale: string | null;
  models: PageModel[];
  findings: Finding[];
}

/**
 * Runs every check over a docs tree. Recipe diagnostics are left out: recipes belong to the
 * suite (tests/profiles.yaml), not to the docs, and `generate`/`drift` report them.
 */
export function validateTree(tree: DocsTree): Validation {
  const result = runPipeline(tree, NO_RECIPES);
  const texts = new Map(tree.files.map((f) => [f.file, f.text]));
  return { locales: tree.locales, sourceLocale: tree.sourceLocale, models: result.models, findings: runChecks(result, tree.locales, texts) };
}

const NO_RECIPES = { file: 'recipes', text: 'errors: {}\n' };

/** The pipeline's docs diagnostics plus every check module's findings, sorted. */
export function runChecks(result: PipelineResult, locales: readonly string[], texts?: ReadonlyMap<string, string>): Finding[] {
  const { models, contract } = result;
  const pipeline = result.diagnostics.filter((d) => !d.rule.startsWith('recipe-')).map((d) => withRelated(d, locales));
  const findings: Finding[] = [
    ...pipeline,
    ...checkFrontMatter(models),
    ...checkLiquid(models),
    ...checkLinks(models, contract),
    ...checkParity(models, { sourceLocale: contract.sourceLocale, ...(texts ? { texts } : {}) }),
    ...checkStaleness(models, contract.sourceLocale),
  ];
  return sortDiagnostics(findings) as Finding[];
}

/**
 * The contract's cross-locale diagnostics name the other locale as `<locale> (<file>:<line>)`;
 * record it so that `--locale` finds them from either side.
 */
function withRelated(d: Finding, locales: readonly string[]): Finding {
  if (!CROSS_LOCALE_RULES.has(d.rule)) return d;
  const named = locales.filter((l) => d.message.includes(`${l} (`));
  return finding(d, d.severity, d.rule, d.message, named);
}
