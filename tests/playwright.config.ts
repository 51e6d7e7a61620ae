/**
 * The contract suite's Playwright configuration: one project, whose tests are titled by the docs
 * locale they check (`[fr-FR] …`; `npm test -- --locale=fr-FR` runs one locale's). One project,
 * so one worker serves every locale: Playwright starts a worker process per project.
 * API tests only: no browser is used or downloaded. Run it through `npm test`.
 */
import path from 'node:path';
import { defineConfig, type PlaywrightTestConfig } from '@playwright/test';
import { settingsFromEnv } from '../scripts/suite/settings.ts';
import type { ContractWorkerFixtures } from './fixtures.ts';
const CI = !!process.env['CI'];

// Reports go to the folder the suite is run from (the repository whose docs or server are tested),
// never into the installed package.
const HERE = process.cwd();

// An HTML report is written, never opened in a browser, whoever asks for it.
process.env['PLAYWRIGHT_HTML_OPEN'] ??= 'never';
process.env['PLAYWRIGHT_HTML_OUTPUT_DIR'] ??= path.join(HERE, 'playwright-report');

const { requestTimeout } = settingsFromEnv(process.env);

// `npm test` adds the summary reporter (scripts/suite/summary-reporter.ts) on top of these, and of any given by --reporter.
// In CI, GitHub annotations point at the doc lines (scripts/suite/github-reporter.ts), not at the spec files.
const reporter: PlaywrightTestConfig['reporter'] = CI ? [['line'], ['junit', { outputFile: path.join(HERE, 'test-results', 'junit.xml') }], ['../scripts/suite/github-reporter.ts']] : [['list']];

export default defineConfig<object, ContractWorkerFixtures>({
  testDir: './contract',
  outputDir: path.join(HERE, 'test-results', 'output'),
  // Probes the server, checks the schemas, validates the docs once for the whole run.
  globalSetup: '../scripts/suite/setup.ts',
  forbidOnly: CI,
  retries: CI ? 2 : 0,
  fullyParallel: true,
  // A test sends up to three requests, each bounded by --request-timeout.
  timeout: Math.max(30_000, 3 * requestTimeout + 5_000),
  reporter,
});
