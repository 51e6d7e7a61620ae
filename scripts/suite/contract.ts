/**
 * The generated contract (tests/fixtures/cases.json), loaded and checked once per process that
 * imports this: error-responses.spec.ts declares one test per case and locale from it. A bad
 * cases file is a usage error naming it. Only that spec (and what needs the cases) imports this,
 * so the processes that run no contract test never load the cases module and its dependencies.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CASES_FILE, type CasesFile } from '../lib/build.ts';
import { loadCases } from '../lib/cases.ts';

/** The repository root. */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export const contract: CasesFile = loadCases(path.join(ROOT, CASES_FILE));
