/**
 * The docs checks as the contract suite runs them: a docs tree loaded, validated and split by
 * its baseline, as `npm run validate` does. Global setup runs it once per suite run.
 */
import { applyBaseline, readBaselineFor, type BaselineEntry } from '../baseline.ts';
import { loadTreeLazily } from '../pipeline.ts';
import { readDocsTree } from '../read.ts';
import { validate } from './index.ts';
import type { Finding } from './types.ts';

/** Findings of a docs tree, split by its baseline. */
export interface DocsReport {
  locales: string[];
  /** Findings not in the baseline. */
  fresh: Finding[];
  /** Findings the baseline accepts, with its entry (and reason). */
  accepted: Array<{ finding: Finding; entry: BaselineEntry }>;
  /** Baseline entries that match nothing. */
  stale: BaselineEntry[];
}

/**
 * Validates the docs at `docs` (through the parse cache under `cache`, or none) and applies
 * `baselineFile` when it exists and names that docs folder (its `docs:` is resolved against `root`).
 */
export async function loadDocsReport(docs: string, baselineFile: string, root: string, cache: string | null): Promise<DocsReport> {
  const validation = validate(await loadTreeLazily(readDocsTree(docs), { cache }));
  const baseline = readBaselineFor(docs, baselineFile, root);
  const split = baseline ? applyBaseline(validation.findings, baseline) : { fresh: validation.findings, accepted: [], stale: [] };
  return { locales: validation.locales, ...split };
}
