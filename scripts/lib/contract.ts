/**
 * Contract stage: page models of every locale → one documented response per (page, error),
 * with provenance, anchor resolution and a diagnostic for every disagreement. Pure.
 */
import { browserIds, nearestId, otherIds, sectionsFor, type PageIds, type SectionId } from './anchors.ts';
import { compare, diagnostic, where, type Diagnostic, type Place } from './diagnostics.ts';
import { DOCS_ORIGIN, isUriReference, normalizeDocsPath, pageName, parseErrorUri, percentEncode, type ErrorUri } from './error-uri.ts';
import type { PageModel } from './model.ts';
import { canonicalJson } from './stable-json.ts';
import { isRecord } from './util.ts';

/** Where one locale documents a response. */
export interface Provenance {
  locale: string;
  file: string;
  line: number;
  /** The section holding the example, or null when it sits before the first heading. */
  section: { heading: string; line: number } | null;
}

/**
 * How the `error_uri` fragment resolves in one locale:
 * - confirmed: it is an id the browser sees on the section that documents this error;
 * - inferred: no source locale; the section holding this example is taken to carry it;
 * - heading-only: it names a heading, but that page has no example of this error to confirm it;
 * - unverifiable: the page it points at is not in the docs tree;
 * - missing: it names no heading of the target page;
 * - wrong-section: it names a heading that documents something else.
 */
export type AnchorStatus = 'confirmed' | 'inferred' | 'heading-only' | 'unverifiable' | 'missing' | 'wrong-section';

/** The anchor check of one documented response in one locale. */
export interface AnchorCheck {
  locale: string;
  status: AnchorStatus;
  /** Page the `error_uri` path points at, or null when it is not in the tree. */
  targetPage: string | null;
  /** The heading the fragment names, when one does. */
  section?: { file: string; line: number; heading: string; idSource: SectionId['source'] };
  /** One sentence for reports. */
  detail: string;
}

/** One documented error response of one page, merged across locales. */
export interface DocumentedResponse {
  page: string;
  error: string;
  /** The documented body (source locale's, else the first locale's). */
  body: Record<string, unknown>;
  errorUri: ErrorUri | null;
  /** Section heading and first paragraph, from the same locale as the body. */
  heading: string;
  description: string;
  provenance: Provenance[];
  anchors: AnchorCheck[];
  /** How the example is written: a ```json body, a redirect URL with the members in its query, or a row of an error-code table. */
  form: 'json' | 'redirect' | 'table';
  /** Request members the answer carries back (a redirect's `state`). */
  echoes: string[];
}

/** A section as the contract records it: its ids and the errors documented in it. */
export interface SectionSummary {
  index: number;
  depth: number;
  heading: string;
  line: number;
  ids: SectionId[];
  errors: string[];
}

/** One locale of a page in the contract. */
export interface PageLocale {
  file: string;
  sections: SectionSummary[];
  /** Ids the page answers to outside its sections (HTML ids, other version branches). */
  otherIds: string[];
  /** The page's headings come from data the site computes: which ids it has cannot be known. */
  idsUnknown: boolean;
  /** `ms.openlocfilehash`, when the page has one. */
  openLocFileHash?: string;
  /** Whether that hash is the current source file's; null when there is no source to compare with. */
  current?: boolean | null;
}

/** A page of the docs, with its permalinks and every locale it exists in. */
export interface PageSummary {
  page: string;
  permalinks: string[];
  locales: Record<string, PageLocale>;
}

/** The merged model the writers and checks consume. */
export interface Contract {
  sourceLocale: string | null;
  locales: string[];
  pages: PageSummary[];
  responses: DocumentedResponse[];
}

/** An example recognised as an error response. */
interface ErrorExample {
  model: PageModel;
  block: PageModel['jsonBlocks'][number];
  body: Record<string, unknown>;
  error: string;
  uri: ErrorUri | null;
}

/** What every stage of the contract looks up: the models by page, their error examples and browser ids, the permalinks. */
interface ContractIndex {
  sourceLocale: string | null;
  locales: string[];
  byPage: Map<string, PageModel[]>;
  /** Sorted by page; `locales` left empty. */
  pages: PageSummary[];
  permalinkIndex: Map<string, string>;
  ids: Map<PageModel, PageIds>;
  examples: Map<PageModel, ErrorExample[]>;
}

