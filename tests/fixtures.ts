/**
 * What every spec file imports instead of `@playwright/test`: `test` with the docs locale of the
 * project and the target settings; `expect` with `toMatchSchema` (the
 * schemas compiled once per run, ready in a worker the first time it validates a body:
 * scripts/suite/schemas.ts) and `toHaveNoProblems`. Light on purpose: Playwright loads it in its
 * runner and in every worker, and the docs specs need nothing more. The contract itself is
 * scripts/suite/contract.ts, imported by the spec that declares a test per case.
 */
import { expect as baseExpect, test as base } from '@playwright/test';
import { maskOutput } from '../scripts/suite/mask.ts';
import { locationsFromEnv } from '../scripts/suite/locations.ts';
import { lazySchemas } from '../scripts/suite/schemas.ts';
import { ENV, settingsFromEnv, type TargetSettings } from '../scripts/suite/settings.ts';

export type { TargetSettings };


/** Every schema of the run's contract, compiled when the first body is validated (the runner and the cross-locale worker never validate one). */
const schemas = lazySchemas(locationsFromEnv(process.env).schemas);

/** Masks the client secret, every value sent in a secret field, secret members and tokens in anything a matcher prints. */
const masked = (text: string) => maskOutput(text, [process.env[ENV.clientSecret]]);

/** Worker-scoped fixtures and options. */
export interface ContractWorkerFixtures {
  /** Locale of the project (`fr-FR`); '' in the cross-locale project. */
  docsLocale: string;
  /** The server under test and its registered app; unset settings are null. */
  target: TargetSettings;
}

export const test = base.extend<object, ContractWorkerFixtures>({
  docsLocale: ['', { option: true, scope: 'worker' }],
  // eslint-disable-next-line no-empty-pattern -- Playwright reads fixture dependencies from this pattern
  target: [async ({}, use) => use(settingsFromEnv(process.env)), { scope: 'worker' }],
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
      // The matcher's hint line is what tells a contract violation (a JUnit <failure>) from a fault of the run (an <error>).
      message: () => masked(`${HINT}\n\n${pass ? 'expected problems, found none' : problems.map((p) => `  - ${p}`).join('\n')}`),
    };
  },
});

/** The hint line Playwright's own matchers start their message with. */
const HINT = 'expect(problems).toHaveNoProblems()';
