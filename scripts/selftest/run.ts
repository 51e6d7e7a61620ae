/**
 * `npm run test:faults`: the contract suite proves itself. It runs the real `npm test` path
 * against an independent correct server (relative and absolute `error_uri`), which must pass,
 * and against each deliberately faulty server, which must fail with the check that catches it
 * (a server bad on the wire: with exactly one line saying so). Every run must end (a hang guard
 * kills it otherwise), and all it leaves, traces included, is searched for the client secret.
 */
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { CASES_FILE } from '../lib/util.ts';
import { loadCases } from '../lib/cases.ts';
import { flags, main } from '../lib/cli.ts';
import { DEFAULT_DOCS_ORIGIN, SECRET_ENV } from '../mock/test-app.ts';
import { ROOT, runSuite } from './child.ts';
import { scan } from './leaks.ts';
import { startReference, type Behaviour } from './reference-server.ts';
import { VARIANTS, type VariantSetup } from './variants.ts';

/** Where the JSON reports, traces and results of the runs go (ignored by git). */
const REPORTS = path.join(ROOT, 'test-results', 'selftest');

/** Longest one run of the suite may take before it is killed and counted as hung (a guard, not a measure: runs take seconds). */
export const RUN_LIMIT_MS = 90_000;

/** The app registered on every server of the self-test: clearly synthetic. */
const APP = { clientId: 'selftest-client', clientSecret: 'selftest-secret-0123456789', callbackUrl: 'http://127.0.0.1:9/selftest-callback', suspendedClientId: 'selftest-suspended-app', deviceFlowDisabledClientId: 'selftest-no-device-flow-app' };

/** One server the suite is run against, and what must come of it. */
export interface Scenario {
  name: string;
  behaviour: Behaviour;
  absolute: boolean;
  args: readonly string[];
  /** null: the suite must pass; otherwise its failure output must contain this text, or have exactly one problem line matching this pattern. */
  caughtBy: string | RegExp | null;
  /** Builds the behaviour for the run, and checks afterwards what the servers saw. */
  setup?: () => Promise<VariantSetup>;
  /** Nothing listens: the suite must say so in exactly one message. */
  refused: boolean;
  /** Set: run without the app's settings; every test must be skipped with a reason containing this. */
  skipsWith?: string;
  /** The app's client secret, when not the usual one. */
  secret?: string;
}

/** What one run of the suite showed. */
export interface Outcome {
  exitCode: number;
  passed: number;
  failed: number;
  skipped: number;
  /** Every failure and top-level error message, ANSI colours removed. */
  messages: string[];
  /** Reasons given for skipped tests. */
  skipReasons: string[];
  /** Whether the client secret appears anywhere in the run's output, report or artifacts (traces opened). */
  leaked: boolean;
  /** The run did not end by {@link RUN_LIMIT_MS} and was killed. */
  hung?: boolean;
  /** What the servers saw that breaks a guarantee (the variant's check after the run). */
  broken?: string | null;
}

/** The scenarios: the correct server in both `error_uri` modes, then every faulty variant. */
export function scenarios(): Scenario[] {
  return [
    { name: 'correct (relative error_uri)', behaviour: {}, absolute: false, args: [], caughtBy: null, refused: false },
    { name: 'correct (absolute error_uri)', behaviour: {}, absolute: true, args: [], caughtBy: null, refused: false },
    { name: 'as GitHub answers (recorded error_uri)', behaviour: { asGithub: true }, absolute: true, args: [], caughtBy: null, refused: false },
    {
      name: 'correct, app not given',
      behaviour: {},
      absolute: false,
      args: [],
      caughtBy: null,
      refused: false,
      // Every case needs the client id, or (a suspended app's errors) the client id of a suspended app.
      skipsWith: 'needs the client id',
    },
    ...VARIANTS.map((v) => ({
      name: v.name,
      behaviour: v.behaviour,
      absolute: v.absolute ?? false,
      args: v.args ?? [],
      caughtBy: v.caughtBy,
      refused: v.refused ?? false,
      ...(v.setup ? { setup: v.setup } : {}),
      ...(v.secret === undefined ? {} : { secret: v.secret }),
    })),
  ];
}