/** Builds the contract from every page model of the tree. */
export function buildContract(models: readonly PageModel[], sourceLocale: string | null): { contract: Contract; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const index = indexContract(models, sourceLocale, diagnostics);
  for (const summary of index.pages) summarizeLocales(index, summary, diagnostics);
  const responses: DocumentedResponse[] = [];
  for (const summary of index.pages) responses.push(...pageResponses(index, summary.page, diagnostics));
  return { contract: { sourceLocale, locales: index.locales, pages: index.pages, responses }, diagnostics };
}

/** Classifies every JSON example, collects every page's permalinks and works out the ids browsers see. */
function indexContract(models: readonly PageModel[], sourceLocale: string | null, diagnostics: Diagnostic[]): ContractIndex {
  const byPage = groupBy(models, (m) => m.page);
  const locales = [...new Set(models.map((m) => m.locale))].sort(compare);

  // Per file: classify the JSON blocks.
  const examples = new Map<PageModel, ErrorExample[]>();
  for (const model of models) examples.set(model, classify(model, diagnostics));

  // Permalinks: `/<page>` and every redirect_from of any locale.
  const pages: PageSummary[] = [];
  const permalinkIndex = new Map<string, string>();
  for (const [page, group] of byPage) {
    const links = new Set<string>([`/${page}`]);
    for (const m of group) {
      const redirects = m.frontMatter?.['redirect_from'];
      const list = typeof redirects === 'string' ? [redirects] : Array.isArray(redirects) ? redirects : [];
      for (const r of list) if (typeof r === 'string') links.add(r);
    }
    const permalinks = [...links].sort(compare);
    for (const link of permalinks) permalinkIndex.set(normalizeDocsPath(link), page);
    pages.push({ page, permalinks, locales: {} });
  }
  pages.sort((a, b) => compare(a.page, b.page));

  // Ids as the browser sees them, per page and locale.
  const ids = new Map<PageModel, PageIds>();
  for (const model of models) {
    const source = sourceLocale && model.locale !== sourceLocale ? (byPage.get(model.page)?.find((m) => m.locale === sourceLocale) ?? null) : null;
    const pageIds = browserIds(model, source);
    if (!sourceLocale) {
      // No source locale: a section whose example points at this very page with fragment F is taken to be `#F`.
      for (const ex of examples.get(model) ?? []) {
        if (ex.block.section === null || !ex.uri?.fragment) continue;
        if (permalinkIndex.get(normalizeDocsPath(ex.uri.path)) !== model.page) continue;
        const list = pageIds[ex.block.section];
        if (list && !sectionsFor(pageIds, ex.uri.fragment).length) list.push({ id: ex.uri.fragment, source: 'inferred' });
      }
    }
    ids.set(model, pageIds);
    examples.set(model, (examples.get(model) ?? []).flatMap((ex) => (ex.block.form === 'table' ? errorTableRow(ex, pageIds) : [ex])));
  }
  return { sourceLocale, locales, byPage, pages, permalinkIndex, ids, examples };
}

/** Fills in each locale of a page: its sections with their ids and errors, and whether the translation is current. */
function summarizeLocales(index: ContractIndex, summary: PageSummary, diagnostics: Diagnostic[]): void {
  const { byPage, ids, examples, sourceLocale } = index;
  for (const model of byPage.get(summary.page) ?? []) {
    checkLocale(model, diagnostics);
    const pageIds = ids.get(model) ?? [];
    const source = sourceLocale ? byPage.get(summary.page)?.find((m) => m.locale === sourceLocale) : undefined;
    const errorsIn = new Map<number, string[]>();
    for (const ex of examples.get(model) ?? []) {
      if (ex.block.section !== null) errorsIn.set(ex.block.section, [...(errorsIn.get(ex.block.section) ?? []), ex.error]);
    }
    const entry: PageLocale = {
      file: model.file,
      sections: model.sections.map((s) => ({
        index: s.index,
        depth: s.depth,
        heading: s.heading,
        line: s.line,
        ids: pageIds[s.index] ?? [],
        errors: errorsIn.get(s.index) ?? [],
      })),
      otherIds: otherIds(model, source && model.locale !== sourceLocale ? source : null),
      idsUnknown: model.dataDriven,
    };
    const hash = model.frontMatter?.['ms.openlocfilehash'];
    if (typeof hash === 'string') {
      entry.openLocFileHash = hash;
      entry.current = source && model.locale !== sourceLocale ? hash === source.crlfSha1 : null;
    }
    summary.locales[model.locale] = entry;
  }
}

