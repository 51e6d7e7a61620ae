/**
 * What every spec file imports instead of `@playwright/test`: `test` with the target settings; `expect` with `toMatchSchema` (the
 * schemas compiled once per run, ready in a worker the first time it validates a body:
 * scripts/suite/schemas.ts) and `toHaveNoProblems`. Light on purpose: Playwright loads it in its
 * runner and in every worker, and the docs specs need nothing more. The contract itself is
 * scripts/suite/contract.ts, imported by the spec that declares a test per case.
 */
import { expect as baseExpect, test as base } from '@playwright/test';
import { failureAt, failureMessage, type Documented } from '../scripts/suite/failure.ts';
import { maskOutput } from '../scripts/suite/mask.ts';
import { locationsFromEnv } from '../scripts/suite/locations.ts';
import { runValidators } from '../scripts/suite/prepared.ts';
import { lazySchemas } from '../scripts/suite/schemas.ts';
import { ENV, settingsFromEnv, type TargetSettings } from '../scripts/suite/settings.ts';

export type { Documented, TargetSettings };


/** Every schema of the run's contract, as global setup compiled them, loaded when the first body is validated. */
const schemas = lazySchemas(locationsFromEnv(process.env).schemas, runValidators);

/** Whether `value` matches the schema with this `$id`: a check without the step an `expect` records (see attachText). */
export const matchesSchema = (schemaId: string, value: unknown): boolean => schemas.validate(schemaId, value).length === 0;

/** Masks the client secret, every value sent in a secret field, secret members and tokens in anything a matcher prints. */
const masked = (text: string) => maskOutput(text, [process.env[ENV.clientSecret]]);

/** Worker-scoped fixtures. */
export interface ContractWorkerFixtures {
  /** The server under test and its registered app; unset settings are null. */
  target: TargetSettings;
}

export const test = base.extend<object, ContractWorkerFixtures>({
  // eslint-disable-next-line no-empty-pattern -- Playwright reads fixture dependencies from this pattern
  target: [async ({}, use) => use(settingsFromEnv(process.env)), { scope: 'worker' }],
});

/**
 * Attaches `body` to the running test. Pushed onto `testInfo.attachments`, which reporters see as
 * they see `testInfo.attach()`'s, but without the step `attach()` records for each, whose stack
 * trace, resolved through source maps, cost more than the requests of a passing test.
 */
export function attachText(name: string, body: string, contentType = 'text/plain'): void {
  test.info().attachments.push({ name, contentType, body: Buffer.from(body) });
}

/** The docs folder of the run, absolute: a failure's stack points at a line of one of its files. */
const docsDir = locationsFromEnv(process.env).docs;

/**
 * A matcher's result. A failure about a documented response (`documented` given) is thrown as an
 * error located at the doc line (scripts/suite/failure.ts), so the reports show that line, not
 * the spec's `expect` call; the message is masked before it is formatted.
 */
function verdict(isNot: boolean, name: string, pass: boolean, problems: readonly string[], hint: string, documented: Documented | undefined, actual: unknown) {
  const message = masked(documented && !pass ? failureMessage(documented, problems, hint) : `${hint}\n\n${pass ? `expected ${name} to fail, it passed` : problems.map((p) => `  - ${p}`).join('\n')}`);
  if (!pass && !isNot && documented) throw failureAt(message, documented, docsDir);
  return { pass, name, expected: [], actual, message: () => message };
}

export const expect = baseExpect.extend({
  /** The value matches the generated schema with this `$id`; failures list each field. */
  toMatchSchema(this: { isNot: boolean }, received: unknown, schemaId: string, documented?: Documented) {
    const problems = schemas.validate(schemaId, received);
    const name = schemaId.split('/schemas/').pop() ?? schemaId;
    const lines = problems.map((p) => `the body does not match schemas/${name}: ${p}`);
    return verdict(this.isNot, 'toMatchSchema', problems.length === 0, lines, `expect(body).toMatchSchema(schemas/${name})`, documented, masked(JSON.stringify(received) ?? String(received)));
  },
  /** A list of problem lines is empty; otherwise each is printed on its own line. */
  toHaveNoProblems(this: { isNot: boolean }, received: ReadonlyArray<string | null>, documented?: Documented) {
    const problems = received.filter((p): p is string => p !== null);
    return verdict(this.isNot, 'toHaveNoProblems', problems.length === 0, problems, HINT, documented, problems.map(masked));
  },
});

/** The hint line Playwright's own matchers start their message with; the JUnit reporter files a message holding one as a contract violation (a `<failure>`), any other as a fault of the run (an `<error>`). */
const HINT = 'expect(problems).toHaveNoProblems()';
