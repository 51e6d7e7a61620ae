/**
 * What stops generate on a real docs tree, and what it leaves out instead. A general docs tree
 * always has problems somewhere; only those that touch the documented responses matter to the
 * contract. Pure: it takes the contract and the diagnostics of the pipeline.
 */
import type { Contract } from './contract.ts';
import type { Diagnostic } from './diagnostics.ts';
import type { PageModel } from './model.ts';
import { ERROR_MEMBER } from './model.ts';
import type { RuleId } from './rules.ts';

/** Rules by which an error example contradicts itself: its response is left out of the contract. */
export const UNSOUND_EXAMPLE_RULES: ReadonlySet<RuleId> = new Set<RuleId>(['error-example-fields', 'duplicate-response', 'response-disagrees']);

/**
 * Rules that are reported but never stop generate: the response is built as documented, and the
 * suite's anchor verdict of each test says the anchor is wrong (a docs defect the server cannot fix).
 */
export const ANCHOR_RULES: ReadonlySet<RuleId> = new Set<RuleId>(['missing-anchor', 'anchor-wrong-section']);

/** The contract generate builds from, and the errors that stop it from writing. */
export interface Gated {
  /** The contract without the responses one of whose examples contradicts itself. */
  contract: Contract;
  /** Errors that stop generate: of the recipes, or on a page that documents responses, except those that left a response out. */
  blocking: Diagnostic[];
  /** The responses left out, as `page#error`. */
  leftOut: string[];
}

/**
 * Sorts the errors of a run. An error on a page none of whose locales holds an error example (a
 * ```json block with an `"error":` member, parsed or not) never blocks; an error example that
 * contradicts itself leaves its response out (reported, not blocking); any other error of a page
 * that documents responses blocks, as does an error of the recipes (the suite's own configuration).
 * An anchor error never blocks (ANCHOR_RULES).
 */
export function gate(contract: Contract, diagnostics: readonly Diagnostic[], models: readonly Pick<PageModel, 'file' | 'page' | 'jsonBlocks'>[]): Gated {
  const examples = new Map<string, string>();
  for (const response of contract.responses) {
    for (const p of response.provenance) examples.set(`${p.file}:${p.line}`, `${response.page}#${response.error}`);
  }
  // A page documents responses when any locale of it holds an error example, sound or not.
  const documenting = new Set(models.filter((m) => m.jsonBlocks.some((b) => ERROR_MEMBER.test(b.raw))).map((m) => m.page));
  const withResponses = new Set(models.filter((m) => documenting.has(m.page)).map((m) => m.file));
  const unsound = new Set<string>();
  const blocking: Diagnostic[] = [];
  for (const d of diagnostics) {
    if (d.severity !== 'error' || ANCHOR_RULES.has(d.rule)) continue;
    if (d.rule.startsWith('recipe-')) {
      blocking.push(d);
      continue;
    }
    const example = examples.get(`${d.file}:${d.line}`);
    if (example !== undefined && UNSOUND_EXAMPLE_RULES.has(d.rule)) unsound.add(example);
    else if (withResponses.has(d.file)) blocking.push(d);
  }
  const responses = contract.responses.filter((r) => !unsound.has(`${r.page}#${r.error}`));
  return { contract: { ...contract, responses }, blocking, leftOut: [...unsound].sort() };
}