/** The documented responses of one page, its examples merged across locales: one per error, in error order. */
function pageResponses(index: ContractIndex, page: string, diagnostics: Diagnostic[]): DocumentedResponse[] {
  const { byPage, examples, sourceLocale } = index;
  const responses: DocumentedResponse[] = [];
  const group = [...(byPage.get(page) ?? [])].sort(localeOrder(sourceLocale));
  const byError = new Map<string, ErrorExample[]>();
  for (const model of group) {
    const seen = new Map<string, ErrorExample>();
    for (const ex of examples.get(model) ?? []) {
      const earlier = seen.get(ex.error);
      if (earlier) {
        diagnostics.push(
          diagnostic(placeOf(ex), 'error', 'duplicate-response', `\`${ex.error}\` is documented twice on this page (first at line ${earlier.block.line}); keep one example per error.`),
        );
        continue;
      }
      seen.set(ex.error, ex);
      byError.set(ex.error, [...(byError.get(ex.error) ?? []), ex]);
    }
  }
  for (const [error, list] of [...byError].sort(([a], [b]) => compare(a, b))) {
    const reference = list[0];
    if (!reference) continue;
    const referenceJson = canonicalJson(reference.body);
    for (const other of list.slice(1)) {
      if (canonicalJson(other.body) !== referenceJson) {
        diagnostics.push(
          diagnostic(placeOf(other), 'error', 'response-disagrees', `\`${error}\` example differs from ${reference.model.locale} (${where(placeOf(reference))}): ${describeDifference(reference.body, other.body)}. Make the example match the other locale; JSON examples are not translated.`, [placeOf(reference)]),
        );
      }
    }
    for (const model of group) {
      if (!list.some((ex) => ex.model === model)) {
        diagnostics.push(
          diagnostic({ file: model.file, line: 1, locale: model.locale }, 'error', 'response-missing', `\`${error}\` is documented in ${reference.model.locale} (${where(placeOf(reference))}) but not in this ${model.locale} page; add its example.`, [placeOf(reference)]),
        );
      }
    }
    const section = reference.block.section === null ? undefined : reference.model.sections[reference.block.section];
    responses.push({
      page,
      error,
      body: reference.body,
      errorUri: reference.uri,
      heading: section?.heading ?? '',
      description: reference.block.description ?? section?.firstParagraph ?? '',
      provenance: list.map((ex) => ({
        locale: ex.model.locale,
        file: ex.model.file,
        line: ex.block.line,
        section: ex.block.section === null ? null : { heading: ex.model.sections[ex.block.section]?.heading ?? '', line: ex.model.sections[ex.block.section]?.line ?? 0 },
      })),
      anchors: list.map((ex) => checkAnchor(ex, index, diagnostics)),
      form: reference.block.form ?? 'json',
      echoes: reference.block.echoes ?? [],
    });
  }
  return responses;
}

/**
 * A table row as a documented response, when its table documents errors: its section's id (the
 * one the browser sees, so a translation's is the source's) names errors, as in
 * `#error-codes-for-the-device-flow`. The docs write no `error_uri` for a row: the section's
 * heading is its anchor. Any other table of snake_case codes (audit-log actions) is no contract.
 */
function errorTableRow(ex: ErrorExample, pageIds: PageIds): ErrorExample[] {
  const id = ex.block.section === null ? undefined : pageIds[ex.block.section]?.[0]?.id;
  if (id === undefined || !/(?:^|-)errors?(?:-|$)/.test(id)) return [];
  return [{ ...ex, uri: { origin: null, path: `/${ex.model.page}`, fragment: id } }];
}

/** Sorts a page's locales: the source locale first, then by code. */
function localeOrder(sourceLocale: string | null) {
  return (a: PageModel, b: PageModel) => (a.locale === sourceLocale ? -1 : b.locale === sourceLocale ? 1 : compare(a.locale, b.locale));
}

