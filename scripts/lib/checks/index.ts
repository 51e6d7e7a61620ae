/**
 * Every docs check over a loaded docs tree: the pipeline's own diagnostics (read, parse,
 * contract) followed by the check modules over its page models and contract. Pure.
 * `npm run validate` and the suite's docs checks call it.
 */
import { sortDiagnostics } from '../diagnostics.ts';
import type { Loaded } from '../pipeline.ts';
import type { Reusable, SiteData } from '../render.ts';
import type { RuleId } from '../rules.ts';
import { checkFrontMatter } from './frontmatter.ts';
import { checkLinks, pageAt, pagesByPermalink } from './links.ts';
import { checkLiquid } from './liquid.ts';
import { checkParity } from './parity.ts';
import { checkStaleness } from './staleness.ts';
import type { Finding } from './types.ts';

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

/** The result of validating a tree: the locales, how many files, and every finding, sorted. */
export interface Validation {
  locales: string[];
  sourceLocale: string | null;
  /** Files checked, per locale. */
  files: Record<string, number>;
  findings: Finding[];
  /** Why the parse cache could not be written; null when it was, or there is none. */
  cacheProblem: string | null;
}

/** Runs every check over a loaded tree. */
export function validate(loaded: Loaded): Validation {
  const { tree, models, contract } = loaded;
  const byPermalink = pagesByPermalink(contract.pages);
  const findings: Finding[] = [
    ...loaded.diagnostics,
    ...checkFrontMatter(models),
    ...checkLiquid(models),
    ...checkLinks(models, contract, tree.site?.graphqlIds),
    ...checkParity(models, { sourceLocale: contract.sourceLocale, pageOf: (p) => pageAt(byPermalink, p)?.page, reusableTwin: reusableTwins(tree.site ?? null) }),
    ...checkStaleness(models, contract.sourceLocale),
  ];
  const files: Record<string, number> = {};
  for (const m of models) files[m.locale] = (files[m.locale] ?? 0) + 1;
  return { locales: tree.locales, sourceLocale: tree.sourceLocale, files, findings: sortDiagnostics(findings), cacheProblem: loaded.cacheProblem };
}

/** Finds a reusable's (or glossary's) copy in another locale through the site data: same dotted path (or name), that locale's own file. */
function reusableTwins(site: SiteData | null): (file: string, locale: string) => Reusable | null {
  const keyOf = new Map<string, { glossary: boolean; key: string }>();
  for (const data of site?.locales.values() ?? []) {
    for (const [key, r] of data.reusables) keyOf.set(r.file, { glossary: false, key });
    for (const [key, r] of data.glossarySources ?? []) keyOf.set(r.file, { glossary: true, key });
  }
  return (file, locale) => {
    const found = keyOf.get(file);
    const data = site?.locales.get(locale);
    if (!found || !data) return null;
    return (found.glossary ? data.glossarySources?.get(found.key) : data.reusables.get(found.key)) ?? null;
  };
}
