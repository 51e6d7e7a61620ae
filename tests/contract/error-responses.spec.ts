/**
 * Every documented error response, per locale: the recipe's request, then status, Content-Type,
 * schema, documented values and `error_uri` of the answer; then the same request in XML and
 * with no Accept preference must carry the same members.
 */
import path from 'node:path';
import { DOCS_DIR as DOCS } from '../../scripts/lib/util.ts';
import { SOURCE_ATTACHMENT } from '../../scripts/suite/github-reporter.ts';
import { locationsFromEnv } from '../../scripts/suite/locations.ts';
import { runCases, runDocsCheck, runsLocale } from '../../scripts/suite/prepared.ts';
import { missingSettings, skipReason } from '../../scripts/suite/settings.ts';
import { NOTE } from '../../scripts/suite/summary-reporter.ts';
import { attachText, expect, matchesSchema, test, type Documented } from '../fixtures.ts';

/**
 * Whether a list of problem lines (null: none) has one. Only such a list goes through `expect`,
 * whose failure then reads as it always did: a passing `expect` is a step Playwright records,
 * with a stack trace it resolves through source maps, which is most of a test's own time.
 */
const anyProblem = (problems: ReadonlyArray<string | null>) => problems.some((p) => p !== null);

/** Attaches what was sent and what came back, masked (scripts/suite/send.ts), for whoever reads the report. */
function attachExchange(name: string, record: { request: string; answer: string }): void {
  attachText(`${name}: request`, record.request);
  attachText(`${name}: answer`, record.answer);
}

/** The checks and the request sender: loaded by the first test that sends, never by Playwright's runner, which only lists the tests. */
const checksAndSend = () => Promise.all([import('../../scripts/suite/check.ts'), import('../../scripts/suite/send.ts')]);

/**
 * The body the schema checks: the answer itself, or, when its `error_uri` passed as GitHub's
 * recorded value (checked above), with the documented one in its place, since the schema pins
 * the documented `error_uri` and everything else still has to hold.
 */
function schemaView(body: Record<string, unknown>, githubErrorUri: boolean, documented: unknown): Record<string, unknown> {
  return githubErrorUri ? { ...body, error_uri: documented } : body;
}

