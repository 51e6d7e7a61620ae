/**
 * Secrets never leak: the whole suite is run, with a recognisable client secret (given in the
 * environment, then by `--client-secret`), traces on and every reporter (list or line on
 * stdout, github, html, junit, json), against the embedded mock and against a failing server
 * that hands it codes and tokens the mock really issued; then every
 * byte the runs left (stdout, stderr, every file of the report and result folders, traces and
 * the HTML report's embedded data opened) is searched for each of them. The search is shown to
 * find a planted occurrence in each kind of place.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { deflateRawSync } from 'node:zlib';
import { CASES_FILE } from '../../scripts/lib/util.ts';
import { loadCases } from '../../scripts/lib/cases.ts';
import { AUTHORIZE_ENDPOINT, TOKEN_ENDPOINT } from '../../scripts/mock/answers.ts';
import { createMock, type Mock } from '../../scripts/mock/server.ts';
import { ROOT, runSuite, type SuiteRun } from '../../scripts/selftest/child.ts';
import { startLeaky, type Leaky } from '../../scripts/selftest/leaky-server.ts';
import { formsOf, readZip, scan, type Needle, type ScanReport } from '../../scripts/selftest/leaks.ts';
import { outcomeOf, problemLines } from '../../scripts/selftest/run.ts';

/** Recognisable, unique to this run, and holding what JSON, XML and URLs each escape (`"`, `\\`, `<`, `&`, `%`, `+`, a space, unicode). */
const SECRET = `canary-"client"-\\secret-<&>%+ é-${randomBytes(6).toString('hex')}`;
const APP = { clientId: 'leakcheck-client', callbackUrl: 'http://127.0.0.1:9/leakcheck-callback' };
/** A hang guard for each run, not a measure: a run takes seconds. */
const RUN_LIMIT_MS = 180_000;

/** One run of the whole suite into its own folder under `tmp`: where each reporter writes. */
interface Run {
  dir: string;
  suite: SuiteRun;
  report: string;
}

/** Runs the whole suite into `dir`, the secret given in the environment or by `--client-secret` (the two ways `npm test` takes it). */
async function runInto(dir: string, args: readonly string[], reporters: string, secretBy: 'env' | 'flag'): Promise<Run> {
  mkdirSync(dir, { recursive: true });
  const report = path.join(dir, 'report.json');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    OAUTH_CLIENT_SECRET: secretBy === 'env' ? SECRET : '',
    PLAYWRIGHT_HTML_OUTPUT_DIR: path.join(dir, 'playwright-report'),
    PLAYWRIGHT_JUNIT_OUTPUT_FILE: path.join(dir, 'junit.xml'),
    PLAYWRIGHT_JSON_OUTPUT_FILE: report,
  };
  const secretArgs = secretBy === 'flag' ? [`--client-secret=${SECRET}`] : [];
  const suite = await runSuite([...args, ...secretArgs, `--reporter=${reporters}`, '--trace=on', `--output=${path.join(dir, 'test-results')}`], env, RUN_LIMIT_MS);
  return { dir, suite, report };
}

/** Searches all a run left: its stdout, stderr and folder. */
function searchRun(run: Run, needles: readonly Needle[]): ScanReport {
  return scan(
    [
      { name: 'stdout', text: run.suite.stdout },
      { name: 'stderr', text: run.suite.stderr },
    ],
    [run.dir],
    needles,
  );
}

/** Each leak as `place: what`, the place relative to `dir`: short, and never the value. */
function leaksOf(found: ScanReport, dir: string): string[] {
  return found.leaks.map((l) => `${path.isAbsolute(l.where) ? path.relative(dir, l.where) : l.where}: ${l.what}`);
}

