/**
 * Links of one page in one locale: internal links are absolute (`/…`), and the `#fragment` of a
 * link to this page or another page of the docs tree names a heading there, as the reader's
 * browser sees the ids (the contract's per-page ids). `error_uri` anchors are the contract's job.
 */
import { nearestId, sectionsFor, type PageIds } from '../anchors.ts';
import type { Contract, PageLocale, PageSummary } from '../contract.ts';
import { normalizeDocsPath, pageName } from '../error-uri.ts';
import type { Link, PageModel } from '../model.ts';
import { dataKind } from '../util.ts';
import { finding, type Finding } from './types.ts';

/**
 * Checks the links of each page against the pages of the contract; `dataIds` are the ids of pages
 * the site builds from data rather than headings (GraphQL reference pages), by page.
 */
export function checkLinks(models: readonly PageModel[], contract: Contract, dataIds: ReadonlyMap<string, ReadonlySet<string>> = new Map()): Finding[] {
  const out: Finding[] = [];
  const byPermalink = pagesByPermalink(contract.pages);
  const byPage = new Map(contract.pages.map((p) => [p.page, p]));

  for (const model of models) {
    const referenced = new Set(model.links.filter((l) => l.kind === 'reference').map((l) => l.url));
    for (const link of model.links) {
      // A reference-style link is checked once, where its target is written: at its definition.
      if (link.kind === 'reference') continue;
      const place = { file: model.file, line: link.line, column: link.column, locale: model.locale };
      const url = link.url.trim();
      if (url === '' || /^[a-z][a-z\d+.-]*:/i.test(url) || url.startsWith('//')) continue; // external, mail…
      const hash = url.indexOf('#');
      const pathPart = hash === -1 ? url : url.slice(0, hash);
      const fragment = hash === -1 ? '' : decode(url.slice(hash + 1));
      if (pathPart !== '' && !pathPart.startsWith('/')) {
        out.push(
          finding(place, 'error', 'link-not-absolute', `Link \`${url}\` is relative, so it breaks across versions and locales; write it from the docs root: \`${absolute(model.page, url)}\`.`),
        );
        continue;
      }
      if (fragment === '') continue;
      const target = pathPart === '' ? byPage.get(model.page) : pageAt(byPermalink, pathPart.replace(/\?.*$/, ''));
      if (!target) {
        out.push(
          finding(place, 'warning', 'anchor-unverifiable', `Link \`${url}\` points at \`${pathPart}\`, a page that is not in the docs tree, so anchor \`#${fragment}\` cannot be checked. Add that page to the docs to check it.`),
        );
        continue;
      }
      const entry = localeOf(target, model.locale, contract.sourceLocale);
      const ids = (entry?.sections ?? []).map((s) => s.ids);
      if (sectionsFor(ids, fragment).length > 0 || entry?.otherIds.includes(fragment)) continue;
      const inReusable = link.reusable ? ` (in ${dataKind(link.reusable)} \`${link.reusable}\`)` : '';
      const fromData = dataIds.get(target.page);
      if (fromData) {
        if (fromData.has(fragment)) continue;
        out.push(finding(place, 'error', 'missing-anchor', `${missingMessage(link, fragment, target, [...fromData].map((id) => [{ id, source: 'slug' as const }]))} The site builds this page's ids from the GraphQL schema in \`data/graphql/\`.${inReusable ? ` Link${inReusable}.` : ''}`));
        continue;
      }
      if (entry?.idsUnknown) {
        out.push(
          finding(place, 'warning', 'anchor-unverifiable', `Link \`${url}\`${inReusable} points at \`${pathPart || `/${model.page}`}\`, whose headings the site builds in part from data or templates the docs tree does not hold (REST, GraphQL, landing pages…), so anchor \`#${fragment}\` cannot be checked.`),
        );
        continue;
      }
      // A definition no link uses shows nothing to a reader: deleting it is the fix as much as the anchor.
      const unused = link.kind === 'definition' && !referenced.has(link.url) ? ' No link on the page uses this reference definition: delete it, or fix its anchor.' : '';
      out.push(finding(place, 'error', 'missing-anchor', `${missingMessage(link, fragment, target, ids)}${inReusable ? ` Link${inReusable}.` : ''}${unused}`));
    }
  }
  return out;
}

/** Every page of the contract by each of its permalinks, normalised (`/<page>` and every `redirect_from`). */
export function pagesByPermalink(pages: readonly PageSummary[]): Map<string, PageSummary> {
  const byPermalink = new Map<string, PageSummary>();
  for (const page of pages) for (const link of page.permalinks) byPermalink.set(normalizeDocsPath(link), page);
  return byPermalink;
}

/**
 * The page a docs path leads to on the site: by its permalinks and `redirect_from`, else by the
 * site's legacy redirect of `/enterprise/<version>/admin/guides/…` to `/admin/…`; undefined when none.
 */
export function pageAt(byPermalink: ReadonlyMap<string, PageSummary>, docsPath: string): PageSummary | undefined {
  const normal = normalizeDocsPath(docsPath.replace(/\/{2,}/g, '/'));
  return byPermalink.get(normal) ?? (normal.startsWith('/admin/guides/') ? byPermalink.get(normal.replace('/admin/guides/', '/admin/')) : undefined);
}

/** The target page as a reader sees it: in the linking locale, else the source locale, else the first. */
function localeOf(target: PageSummary, locale: string, sourceLocale: string | null): PageLocale | undefined {
  return target.locales[locale] ?? (sourceLocale ? target.locales[sourceLocale] : undefined) ?? Object.values(target.locales)[0];
}

function missingMessage(link: Link, fragment: string, target: PageSummary, ids: PageIds): string {
  const near = nearestId(ids, fragment);
  const name = link.url.startsWith('#') ? 'this page' : `\`${pageName(target.page)}\``;
  return `Link anchor \`#${fragment}\` matches no heading of ${name}${near ? `; did you mean \`#${near}\`?` : '; add the heading or fix the anchor.'}`;
}

/** A relative link resolved against the page's own path, without a `.md` extension. */
function absolute(page: string, url: string): string {
  let resolved: URL;
  try {
    resolved = new URL(url, `https://docs.invalid/${page}`);
  } catch {
    return `/${url.replace(/^(?:\.\.?\/)+/, '')}`;
  }
  const pathname = decode(resolved.pathname).replace(/\.md$/, '').replace(/\/index$/, '') || '/';
  return `${pathname}${resolved.search}${resolved.hash}`;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