/** Error examples of one file; every other JSON block is reported. */
function classify(model: PageModel, diagnostics: Diagnostic[]): ErrorExample[] {
  const out: ErrorExample[] = [];
  // Other JSON is reported only on a page that documents error responses: on a general docs page it is the norm.
  const notResponses: Diagnostic[] = [];
  for (const block of model.jsonBlocks) {
    if (!('value' in block)) continue; // already reported as json-syntax
    const place = { file: model.file, line: block.line, column: block.column, locale: model.locale };
    const value = block.value;
    const sectionName = block.section === null ? 'before the first heading' : `under \`${model.sections[block.section]?.heading ?? ''}\``;
    if (!isRecord(value) || typeof value['error'] !== 'string') {
      notResponses.push(
        diagnostic(place, 'warning', 'json-not-response', `JSON example ${sectionName} is not an error response (no string \`error\` member), so it is not part of the contract. Remove it if it does not belong on this page, or mark the fence as another language.`),
      );
      continue;
    }
    const error = value['error'];
    if (block.form === 'table') {
      // Its members come from the section it is in (see errorTableRow), once ids are known.
      out.push({ model, block, body: value, error, uri: null });
      continue;
    }
    const missing = ['error_description', 'error_uri'].filter((k) => typeof value[k] !== 'string');
    if (missing.length > 0) {
      diagnostics.push(
        diagnostic(place, 'error', 'error-example-fields', `\`${error}\` example ${sectionName} lacks string ${missing.map((k) => `\`${k}\``).join(' and ')}; an error response documents \`error\`, \`error_description\` and \`error_uri\`.`),
      );
    }
    let uri: ErrorUri | null = null;
    if (typeof value['error_uri'] === 'string') {
      uri = parseErrorUri(value['error_uri']);
      if (!uri || !uri.fragment) {
        diagnostics.push(
          diagnostic(place, 'error', 'error-uri-invalid', `\`error_uri\` \`${value['error_uri']}\` of \`${error}\` is not a docs path with a \`#fragment\`; write it as \`/<page path>#<heading id>\`.`),
        );
        uri = uri?.fragment ? uri : null;
      } else if (uri.origin !== null && uri.origin !== DOCS_ORIGIN) {
        // Compared whole: `https://docs.github.com.evil.example` starts like the docs origin but is another host.
        diagnostics.push(
          diagnostic(place, 'error', 'error-uri-invalid', `\`error_uri\` \`${value['error_uri']}\` of \`${error}\` is on \`${uri.origin}\`, not on the docs origin \`${DOCS_ORIGIN}\`; write it as a docs path, \`/<page path>#<heading id>\`.`),
        );
        uri = null;
      } else if (!isUriReference(value['error_uri'])) {
        // No server can send it as written (RFC 6749 §5.2 wants a URI reference), and no schema can require it.
        const fixed = percentEncode(value['error_uri']);
        diagnostics.push(
          diagnostic(place, 'error', 'error-uri-invalid', `\`error_uri\` \`${value['error_uri']}\` of \`${error}\` is not a valid URI reference: spaces, non-ASCII characters and a second \`#\` must be percent-encoded${isUriReference(fixed) ? `, as in \`${fixed}\`` : ''}.`),
        );
        uri = null;
      }
    }
    out.push({ model, block, body: value, error, uri });
  }
  if (out.some((ex) => ex.block.form !== 'table')) diagnostics.push(...notResponses);
  return out;
}

/** Front-matter `ms.contentlocale` must agree with the folder. */
function checkLocale(model: PageModel, diagnostics: Diagnostic[]): void {
  const declared = model.frontMatter?.['ms.contentlocale'];
  if (typeof declared === 'string' && declared.toLowerCase() !== model.locale.toLowerCase()) {
    const line = model.frontMatterKeyLines['ms.contentlocale'] ?? 1;
    diagnostics.push(
      diagnostic({ file: model.file, line, locale: model.locale }, 'warning', 'locale-mismatch', `\`ms.contentlocale\` is \`${declared}\` but the page is in the \`${model.locale}\` folder; move the file to \`${declared}/\` or fix the key.`),
    );
  }
}