/** Whether an outcome is what the scenario requires, and a short reason when it is not. */
export function judge(scenario: Scenario, outcome: Outcome): { ok: boolean; detail: string } {
  if (outcome.hung) return { ok: false, detail: `the run did not end within ${RUN_LIMIT_MS / 1000} s and was killed` };
  if (outcome.leaked) return { ok: false, detail: 'the client secret appears in the output, the report or the artifacts' };
  if (outcome.broken) return { ok: false, detail: outcome.broken };
  if (scenario.skipsWith !== undefined) {
    const wanted = scenario.skipsWith;
    const ok = outcome.exitCode === 0 && outcome.failed === 0 && outcome.passed === 0 && outcome.skipped > 0 && outcome.skipReasons.length === outcome.skipped && outcome.skipReasons.every((r) => r.includes(wanted));
    return { ok, detail: ok ? `${outcome.skipped} skipped: ${shorten(outcome.skipReasons[0] ?? '')}` : `exit ${outcome.exitCode}, ${outcome.passed} passed, ${outcome.failed} failed, ${outcome.skipped} skipped; expected every test skipped with ${JSON.stringify(wanted)}` };
  }
  if (scenario.caughtBy === null) {
    const ok = outcome.exitCode === 0 && outcome.failed === 0 && outcome.skipped === 0 && outcome.passed > 0 && outcome.messages.length === 0;
    return { ok, detail: ok ? `${outcome.passed} passed` : `exit ${outcome.exitCode}, ${outcome.failed} failed, ${outcome.skipped} skipped: ${shorten(outcome.messages[0] ?? '')}` };
  }
  const wanted = scenario.caughtBy;
  if (wanted instanceof RegExp) return judgeLine(wanted, outcome);
  const hit = outcome.messages.find((m) => m.includes(wanted));
  const once = !scenario.refused || outcome.messages.length === 1;
  const ok = outcome.exitCode === 1 && hit !== undefined && once;
  if (!ok) {
    const why = once ? `expected a failure containing ${JSON.stringify(wanted)}` : `expected exactly one message, got ${outcome.messages.length}`;
    return { ok, detail: `exit ${outcome.exitCode}, ${outcome.failed} failed; ${why}` };
  }
  const line = (hit ?? '').split('\n').find((l) => l.includes(wanted)) ?? '';
  const what = outcome.failed > 0 ? `${outcome.failed} failed` : 'no test ran';
  return { ok, detail: `${what}: ${shorten(line.trim().replace(/^- /, ''))}` };
}

/** The problem lines of a failure message (`  - …`), without their bullet. */
export function problemLines(message: string): string[] {
  return message
    .split('\n')
    .filter((l) => l.startsWith('  - '))
    .map((l) => l.slice(4));
}

/** A failure whose only problem line matches `wanted` whole. */
function judgeLine(wanted: RegExp, outcome: Outcome): { ok: boolean; detail: string } {
  const hit = outcome.messages.find((m) => problemLines(m).some((l) => wanted.test(l)));
  if (outcome.exitCode !== 1 || hit === undefined) {
    const seen = outcome.messages.flatMap(problemLines)[0] ?? outcome.messages[0] ?? '';
    return { ok: false, detail: `exit ${outcome.exitCode}, ${outcome.failed} failed; expected a problem line matching ${wanted}, got: ${shorten(seen)}` };
  }
  const lines = problemLines(hit);
  if (lines.length !== 1) return { ok: false, detail: `expected exactly one problem line, got ${lines.length}: ${shorten(lines.join(' | '))}` };
  return { ok: true, detail: `${outcome.failed} failed: ${shorten(lines[0] ?? '')}` };
}

function shorten(s: string): string {
  return s.length > 140 ? `${s.slice(0, 139)}…` : s;
}

/** Reads Playwright's JSON report into an outcome. */
export function outcomeOf(exitCode: number, report: unknown): Omit<Outcome, 'leaked'> {
  const r = report as JsonReport;
  const messages: string[] = [];
  for (const e of r.errors ?? []) messages.push(stripVTControlCharacters(e.message ?? ''));
  const skipReasons: string[] = [];
  const visit = (suite: JsonSuite) => {
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests ?? []) {
        for (const res of t.results ?? []) for (const e of res.errors ?? []) messages.push(stripVTControlCharacters(e.message ?? ''));
        const skip = [...(t.annotations ?? []), ...(t.results ?? []).flatMap((res) => res.annotations ?? [])].find((a) => a.type === 'skip');
        if (t.status === 'skipped' && skip) skipReasons.push(skip.description ?? '');
      }
    }
    for (const child of suite.suites ?? []) visit(child);
  };
  for (const suite of r.suites ?? []) visit(suite);
  return { exitCode, passed: r.stats?.expected ?? 0, failed: (r.stats?.unexpected ?? 0) + (r.stats?.flaky ?? 0), skipped: r.stats?.skipped ?? 0, messages, skipReasons };
}

interface JsonAnnotation {
  type: string;
  description?: string;
}
interface JsonSuite {
  specs?: Array<{ tests?: Array<{ status?: string; annotations?: JsonAnnotation[]; results?: Array<{ errors?: Array<{ message?: string }>; annotations?: JsonAnnotation[] }> }> }>;
  suites?: JsonSuite[];
}
interface JsonReport {
  stats?: { expected?: number; unexpected?: number; flaky?: number; skipped?: number };
  errors?: Array<{ message?: string }>;
  suites?: JsonSuite[];
}

/** The suite's own spec of server behaviour; the docs specs need no server, so the self-test leaves them out. */
/** The specs that test a server (not the docs): its documented errors, and the device flow past them. */
const SPECS = ['tests/contract/error-responses.spec.ts', 'tests/contract/device-flow.spec.ts'];

