/**
 * The docs report of the docs-health and docs-parity specs, computed once per run (by `npm test`
 * while Playwright starts, or else by global setup, scripts/suite/setup.ts) and handed to the
 * workers in a temporary JSON file named by DOCS_CONTRACT_DOCS_REPORT; the specs read it. The parser and the
 * checks are imported only where the report is computed: that is most of a worker's start-up
 * otherwise. When no file was handed over (a spec run some other way), a spec computes the
 * report itself. A report that cannot be computed is handed over as its problem, so the docs
 * tests fail naming it.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { DocsReport } from '../lib/checks/load.ts';
import { UsageError } from '../lib/cli.ts';

export type { DocsReport };

/** The environment variable naming the file global setup wrote the docs check to. */
export const DOCS_REPORT_ENV = 'DOCS_CONTRACT_DOCS_REPORT';

/** The docs folder the suite validates, relative to the repository. */
export const DOCS = 'docs';

/** The docs validated and split by the baseline, with what the specs need to read the findings; or why that failed. */
export type DocsCheck =
  | {
      ok: true;
      report: DocsReport;
      /** The rules of findings that compare locales (docs-parity's); the others are one locale's (docs-health's). */
      crossLocaleRules: string[];
      /** The baseline file, relative to the repository, for messages. */
      baselineFile: string;
    }
  | { ok: false; problem: string };

/** Validates `docs/` of the repository at `root` and applies its baseline, as `npm run validate` does. Never throws. */
export async function computeDocsCheck(root: string): Promise<DocsCheck> {
  try {
    const [{ loadDocsReport }, { CROSS_LOCALE_RULES }, { BASELINE_FILE }] = await Promise.all([
      import('../lib/checks/load.ts'),
      import('../lib/checks/index.ts'),
      import('../cli/validate.ts'),
    ]);
    const report = loadDocsReport(path.join(root, DOCS), path.join(root, BASELINE_FILE), root);
    return { ok: true, report, crossLocaleRules: [...CROSS_LOCALE_RULES].sort(), baselineFile: BASELINE_FILE };
  } catch (error) {
    return { ok: false, problem: `cannot validate ${DOCS}/: ${describeError(error)}` };
  }
}

/** An error in one line: a usage error's message (it says what to do), or the error's name and message. */
export function describeError(error: unknown): string {
  if (error instanceof UsageError) return error.message;
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/** Writes `text` to `file`, whole or not at all (a reader never sees half a file). */
export function writeWhole(file: string, text: string): void {
  const partial = `${file}.partial`;
  writeFileSync(partial, text);
  renameSync(partial, file);
}

/** Writes a check to `file`, whole or not at all. */
export function writeDocsCheck(file: string, check: DocsCheck): void {
  writeWhole(file, JSON.stringify(check));
}

/**
 * The check handed over in `file`; null when there is no such file. A file that cannot be read,
 * is not JSON or is not a check is a problem naming it (never silently recomputed: it means
 * the hand-off is broken).
 */
export function readDocsCheck(file: string): DocsCheck | null {
  const read = readHandedOver(file, 'the docs report', 'is', 'a docs report', isDocsCheck);
  return read === null ? null : 'problem' in read ? { ok: false, problem: read.problem } : read.value;
}

/**
 * A file that global setup handed over, read, parsed and checked with `is`: null when there is
 * no such file; else its value, or the problem in one line naming the file. `what` names the
 * content in the message, `be` agrees with it ("the cases … are"), `kind` is what `is` checks.
 */
export function readHandedOver<T>(file: string, what: string, be: 'is' | 'are', kind: string, is: (value: unknown) => value is T): { value: T } | { problem: string } | null {
  const named = `${what} that global setup handed over (${file})`;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    return { problem: `${named} cannot be read: ${code ?? describeError(error)}` };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { problem: `${named} ${be} not JSON (${describeError(error)}); run the suite again` };
  }
  return is(value) ? { value } : { problem: `${named} ${be} not ${kind}; run the suite again` };
}

/** Whether a parsed value is a DocsCheck (the parts the specs read). */
export function isDocsCheck(value: unknown): value is DocsCheck {
  if (typeof value !== 'object' || value === null) return false;
  const check = value as Record<string, unknown>;
  if (check['ok'] === false) return typeof check['problem'] === 'string';
  if (check['ok'] !== true) return false;
  const report = check['report'] as Record<string, unknown> | null | undefined;
  const strings = (v: unknown) => Array.isArray(v) && v.every((s) => typeof s === 'string');
  return (
    typeof report === 'object' &&
    report !== null &&
    strings(report['locales']) &&
    Array.isArray(report['fresh']) &&
    Array.isArray(report['accepted']) &&
    Array.isArray(report['stale']) &&
    strings(check['crossLocaleRules']) &&
    typeof check['baselineFile'] === 'string'
  );
}

/**
 * For the specs: the check global setup handed over in `env`, or, when none was (no variable,
 * or no file), one computed here.
 */
export async function docsCheckOf(env: NodeJS.ProcessEnv, root: string): Promise<DocsCheck> {
  const file = env[DOCS_REPORT_ENV];
  return (file ? readDocsCheck(file) : null) ?? computeDocsCheck(root);
}

let once: Promise<DocsCheck> | undefined;

/** docsCheckOf the process's environment, once per process: every docs test of a worker reads the same check. */
export function docsCheck(root: string): Promise<DocsCheck> {
  return (once ??= docsCheckOf(process.env, root));
}
