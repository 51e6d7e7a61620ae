/**
 * What the device flow promises past its documented errors: once the user approves (the
 * profile's `succeeds_after` steps, a test-only hook), the same poll gets a token, and a device
 * code is good for one token only. One test per such case, in the first locale documenting it
 * (of those the run tests).
 */
import { DOCS_DIR as DOCS } from '../../scripts/lib/util.ts';
import { SOURCE_ATTACHMENT } from '../../scripts/suite/github-reporter.ts';
import { runCases, runsLocale } from '../../scripts/suite/prepared.ts';
import { missingSettings, skipReason } from '../../scripts/suite/settings.ts';
import { attachText, expect, test } from '../fixtures.ts';

for (const kase of runCases().cases.filter((c) => c.request.succeedsAfter.length > 0)) {
  const locale = kase.locales.find(runsLocale);
  if (locale === undefined) continue;
  const source = kase.sources.find((s) => s.locale === locale);
  const doc = source ? `${DOCS}/${source.file}:${source.line}` : kase.page;
  const steps = kase.request.succeedsAfter.map((s) => (s.kind === 'hook' ? `\`${s.name}\`` : 'a repeat')).join(', ');

  test(`[${locale}] after ${steps}, the \`${kase.error}\` poll gets a token, once · ${kase.request.method} ${kase.request.path}`, async ({ target }) => {
    if (source) attachText(SOURCE_ATTACHMENT, JSON.stringify({ file: source.file, line: source.line }), 'application/json');
    test.skip(target.baseUrl === null, skipReason(['baseUrl']));
    const missing = missingSettings(kase.needs, target);
    test.skip(missing.length > 0, skipReason(missing));
    const [{ decodeUtf8, negotiationFor, parseBody }, { prepare, send }] = await Promise.all([import('../../scripts/suite/check.ts'), import('../../scripts/suite/send.ts')]);
    const baseUrl = target.baseUrl ?? '';
    const negotiation = negotiationFor('application/json');
    const where = `the device flow past \`${kase.error}\` (${doc}, ${locale})`;
    const prepared = await prepare(baseUrl, target, { ...kase, request: { ...kase.request, prepare: kase.request.succeedsAfter } }, negotiation);
    if (!prepared.ok && 'skip' in prepared) return test.skip(true, prepared.skip);
    if (!prepared.ok) return expect([prepared.problem], where).toHaveNoProblems();

    /** The members of a JSON answer, or the one-line reason there are none. */
    const poll = async () => {
      const sent = await send(baseUrl, target, kase, negotiation, undefined, prepared.fill);
      if (!sent.ok) return { tag: sent.tag, problem: sent.problem, body: null };
      const text = decodeUtf8(sent.answer.body);
      const parsed = text.ok ? parseBody('json', text.text) : null;
      if (!parsed?.ok) return { tag: sent.tag, problem: `status ${sent.answer.status} with a body that is not JSON`, body: null };
      return { tag: sent.tag, problem: null, status: sent.answer.status, body: parsed.body };
    };
    const first = await poll();
    const token = first.body && typeof first.body['access_token'] === 'string' && first.body['error'] === undefined;
    if (!token) {
      const what = first.problem ?? `status ${first.status ?? '?'}${typeof first.body?.['error'] === 'string' ? ` with \`error\` \`${first.body['error']}\`` : ' without an `access_token`'}`;
      return expect([`${first.tag}: after ${steps}, the poll answered ${what}; expected 200 with an \`access_token\``], where).toHaveNoProblems();
    }
    const second = await poll();
    const again = second.body && typeof second.body['access_token'] === 'string';
    const problems = [
      again ? `${second.tag}: the same device code was exchanged a second time for a token; a device code is good for one token, then the server must answer a documented error` : null,
      !again && typeof second.body?.['error'] !== 'string' ? `${second.tag}: the second poll with a spent device code answered ${second.problem ?? `status ${second.status ?? '?'} without a string \`error\``}; expected a documented error` : null,
    ];
    expect(problems, where).toHaveNoProblems();
  });
}
