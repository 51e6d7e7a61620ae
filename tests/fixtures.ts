/**
 * What every spec file imports instead of `@playwright/test`: `test` with the docs locale of the
 * project, the target settings and the loaded contract; `expect` with `toMatchSchema` (one Ajv
 * instance, schemas compiled when this module loads) and `toHaveNoProblems`.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect as baseExpect, test as base } from '@playwright/test';
import { CASES_FILE, type CasesFile } from '../scripts/lib/build.ts';
import { loadCases } from '../scripts/lib/cases.ts';
import { maskOutput } from '../scripts/suite/mask.ts';
import { loadSchemas } from '../scripts/suite/schemas.ts';
import { ENV, settingsFromEnv, type TargetSettings } from '../scripts/suite/settings.ts';

export type { TargetSettings };

/** The repository root. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** tests/fixtures/cases.json, loaded once per process; spec files iterate it to declare tests. */
export const contract: CasesFile = loadCases(path.join(ROOT, CASES_FILE));

/** Every schema under schemas/, compiled once per process. */
const schemas = loadSchemas(path.join(ROOT, 'schemas'));

/** Masks the client secret, every value sent in a secret field, secret members and tokens in anything a matcher prints. */
const masked = (text: string) => maskOutput(text, [process.env[ENV.clientSecret]]);

/** Worker-scoped fixtures and options. */
export interface ContractWorkerFixtures {
  /** Locale of the project (`fr-FR`); '' in the cross-locale project. */
  docsLocale: string;
  /** The server under test and its registered app; unset settings are null. */
  target: TargetSettings;
  /** The generated contract: every documented response with its request recipe. */
  contract: CasesFile;
}

export const test = base.extend<object, ContractWorkerFixtures>({
  docsLocale: ['', { option: true, scope: 'worker' }],
  // eslint-disable-next-line no-empty-pattern -- Playwright reads fixture dependencies from this pattern
  target: [async ({}, use) => use(settingsFromEnv(process.env)), { scope: 'worker' }],
  // eslint-disable-next-line no-empty-pattern -- as above
  contract: [async ({}, use) => use(contract), { scope: 'worker' }],
});

export const expect = baseExpect.extend({
  /** The value matches the generated schema with this `$id`; failures list each field. */
  toMatchSchema(received: unknown, schemaId: string) {
    const problems = schemas.validate(schemaId, received);
    const pass = problems.length === 0;
    const name = schemaId.split('/schemas/').pop() ?? schemaId;
    return {
      pass,
      name: 'toMatchSchema',
      expected: schemaId,
      actual: masked(JSON.stringify(received) ?? String(received)),
      message: () =>
        masked(pass ? `expected the body not to match schemas/${name}` : `the body does not match schemas/${name}:\n${problems.map((p) => `  - ${p}`).join('\n')}`),
    };
  },
  /** A list of problem lines is empty; otherwise each is printed on its own line. */
  toHaveNoProblems(received: ReadonlyArray<string | null>) {
    const problems = received.filter((p): p is string => p !== null);
    const pass = problems.length === 0;
    return {
      pass,
      name: 'toHaveNoProblems',
      expected: [],
      actual: problems.map(masked),
      message: () => masked(pass ? 'expected problems, found none' : problems.map((p) => `  - ${p}`).join('\n')),
    };
  },
});