for (const kase of runCases().cases) {
  for (const locale of kase.locales.filter(runsLocale)) {
    const source = kase.sources.find((s) => s.locale === locale);
    // Where a failure points: the doc line of this response (a case always has a source in each of its locales).
    const documented: Documented | undefined = source ? { file: source.file, line: source.line, locale, error: kase.error } : undefined;
    const docsPlace = source ? { file: path.join(locationsFromEnv(process.env).docs, source.file), line: source.line, column: 1 } : undefined;

    const selected = kase.request.selectedBy ? ` with ${kase.request.selectedBy}` : '';
    test(`[${locale}] ${kase.error} · ${kase.request.method} ${kase.request.path}${selected}`, async ({ target }) => {
      // Where this response is documented, as data for the reporters that point at the docs.
      if (source) attachText(SOURCE_ATTACHMENT, JSON.stringify({ file: source.file, line: source.line }), 'application/json');
      test.skip(target.baseUrl === null, skipReason(['baseUrl']));
      const missing = missingSettings(kase.needs, target);
      test.skip(missing.length > 0, skipReason(missing));
      const [{ acceptedAnchor, anchorVerdict, checkContentType, checkErrorUriAs, checkMembers, checkSameAs, checkStatus, checkValues, decodeUtf8, negotiationFor, negotiationsOf, parseBody, readRedirect }, { prepare, send }] =
        await checksAndSend();
      // A table row documents no path: any permalink of its page leads to its heading.
      const anyPermalink = kase.documented.form === 'table';
      const documentedUri = kase.expected['error_uri'] ?? `${kase.errorUri.path}#${kase.errorUri.fragment}`;
      const baseUrl = target.baseUrl ?? '';
      // What the docs model says of the documented fragment; noted up front so a failing server does not hide it.
      const docs = runDocsCheck();
      const accepted = docs.ok && source ? acceptedAnchor(docs.report.accepted, source) : null;
      const verdict = anchorVerdict(kase, locale, DOCS, accepted);
      if (verdict.ok && verdict.note) test.info().annotations.push({ type: NOTE, description: `[${locale}] ${kase.error}: ${verdict.note}` });

      // A redirect carries the error in its query: there is no body format to negotiate.
      const redirects = kase.request.answer === 'redirect';
      const negotiations = redirects ? [negotiationFor(kase.request.accept)] : negotiationsOf(kase.request.accept);
      const first = negotiations[0];
      let documentedAnswer: Record<string, unknown> = {};
      for (const negotiation of negotiations) {
        const title = `${negotiation.format} answer (${negotiation.accept ? `Accept: ${negotiation.accept}` : 'no Accept header'})`;
        // The step is placed at the doc line it holds the server to.
        await test.step(title, async () => {
          // A device code (or the like) for this request alone, and the steps that put it in the fault's state.
          const prepared = await prepare(baseUrl, target, kase, negotiation);
          for (const { name, ...record } of prepared.exchanges) attachExchange(`${title}, ${name}`, record);
          if (!prepared.ok && 'skip' in prepared) return test.skip(true, prepared.skip);
          if (!prepared.ok) return expect([prepared.problem]).toHaveNoProblems(documented);
          const sent = await send(baseUrl, target, kase, negotiation, undefined, prepared.fill);
          attachExchange(title, sent.exchange);
          // Every failure names the doc, the locale and the request, masked.
          const where = documented && { ...documented, request: sent.shown };
          // What went wrong on the wire stands alone: which request, what the server did, what was expected.
          const wire = (problem: string | null) => (problem === null ? null : `${sent.tag}: ${problem}`);
          if (!sent.ok) return expect([wire(sent.problem)]).toHaveNoProblems(where);
          const { answer } = sent;
          const status = [wire(checkStatus(kase.request.status, answer.status, answer.headers['location'], sent.url))];
          if (anyProblem(status)) expect(status).toHaveNoProblems(where);
          if (redirects) {
            const state = sent.form.find(([name]) => name === 'state')?.[1] ?? null;
            const read = readRedirect(answer.headers['location'], target.callbackUrl, state);
            if (read.problems.length > 0 || !read.body) return expect(read.problems.map(wire)).toHaveNoProblems(where);
            const values = checkValues(kase.expected, read.body);
            if (anyProblem(values)) expect(values).toHaveNoProblems(where);
            const errorUri = checkErrorUriAs(read.body['error_uri'], kase.request, kase.errorUri, target.docsOrigin, anyPermalink);
            if (errorUri.note) test.info().annotations.push({ type: NOTE, description: `[${locale}] ${kase.error}: ${errorUri.note}` });
            if (anyProblem(errorUri.problems)) expect(errorUri.problems).toHaveNoProblems(where);
            const body = schemaView(read.body, errorUri.note !== null, documentedUri);
            if (!matchesSchema(kase.schema.$id, body)) expect(body).toMatchSchema(kase.schema.$id, where);
            return;
          }
          const contentType = [wire(checkContentType(negotiation, answer.headers['content-type'], answer.body))];
          if (anyProblem(contentType)) expect(contentType).toHaveNoProblems(where);
          const text = decodeUtf8(answer.body);
          if (!text.ok) return expect([wire(text.problem)]).toHaveNoProblems(where);
          const parsed = parseBody(negotiation.format, text.text);
          if (!parsed.ok) return expect([wire(parsed.problem)]).toHaveNoProblems(where);
          if (negotiation === first) {
            // Most telling first: the documented values (is it even this error?), then exactly which part
            // of `error_uri` is wrong (the schema's pattern cannot say), then the schema for the rest.
            const values = checkValues(kase.expected, parsed.body);
            if (anyProblem(values)) expect(values).toHaveNoProblems(where);
            const errorUri = checkErrorUriAs(parsed.body['error_uri'], kase.request, kase.errorUri, target.docsOrigin, anyPermalink);
            if (errorUri.note) test.info().annotations.push({ type: NOTE, description: `[${locale}] ${kase.error}: ${errorUri.note}` });
            if (anyProblem(errorUri.problems)) expect(errorUri.problems).toHaveNoProblems(where);
            const members = checkMembers(kase.request.members, parsed.body, prepared.issued);
            if (anyProblem(members)) expect(members).toHaveNoProblems(where);
            const body = schemaView(parsed.body, errorUri.note !== null, documentedUri);
            if (negotiation.format === 'json' && !matchesSchema(kase.schema.$id, body)) expect(body).toMatchSchema(kase.schema.$id, where);
            documentedAnswer = parsed.body;
          } else {
            const same = checkSameAs(Object.keys(kase.expected), documentedAnswer, parsed.body, negotiation.format.toUpperCase());
            if (anyProblem(same)) expect(same).toHaveNoProblems(where);
          }
        }, docsPlace ? { location: docsPlace } : {});
      }

      // The documented fragment must lead, by the docs model, to the section documenting this error.
      if (!verdict.ok) expect([verdict.problem]).toHaveNoProblems(documented);
    });
  }
}
