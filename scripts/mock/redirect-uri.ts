/**
 * Whether a `redirect_uri` is allowed for an app's registered callback URL, by the rules
 * GitHub documents ("Authorizing OAuth apps", sections "Redirect URLs" and "Loopback
 * redirect urls"). Pure.
 *
 * - same scheme;
 * - same host, or a sub-domain of it ("host (excluding sub-domains)");
 * - same port, except for a loopback callback (`localhost`, `127.0.0.1`, `[::1]`),
 *   where any port is allowed;
 * - a path equal to the callback's or below it, segment by segment (`/path/sub`, never `/pathology`);
 * - no user name or password in it.
 */

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Whether `redirectUri` may be used with an app whose callback URL is `callbackUrl`. */
export function redirectUriAllowed(redirectUri: string, callbackUrl: string): boolean {
  const wanted = parseHttpUrl(redirectUri);
  const callback = parseHttpUrl(callbackUrl);
  if (!wanted || !callback) return false;
  if (wanted.protocol !== callback.protocol) return false;
  if (wanted.username !== '' || wanted.password !== '') return false;
  if (!hostAllowed(wanted.hostname, callback.hostname)) return false;
  if (wanted.port !== callback.port && !LOOPBACK.has(callback.hostname)) return false;
  const base = callback.pathname.replace(/\/+$/, '');
  return wanted.pathname === base || wanted.pathname.startsWith(`${base}/`);
}

function hostAllowed(host: string, callbackHost: string): boolean {
  if (host === callbackHost) return true;
  // Sub-domains exist only for names, not for IP literals.
  const isIp = /^\[.*\]$/.test(callbackHost) || /^[0-9.]+$/.test(callbackHost);
  return !isIp && host.endsWith(`.${callbackHost}`);
}

/** An absolute http(s) URL, or null. */
export function parseHttpUrl(value: string): URL | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
}
