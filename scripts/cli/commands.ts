/**
 * The command line of every subcommand in one place: what it does, how it is called, its flags.
 * Light on purpose: the executable reads it to dispatch and to check the config file, then loads
 * only the command that runs.
 */
import { TEST_APP } from '../mock/test-app.ts';
import { OUR_FLAGS } from '../suite/args.ts';
import { BASELINE_FILE, CASES_FILE, DEFAULT_CACHE_DIR, DOCS_DIR, RECIPES_FILE } from '../lib/util.ts';

/** The flags of the commands that build the contract (generate and drift). */
export const BUILD_FLAGS = {
  docs: { type: 'string', default: DOCS_DIR },
  recipes: { type: 'string', default: RECIPES_FILE },
  out: { type: 'string', default: '.' },
  cache: { type: 'string', default: DEFAULT_CACHE_DIR },
  'no-cache': { type: 'boolean', default: false },
  baseline: { type: 'string', default: BASELINE_FILE },
  'no-baseline': { type: 'boolean', default: false },
} as const;

/** Each subcommand's summary (for `--help`), usage line and flags, in the order `--help` lists them. */
export const COMMAND_LINES = {
  test: {
    summary: 'the contract suite against a server (--base-url) or the embedded mock',
    usage:
      'docs-contract test [--base-url=URL] [--client-id=ID] [--callback-url=URL] [--suspended-client-id=ID] [--device-flow-disabled-client-id=ID] [--docs-origin=URL] [--request-timeout=MS] [--locale=L …] [--strict] [--docs=DIR --recipes=FILE] [any playwright test flag]; the secret comes from OAUTH_CLIENT_SECRET or --client-secret-file=PATH (--client-secret=… is accepted, but a command line is seen by other users and kept in npm\'s debug log)',
    options: OUR_FLAGS,
  },
  validate: {
    summary: 'per-locale and cross-locale docs checks (text, json, github or sarif)',
    usage:
      'docs-contract validate [--docs=DIR] [--locale=L …] [--format=text|json|github|sarif] [--strict] [--quiet] [--baseline=FILE | --no-baseline] [--update-baseline] [--cache=DIR | --no-cache]',
    options: {
      docs: { type: 'string', default: DOCS_DIR },
      locale: { type: 'string', multiple: true },
      format: { type: 'string', default: 'text' },
      strict: { type: 'boolean', default: false },
      quiet: { type: 'boolean', default: false },
      baseline: { type: 'string' },
      'no-baseline': { type: 'boolean', default: false },
      'update-baseline': { type: 'boolean', default: false },
      cache: { type: 'string', default: DEFAULT_CACHE_DIR },
      'no-cache': { type: 'boolean', default: false },
    },
  },
  generate: {
    summary: 'docs → schemas/ and tests/fixtures/cases.json, deterministic',
    usage:
      'docs-contract generate [--docs=DIR] [--recipes=FILE] [--out=DIR] [--cache=DIR | --no-cache] [--baseline=FILE | --no-baseline] [--quiet]',
    options: { ...BUILD_FLAGS, quiet: { type: 'boolean', default: false } },
  },
  drift: {
    summary: 'whether the generated files still match the docs',
    usage:
      'docs-contract drift [--docs=DIR] [--recipes=FILE] [--out=DIR] [--format=text|sarif] [--cache=DIR | --no-cache] [--baseline=FILE | --no-baseline]',
    options: { ...BUILD_FLAGS, format: { type: 'string', default: 'text' } },
  },
  mock: {
    summary: 'the embedded GitHub-like OAuth server, until Ctrl+C',
    usage:
      'docs-contract mock [--port=N] [--host=H] [--client-id=ID] [--callback-url=URL] [--docs-origin=URL] [--absolute-error-uri] [--as-github] [--cases=FILE]',
    options: {
      port: { type: 'string', default: '0' },
      host: { type: 'string', default: '127.0.0.1' },
      'client-id': { type: 'string', default: TEST_APP.clientId },
      'callback-url': { type: 'string', default: TEST_APP.callbackUrl },
      'docs-origin': { type: 'string' },
      'absolute-error-uri': { type: 'boolean', default: false },
      'as-github': { type: 'boolean', default: false },
      cases: { type: 'string', default: CASES_FILE },
    },
  },
  export: {
    summary: 'the contract as one OpenAPI 3.1 document (JSON), each documented error a named example',
    usage: 'docs-contract export [--format=openapi] [--cases=FILE] [--out=FILE]',
    options: {
      format: { type: 'string', default: 'openapi' },
      cases: { type: 'string', default: CASES_FILE },
      out: { type: 'string' },
    },
  },
} as const;