function checkAnchor(ex: ErrorExample, index: ContractIndex, diagnostics: Diagnostic[]): AnchorCheck {
  const { byPage, permalinkIndex, ids, examples, sourceLocale } = index;
  const locale = ex.model.locale;
  const place = placeOf(ex);
  if (!ex.uri) return { locale, status: 'missing', targetPage: null, detail: '`error_uri` is missing or invalid' };
  const fragment = ex.uri.fragment;
  const targetPage = permalinkIndex.get(normalizeDocsPath(ex.uri.path)) ?? null;
  if (targetPage === null) {
    // A page of the tree with the same last path segment is most likely the one meant, at a path it never had.
    const last = (p: string) => normalizeDocsPath(p).split('/').filter(Boolean).pop() ?? '';
    const namesake = index.pages.find((p) => last(p.page) === last(ex.uri?.path ?? ''));
    const message = namesake
      ? `\`error_uri\` of \`${ex.error}\` points at \`${ex.uri.path}\`, which is not one of the permalinks of \`${pageName(namesake.page)}\` (${namesake.permalinks.map((l) => `\`${l}\``).join(', ')}) nor of any other page, so anchor \`#${fragment}\` cannot be checked. Point it at one of those permalinks, or add the path to that page's \`redirect_from\`.`
      : `\`error_uri\` of \`${ex.error}\` points at \`${ex.uri.path}\`, a page that is not in the docs tree, so anchor \`#${fragment}\` cannot be checked. Add that page to the docs to check it.`;
    diagnostics.push(diagnostic(place, 'warning', 'anchor-unverifiable', message));
    return { locale, status: 'unverifiable', targetPage: null, detail: `\`${ex.uri.path}\` is not in the docs tree` };
  }
  const group = byPage.get(targetPage) ?? [];
  const target = group.find((m) => m.locale === locale) ?? group.find((m) => m.locale === sourceLocale) ?? group[0];
  if (!target) return { locale, status: 'unverifiable', targetPage, detail: 'target page has no file' };
  const pageIds = ids.get(target) ?? [];
  const named = sectionsFor(pageIds, fragment);
  const documenting = (examples.get(target) ?? []).find((other) => other.error === ex.error)?.block.section ?? null;
  const sectionInfo = (index: number) => {
    const section = target.sections[index];
    const id = pageIds[index]?.find((x) => x.id === fragment);
    return section && id ? { file: target.file, line: section.line, heading: section.heading, idSource: id.source } : undefined;
  };
  const name = pageName(targetPage);
  if (named.length === 0) {
    const near = nearestId(pageIds, fragment);
    diagnostics.push(
      diagnostic(place, 'error', 'missing-anchor', `\`error_uri\` anchor \`#${fragment}\` matches no heading of \`${name}\`${near ? `; did you mean \`#${near}\`?` : '; add the heading or fix the anchor.'}`),
    );
    return { locale, status: 'missing', targetPage, detail: `\`#${fragment}\` matches no heading of \`${name}\`` };
  }
  const first = named[0] ?? 0;
  const info = sectionInfo(first);
  const withInfo = (check: AnchorCheck): AnchorCheck => (info ? { ...check, section: info } : check);
  if (documenting === null) {
    return withInfo({ locale, status: 'heading-only', targetPage, detail: `\`#${fragment}\` names a heading of \`${name}\`, which has no \`${ex.error}\` example to confirm it` });
  }
  if (!named.includes(documenting)) {
    const right = target.sections[documenting];
    diagnostics.push(
      diagnostic(place, 'error', 'anchor-wrong-section', `\`error_uri\` anchor \`#${fragment}\` names \`${target.sections[first]?.heading ?? ''}\` (${target.file}:${target.sections[first]?.line ?? 0}), but \`${ex.error}\` is documented under \`${right?.heading ?? ''}\` (${target.file}:${right?.line ?? 0}); point the anchor at that heading.`),
    );
    return withInfo({ locale, status: 'wrong-section', targetPage, detail: `\`#${fragment}\` names another section than the one documenting \`${ex.error}\`` });
  }
  const id = pageIds[documenting]?.find((x) => x.id === fragment);
  const inferred = id?.source === 'inferred';
  const documentingInfo = sectionInfo(documenting);
  return {
    locale,
    status: inferred ? 'inferred' : 'confirmed',
    targetPage,
    ...(documentingInfo ? { section: documentingInfo } : {}),
    detail: inferred
      ? `no source locale: \`#${fragment}\` is taken to be the id of \`${documentingInfo?.heading ?? ''}\`, the section holding the example`
      : `\`#${fragment}\` is the id of \`${documentingInfo?.heading ?? ''}\`, which documents \`${ex.error}\``,
  };
}

function placeOf(ex: ErrorExample): Place & { column: number } {
  return { file: ex.model.file, line: ex.block.line, column: ex.block.column, locale: ex.model.locale };
}

/** First differing member of two bodies, as `` `key`: `a` → `b` ``. */
export function describeDifference(a: Record<string, unknown>, b: Record<string, unknown>): string {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort(compare);
  const parts: string[] = [];
  for (const key of keys) {
    const left = key in a ? JSON.stringify(a[key]) : '(absent)';
    const right = key in b ? JSON.stringify(b[key]) : '(absent)';
    if (left !== right) parts.push(`\`${key}\` is ${right} here, ${left} there`);
  }
  return parts.join('; ') || 'key order or formatting only';
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}