/** Places of a search that must have been read, named from the run's folder. */
function mustHaveRead(found: ScanReport, dir: string): void {
  const read = found.scanned.map((w) => path.relative(dir, w).split(path.sep).join('/'));
  for (const pattern of [/^junit\.xml$/, /^report\.json$/, /^test-results\/.+\/trace\.zip!test\.trace$/, /^playwright-report\/index\.html#data-uri-\d+!report\.json$/, /^playwright-report\/index\.html#data-uri-\d+!\w+\.json$/, /^playwright-report\/data\/\w+\.zip!test\.trace$/]) {
    assert.ok(read.some((w) => pattern.test(w)), `the search read nothing matching ${pattern}`);
  }
  assert.ok(found.scanned.includes('stdout') && found.scanned.includes('stderr'));
  assert.deepEqual(found.unreadable, [], `the search could not read: ${found.unreadable.join(", ")}`);
}

describe('secrets never leak', { timeout: 2 * RUN_LIMIT_MS + 60_000 }, () => {
  const tmp = mkdtempSync(path.join(tmpdir(), 'docs-contract-secrets-'));
  const cases = loadCases(path.join(ROOT, CASES_FILE)).cases;
  let mock: Mock;
  let leaky: Leaky;
  let onMock: Run;
  let onLeaky: Run;

  before(async () => {
    mock = await createMock({ cases, ...APP, clientSecret: SECRET });
    leaky = await startLeaky({ mockUrl: mock.url, authorizePath: AUTHORIZE_ENDPOINT.path, tokenPath: TOKEN_ENDPOINT.path, ...APP, clientSecret: SECRET });
    [onMock, onLeaky] = await Promise.all([
      runInto(path.join(tmp, 'mock'), [], 'list,html,junit,json', 'env'),
      // The leaky server stands in for the token endpoint: its tests only.
      runInto(path.join(tmp, 'leaky'), [`--base-url=${leaky.url}`, `--client-id=${APP.clientId}`, `--callback-url=${APP.callbackUrl}`, '--grep=POST /login/oauth/access_token', '--grep-invert=device_code|gets a token'], 'line,github,html,junit,json', 'flag'),
    ]);
  });

  after(async () => {
    await leaky?.stop();
    await mock?.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('a whole run against the embedded mock passes and leaves the secret nowhere', () => {
    assert.equal(onMock.suite.hung, false);
    assert.equal(onMock.suite.exitCode, 0, onMock.suite.stdout.slice(-2000));
    const found = searchRun(onMock, [{ label: 'client secret', value: SECRET }]);
    mustHaveRead(found, onMock.dir);
    assert.deepEqual(leaksOf(found, onMock.dir), []);
  });

  it('a whole run against a server handing out real codes and tokens fails, masked, and leaves none of them anywhere', () => {
    assert.equal(onLeaky.suite.hung, false);
    assert.equal(onLeaky.suite.exitCode, 1, onLeaky.suite.stdout.slice(-2000));
    const { record } = leaky;
    // Every request of the suite was answered with real values, in each of the wrong ways.
    assert.ok(record.answers.length >= 5, `only ${record.answers.length} answers`);
    assert.equal(new Set(record.answers).size, 5);
    assert.equal(record.tokens.length, record.answers.length);
    assert.ok(record.codes.length >= 2 * record.answers.length);
    assert.ok(record.sent.length >= record.answers.length);

    const needles: Needle[] = [
      { label: 'client secret', value: SECRET },
      ...record.codes.map((value, i) => ({ label: `code issued by the mock #${i + 1}`, value })),
      ...record.tokens.map((value, i) => ({ label: `token issued by the mock #${i + 1}`, value })),
      ...record.sent.map((value, i) => ({ label: `secret value the suite sent #${i + 1}`, value })),
    ];
    const found = searchRun(onLeaky, needles);
    mustHaveRead(found, onLeaky.dir);
    assert.deepEqual(leaksOf(found, onLeaky.dir), []);
    // Each request and answer is attached to its test (searched above: the JSON report holds the
    // attachments in base64, the HTML report's data as text), with the values masked.
    const attachments = attachmentsOf(JSON.parse(readFileSync(onLeaky.report, 'utf8')));
    assert.ok(attachments.filter((a) => a.name.endsWith(': request')).length >= record.answers.length);
    assert.ok(attachments.filter((a) => a.name.endsWith(': answer')).length >= record.answers.length);
    assert.ok(attachments.some((a) => a.name.endsWith(': request') && a.text.includes('client_secret=***&code=***')));
    assert.ok(attachments.some((a) => a.name.endsWith(': answer') && /access_token.{1,3}\*\*\*/.test(a.text)));

    const outcome = outcomeOf(1, JSON.parse(readFileSync(onLeaky.report, 'utf8')));
    assert.equal(outcome.failed, record.answers.length);
    const lines = outcome.messages.flatMap(problemLines).map((l) => l.replace(/^[A-Z]+ \S+ \(Accept: [^)]+\): /, ''));
    // Where each value would have shown, the mask shows instead.
    const masked = [
      `status is 302, a redirect to \`${APP.callbackUrl}?code=***&access_token=***&state=leak\`, another origin (not followed: nothing was sent there); this documented error is answered with 200 (status in tests/profiles.yaml)`,
      'body is JSON but an array, not an object: "[{\\"access_token\\":\\"***\\",\\"code\\":\\"***\\"}]"; expected an object of the documented members',
      'Content-Type is `text/html; charset=utf-8`, an HTML page titled "Signed in with ***" for Accept: application/json; expected `application/json`',
    ];
    for (const line of masked) assert.ok(lines.includes(line), `no failure says: ${line}\n${lines.join('\n')}`);
    const echoed = lines.find((l) => l.startsWith('`error_description` is "you sent: '));
    assert.match(echoed ?? '', /^`error_description` is "you sent: client_id=leakcheck-client&client_secret=\*\*\*&code=\*\*\*(&redirect_uri=[^;]*)?; issued: code=\*\*\*&access_token=\*\*\*"; documented: ".*"$/);
    // The request itself is shown with the secret masked.
    assert.ok(outcome.messages.some((m) => m.includes(`request: POST ${leaky.url}${TOKEN_ENDPOINT.path} (Accept: application/json) client_id=leakcheck-client&client_secret=***&code=***`)));
  });

  it('the search finds a planted occurrence in every kind of place, by every encoding', () => {
    const token = leaky.record.tokens[0] ?? assert.fail('no token issued');
    const code = leaky.record.codes[0] ?? assert.fail('no code issued');
    const planted = path.join(tmp, 'planted');
    mkdirSync(path.join(planted, 'deep'), { recursive: true });
    writeFileSync(path.join(planted, 'plain.txt'), `token ${token}\n`);
    // A real trace, with a deflated entry added inside a zip inside the zip.
    const trace = readFileSync(searchRun(onLeaky, []).scanned.find((w) => w.endsWith('trace.zip')) ?? assert.fail('no trace'));
    const entries = (readZip(trace) ?? assert.fail('trace unreadable')).map((e) => ({ name: e.name, data: e.data ?? Buffer.alloc(0) }));
    const inner = zip([{ name: 'resources/x.dat', data: Buffer.from(`client_secret=${encodeURIComponent(SECRET)}`) }]);
    writeFileSync(path.join(planted, 'deep', 'trace.zip'), zip([...entries, { name: 'inner.zip', data: inner }]));
    // The HTML report's way: a base64 data URI of a zip.
    const report = zip([{ name: 'report.json', data: Buffer.from(JSON.stringify({ code })) }]);
    writeFileSync(path.join(planted, 'index.html'), `<script>window.data = "data:application/zip;base64,${report.toString('base64')}";</script>`);
    // Base64 at an offset that is not a multiple of 3.
    writeFileSync(path.join(planted, 'blob.json'), JSON.stringify({ b: Buffer.from(`xy${token}`).toString('base64') }));

    const found = scan([{ name: 'stdout', text: `ok\n${SECRET}\n` }], [planted], [
      { label: 'client secret', value: SECRET },
      { label: 'code', value: code },
      { label: 'token', value: token },
    ]);
    assert.deepEqual(leaksOf(found, planted).sort(), [
      'blob.json: token',
      'deep/trace.zip!inner.zip!resources/x.dat: client secret',
      'index.html#data-uri-1!report.json: code',
      'plain.txt: token',
      'stdout: client secret',
    ]);
  });

  it('looks for a secret as written, URL-encoded, JSON-escaped and base64-encoded at each offset', () => {
    const forms = formsOf('a/b c"d+e=f');
    for (const form of ['a/b c"d+e=f', 'a%2Fb%20c%22d%2Be%3Df', 'a%2Fb+c%22d%2Be%3Df', 'a/b c\\"d+e=f']) assert.ok(forms.includes(form), form);
    for (const pad of ['', 'x', 'xy']) {
      const b64 = Buffer.from(`${pad}a/b c"d+e=f!`).toString('base64');
      assert.ok(
        forms.some((f) => b64.includes(f) && f.length >= 8),
        `no base64 form found in ${b64}`,
      );
    }
  });
});

/** Every attachment with a body in a JSON report, decoded. */
function attachmentsOf(report: unknown): Array<{ name: string; text: string }> {
  const out: Array<{ name: string; text: string }> = [];
  const visit = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value !== null && typeof value === 'object') {
      const { attachments } = value as { attachments?: Array<{ name: string; body?: string }> };
      for (const a of Array.isArray(attachments) ? attachments : []) if (a.body !== undefined) out.push({ name: a.name, text: Buffer.from(a.body, 'base64').toString('utf8') });
      Object.values(value).forEach(visit);
    }
  };
  visit(report);
  return out;
}

/** A zip file of deflated entries (enough for the reader; CRCs are right, so `unzip -t` agrees). */
function zip(entries: ReadonlyArray<{ name: string; data: Buffer }>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const { name, data } of entries) {
    const packed = deflateRawSync(data);
    const nameBytes = Buffer.from(name, 'utf8');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, packed);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + packed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

function crc32(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return (crc ^ 0xffffffff) >>> 0;
}
