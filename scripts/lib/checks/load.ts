/**
 * The read end of the docs checks for the contract suite: reads a docs tree and its baseline
 * from disk, validates the tree, and splits the findings by the baseline. The docs-health and
 * docs-parity specs call it once per worker.
 */
import path from 'node:path';
import { applyBaseline, parseBaseline, type Baseline, type BaselineEntry } from '../baseline.ts';
import { readDocsTree } from '../read.ts';
import { readOrNull } from '../write.ts';
import { validateTree } from './index.ts';
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
 * Validates the docs at `docs` and applies `baselineFile` when it exists and names that docs
 * folder (its `docs:` is resolved against `root`, the repository).
 */
export function loadDocsReport(docs: string, baselineFile: string, root: string): DocsReport {
  const validation = validateTree(readDocsTree(docs));
  const baseline = readBaselineFor(docs, baselineFile, root);
  const split = baseline ? applyBaseline(validation.findings, baseline) : { fresh: validation.findings, accepted: [], stale: [] };
  return { locales: validation.locales, ...split };
}

/**
 * The baseline in `baselineFile` when it exists and names the docs folder `docs` (its `docs:` is
 * resolved against `root`, the repository); null otherwise. A malformed file is a usage error.
 */
export function readBaselineFor(docs: string, baselineFile: string, root: string): Baseline | null {
  const text = readOrNull(baselineFile);
  const baseline = text === null ? null : parseBaseline(text, path.relative(root, baselineFile) || baselineFile);
  return baseline !== null && path.resolve(root, baseline.docs) === path.resolve(docs) ? baseline : null;
}