/** Starts the scenario's server, runs `npm test` against it (traces on), stops the server, and searches all the run left for the secret. */
async function runScenario(scenario: Scenario, index: number, cases: Parameters<typeof startReference>[0]['cases']): Promise<Outcome> {
  const setup = scenario.setup ? await scenario.setup() : null;
  const behaviour = setup?.behaviour ?? scenario.behaviour;
  const app = { ...APP, clientSecret: scenario.secret ?? APP.clientSecret };
  const server = await startReference({ cases, ...app, docsOrigin: scenario.absolute ? DEFAULT_DOCS_ORIGIN : null, behaviour });
  if (scenario.refused) await server.stop(); // nothing listens on that port any more
  const name = String(index).padStart(2, '0');
  const reportFile = path.join(REPORTS, `${name}.json`);
  const outputDir = path.join(REPORTS, `output-${name}`);
  rmSync(reportFile, { force: true });
  rmSync(outputDir, { recursive: true, force: true });
  try {
    const args = [
      `--base-url=${server.url}`,
      ...(scenario.skipsWith === undefined ? [`--client-id=${APP.clientId}`, `--callback-url=${APP.callbackUrl}`, `--suspended-client-id=${APP.suspendedClientId}`, `--device-flow-disabled-client-id=${APP.deviceFlowDisabledClientId}`] : []),
      ...scenario.args,
      // A faulty server needs one failure to be caught; stopping there keeps the self-test short.
      ...(scenario.caughtBy === null ? [] : ['--max-failures=1']),
      '--reporter=json',
      '--retries=0',
      '--workers=1',
      // Traces record what each test did and printed: the secret must not be in them either.
      '--trace=on',
      `--output=${outputDir}`,
      ...SPECS,
    ];
    const env: NodeJS.ProcessEnv = { ...process.env, [SECRET_ENV]: app.clientSecret, PLAYWRIGHT_JSON_OUTPUT_FILE: reportFile };
    if (scenario.skipsWith !== undefined) delete env[SECRET_ENV];
    const run = await runSuite(args, env, RUN_LIMIT_MS);
    const exitCode = run.exitCode ?? -1;
    const found = scan(
      [
        { name: 'stdout', text: run.stdout },
        { name: 'stderr', text: run.stderr },
      ],
      [reportFile, outputDir],
      [{ label: 'client secret', value: app.clientSecret }],
    );
    const leaked = found.leaks.length > 0;
    const broken = setup?.check() ?? null;
    let report: unknown;
    try {
      report = JSON.parse(readFileSync(reportFile, 'utf8'));
    } catch {
      const last = `${run.stdout}${run.stderr}`.trim().split('\n').pop() ?? '';
      return { exitCode, passed: 0, failed: 0, skipped: 0, skipReasons: [], messages: [`no JSON report (the run ended with exit ${exitCode}): ${last}`], leaked, hung: run.hung, broken };
    }
    return { ...outcomeOf(exitCode, report), leaked, hung: run.hung, broken };
  } finally {
    await server.stop();
    await setup?.stop();
  }
}

/** Runs every scenario, `parallel` at a time; prints the table and the count; 0 when all held. */
export async function run(args: string[], out: (line: string) => void = console.log): Promise<number> {
  const values = flags(args, { parallel: { type: 'string', default: '2' }, only: { type: 'string' } }, 'npm run test:faults -- [--parallel=N] [--only=NAME]');
  const parallel = Math.max(1, Number(values.parallel) || 1);
  const all = scenarios().filter((s) => values.only === undefined || s.name === values.only || s.caughtBy === null);
  const { cases } = loadCases(path.join(ROOT, CASES_FILE));
  mkdirSync(REPORTS, { recursive: true });
  const started = Date.now();
  const results: Array<{ scenario: Scenario; ok: boolean; detail: string; ms: number }> = [];
  let next = 0;
  const worker = async () => {
    while (next < all.length) {
      const index = next++;
      const scenario = all[index];
      if (!scenario) continue;
      const t0 = Date.now();
      const outcome = await runScenario(scenario, index, cases);
      results[index] = { scenario, ...judge(scenario, outcome), ms: Date.now() - t0 };
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, all.length) }, worker));

  const width = Math.max(...all.map((s) => s.name.length));
  out(`${'server'.padEnd(width)}  must   result  detail`);
  for (const r of results) {
    const must = r.scenario.skipsWith !== undefined ? 'skip' : r.scenario.caughtBy === null ? 'pass' : 'fail';
    const verdict = r.ok ? { pass: 'passed', skip: 'held', fail: 'caught' }[must] : must === 'fail' ? 'MISSED' : 'FAILED';
    out(`${r.scenario.name.padEnd(width)}  ${must.padEnd(5)}  ${verdict.padEnd(6)}  ${r.detail} (${(r.ms / 1000).toFixed(1)} s)`);
  }
  const faulty = results.filter((r) => r.scenario.caughtBy !== null);
  const correct = results.filter((r) => r.scenario.caughtBy === null);
  const caught = faulty.filter((r) => r.ok).length;
  out(`caught ${caught} of ${faulty.length} faulty servers; the correct server held ${correct.filter((r) => r.ok).length} of ${correct.length} runs (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return caught === faulty.length && correct.every((r) => r.ok) ? 0 : 1;
}

if (import.meta.url === `file://${process.argv[1]}`) await main('test:faults', run);
