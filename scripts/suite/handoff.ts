/**
 * What `npm test` prepares while Playwright starts, handed to the suite's global setup
 * (scripts/suite/setup.ts) through a pipe: the embedded mock's URL, the cases it loaded and
 * checked, every schema compiled, and the docs report. `npm test` spawns Playwright first and does this work
 * meanwhile, on the other core, instead of Playwright's runner doing it before any test.
 * The pipe is the child's file descriptor 3 (`HANDOFF` in settings.ts), named in DOCS_CONTRACT_HANDOFF_FD;
 * `npm test` writes one JSON document and closes it. Run without `npm test` (no variable),
 * global setup does the same work itself. Nothing secret is handed over.
 */
import { createReadStream } from 'node:fs';
import path from 'node:path';
import type { CasesFile } from '../lib/build.ts';
import { isCasesFile } from './cases-file.ts';
import { computeDocsCheck, describeError, isDocsCheck, type DocsCheck } from './docs-report.ts';
import { SetupError } from './probe.ts';
import { compileSchemas, isStandalone, type StandaloneSchemas } from './schemas.ts';
import { HANDOFF } from './settings.ts';

/** The environment variable naming the hand-off's file descriptor in Playwright's runner. */
export const HANDOFF_ENV = HANDOFF.env;

/** Every schema compiled, as code for the workers; or what is wrong (the usage error naming the file). */
export type SchemasCheck = { ok: true; standalone: StandaloneSchemas } | { ok: false; problem: string };

/** What `npm test` hands over. */
export interface HandOff {
  /** The embedded mock's URL; null when `--base-url` was given (it is in the environment). */
  baseUrl: string | null;
  /** tests/fixtures/cases.json, loaded and checked by the cases module. */
  cases: CasesFile;
  /** Every schema under schemas/ read, registered and compiled (scripts/suite/schemas.ts). */
  schemas: SchemasCheck;
  /** The docs validated and split by the baseline. */
  docs: DocsCheck;
}

/** Reads and compiles every schema under `dir`, into the code the workers will run; a problem is the usage error naming the file. Never throws. */
export async function checkSchemas(dir: string): Promise<SchemasCheck> {
  try {
    return { ok: true, standalone: compileSchemas(dir) };
  } catch (error) {
    return { ok: false, problem: describeError(error) };
  }
}

/** The checks of the repository at `root` (docs and schemas), for a hand-off. Never throws. */
export async function prepareChecks(root: string): Promise<Pick<HandOff, 'schemas' | 'docs'>> {
  const schemas = await checkSchemas(path.join(root, 'schemas'));
  const docs = await computeDocsCheck(root);
  return { schemas, docs };
}

/** A hand-off as sent. */
export function encodeHandOff(handOff: HandOff): string {
  return JSON.stringify(handOff);
}

/** A hand-off as received, or what is wrong with it. */
export function parseHandOff(text: string): HandOff | string {
  if (text === '') return 'npm test stopped before it handed over the mock, the cases, and the schemas and docs checks';
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return `npm test's hand-off is not JSON (${describeError(error)})`;
  }
  const v = value as Record<string, unknown> | null;
  const isSchemasCheck = (c: unknown) => {
    const check = c as Record<string, unknown> | null;
    return typeof check === 'object' && check !== null && ((check['ok'] === true && isStandalone(check['standalone'])) || (check['ok'] === false && typeof check['problem'] === 'string'));
  };
  const ok =
    typeof v === 'object' &&
    v !== null &&
    (v['baseUrl'] === null || typeof v['baseUrl'] === 'string') &&
    isCasesFile(v['cases']) &&
    isSchemasCheck(v['schemas']) &&
    isDocsCheck(v['docs']);
  return ok ? (value as HandOff) : "npm test's hand-off is not one: it needs `baseUrl`, `cases`, `schemas` and `docs`";
}

/**
 * The hand-off `npm test` sends to this process (Playwright's runner), read to its end; null when
 * there is none (not run by `npm test`). The variable is removed, so no worker looks for it.
 * A hand-off that cannot be read or parsed is a SetupError saying so.
 */
export async function receiveHandOff(env: NodeJS.ProcessEnv): Promise<HandOff | null> {
  const fdText = env[HANDOFF_ENV];
  if (fdText === undefined || fdText === '') return null;
  delete env[HANDOFF_ENV];
  const fd = Number(fdText);
  if (!Number.isSafeInteger(fd) || fd < 0) throw new SetupError(`${HANDOFF_ENV} must be a file descriptor, not \`${fdText}\``);
  let text = '';
  try {
    for await (const chunk of createReadStream('', { fd, encoding: 'utf8' })) text += chunk as string;
  } catch (error) {
    throw new SetupError(`npm test's hand-off (file descriptor ${fd}) cannot be read: ${describeError(error)}`);
  }
  const handOff = parseHandOff(text);
  if (typeof handOff === 'string') throw new SetupError(handOff);
  return handOff;
}
