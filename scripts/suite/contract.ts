/**
 * The generated contract (tests/fixtures/cases.json), loaded once per process that imports this:
 * error-responses.spec.ts declares one test per case and locale from it. Under `npm test` the
 * cases come checked from global setup (scripts/suite/cases-file.ts), and the cases module and
 * the recipes parser it needs are never loaded here; otherwise they are loaded and checked here.
 * A bad cases file is a usage error naming it.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CasesFile } from '../lib/build.ts';
import { CASES, handedOverCases } from './cases-file.ts';

/** The repository root. */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export const contract: CasesFile = handedOverCases(process.env) ?? (await import('../lib/cases.ts')).loadCases(path.join(ROOT, CASES));
