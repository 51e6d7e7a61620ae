/**
 * `error_uri` values and docs permalinks: parsing, and matching a path against a page's permalinks.
 * Shared by the contract builder, the suite and the mock.
 */

import { fullFormats } from 'ajv-formats/dist/formats.js';

const URI_REFERENCE = fullFormats['uri-reference'] as RegExp;

/** An `error_uri` split into its parts. */
export interface ErrorUri {
  /** Scheme and host when absolute (`https://docs.github.com`), else null. */
  origin: string | null;
  /** Path as written, e.g. `/apps/x/`. */
  path: string;
  /** Fragment without `#`, or '' when there is none. */
  fragment: string;
}

/** Origin the real service makes `error_uri` absolute on, and where absolute values in the docs must point. */
export const DOCS_ORIGIN = 'https://docs.github.com';

/**
 * Splits an `error_uri`; null when it is neither an absolute http(s) URL nor a path starting with `/`.
 * An absolute one is parsed by the URL parser, so its origin is what a browser would visit; one with
 * userinfo (`https://docs.github.com@evil.example/`) is null: it only looks like the docs origin.
 */
export function parseErrorUri(value: string): ErrorUri | null {
  if (/^https?:\/\//i.test(value)) {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return null;
    }
    if (url.username !== '' || url.password !== '') return null;
    return { origin: url.origin, path: decodeSafe(url.pathname), fragment: decodeSafe(url.hash.replace(/^#/, '')) };
  }
  if (!value.startsWith('/') || value.startsWith('//')) return null;
  const hash = value.indexOf('#');
  const beforeHash = hash === -1 ? value : value.slice(0, hash);
  const query = beforeHash.indexOf('?');
  return {
    origin: null,
    path: decodeSafe(query === -1 ? beforeHash : beforeHash.slice(0, query)),
    fragment: hash === -1 ? '' : decodeSafe(value.slice(hash + 1)),
  };
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

const LANGUAGE_SEGMENT = /^\/[a-z]{2}(?:-[a-z]{2,4})?(?=\/|$)/i;
/** A version segment (`/enterprise-server@3.6`), or a legacy one the site still redirects (`/enterprise/2.22/user`, `/enterprise`). */
const VERSION_SEGMENT = /^\/(?:(?:free-pro-team|enterprise-server|enterprise-cloud|github-ae|enterprise)@[^/]+|enterprise(?:\/(?:\d+\.\d+|latest))?(?:\/user)?)(?=\/|$)/i;

/**
 * A docs path reduced to what identifies the page: no trailing slash, no leading
 * language segment (`/ru/`), no version segment (`/enterprise-server@3.6/`, legacy `/enterprise/…`), lower case.
 */
export function normalizeDocsPath(p: string): string {
  let out = p.replace(/\/+$/, '');
  out = out.replace(LANGUAGE_SEGMENT, '');
  out = out.replace(VERSION_SEGMENT, '');
  return (out || '/').toLowerCase();
}

/** Whether a path names one of the permalinks (each given as written in the docs). */
export function matchesPermalink(p: string, permalinks: readonly string[]): boolean {
  const wanted = normalizeDocsPath(p);
  return permalinks.some((link) => normalizeDocsPath(link) === wanted);
}

/** The last path segment, used to name a page briefly in messages. */
export function pageName(page: string): string {
  return page.split('/').filter(Boolean).pop() ?? page;
}

/** Whether a value is a URI reference (RFC 3986) by the same test the suite's Ajv `uri-reference` format applies. */
export function isUriReference(value: string): boolean {
  return URI_REFERENCE.test(value);
}

/** A value with what a URI reference may not hold percent-encoded (spaces, non-ASCII, a second `#`, a stray `%`), for "did you mean". */
export function percentEncode(value: string): string {
  const hash = value.indexOf('#');
  const encode = (s: string) =>
    s.replace(/%(?![0-9A-Fa-f]{2})/g, '%25').replace(/[^A-Za-z0-9\-._~!$&'()*+,;=:@/?%]/gu, (c) => {
      try {
        return encodeURIComponent(c);
      } catch {
        return '%EF%BF%BD'; // a lone surrogate: U+FFFD, as a UTF-8 encoder writes it
      }
    });
  return hash === -1 ? encode(value) : `${encode(value.slice(0, hash))}#${encode(value.slice(hash + 1))}`;
}
