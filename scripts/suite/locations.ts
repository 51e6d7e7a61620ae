/**
 * Where the suite finds the contract it runs and the docs it checks. The repository's own
 * (`schemas/`, `tests/fixtures/cases.json`, `docs/`, `tests/docs-baseline.yaml`) unless the
 * environment names others: `docs-contract test --docs=…` generates the contract of other docs
 * into a temporary folder and points the suite at it through these variables, which Playwright's
 * workers inherit.
 */
import path from 'node:path';
import { BASELINE_FILE, CASES_FILE, DOCS_DIR, ROOT } from '../lib/util.ts';

/** The environment variables naming the locations; each is an absolute path when set. */
export const LOCATION_ENV = {
  /** A folder laid out as `generate --out` writes it: `schemas/` and `tests/fixtures/cases.json`. */
  generated: 'DOCS_CONTRACT_GENERATED',
  /** The docs folder the suite validates. */
  docs: 'DOCS_CONTRACT_DOCS',
  /** The repository the baseline (`tests/docs-baseline.yaml`) and its `docs:` are relative to. */
  root: 'DOCS_CONTRACT_ROOT',
} as const;

/** The files and folders one suite run reads, all absolute. */
export interface Locations {
  cases: string;
  schemas: string;
  docs: string;
  baseline: string;
  /** What the baseline's `docs:` is resolved against. */
  root: string;
}

/** The locations the environment names, defaulting to the repository at `root`. */
export function locationsFromEnv(env: NodeJS.ProcessEnv, root = ROOT): Locations {
  const get = (name: string) => (env[name] ? path.resolve(env[name]) : null);
  const base = get(LOCATION_ENV.root) ?? root;
  const generated = get(LOCATION_ENV.generated) ?? root;
  return {
    cases: path.join(generated, CASES_FILE),
    schemas: path.join(generated, 'schemas'),
    docs: get(LOCATION_ENV.docs) ?? path.join(base, DOCS_DIR),
    baseline: path.join(base, BASELINE_FILE),
    root: base,
  };
}
