/**
 * The target of the contract suite: which server, which registered app, which docs origin.
 * `npm test` passes these to Playwright through environment variables (never on a command
 * line, where the secret would be visible); the fixtures read them back.
 */
import { UsageError } from '../lib/util.ts';
import type { Setting } from '../lib/recipes.ts';
import { DEFAULT_DOCS_ORIGIN, SECRET_ENV } from '../mock/test-app.ts';

export { DEFAULT_DOCS_ORIGIN };

/** Default `--request-timeout`, in milliseconds, for one request. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

/** Environment variables carrying the settings from `npm test` to the Playwright workers. */
export const ENV = {
  baseUrl: 'DOCS_CONTRACT_BASE_URL',
  clientId: 'DOCS_CONTRACT_CLIENT_ID',
  clientSecret: SECRET_ENV,
  callbackUrl: 'DOCS_CONTRACT_CALLBACK_URL',
  docsOrigin: 'DOCS_CONTRACT_DOCS_ORIGIN',
  requestTimeout: 'DOCS_CONTRACT_REQUEST_TIMEOUT',
} as const;

/** What the suite tests against. A setting that was not given is null. */
export interface TargetSettings {
  baseUrl: string | null;
  clientId: string | null;
  clientSecret: string | null;
  callbackUrl: string | null;
  /** Origin (`scheme://host[:port]`) an absolute `error_uri` must be on. */
  docsOrigin: string;
  /** Longest wait for one response, in milliseconds. */
  requestTimeout: number;
}

/** How a user gives each setting, for skip reasons and messages. */
export const HOW_TO_GIVE: Record<Setting | 'baseUrl', string> = {
  baseUrl: 'pass `--base-url=URL` to `npm test`',
  clientId: 'pass `--client-id=ID` to `npm test`',
  clientSecret: 'set `OAUTH_CLIENT_SECRET` or pass `--client-secret` to `npm test`',
  callbackUrl: 'pass `--callback-url=URL` to `npm test`',
};

/** Human name of each setting. */
export const SETTING_NAMES: Record<Setting | 'baseUrl', string> = {
  baseUrl: 'the server URL',
  clientId: 'the client id',
  clientSecret: 'the client secret',
  callbackUrl: 'the registered callback URL',
};

/** Reads the settings from the environment; bad values are usage errors with the fix. */
export function settingsFromEnv(env: NodeJS.ProcessEnv): TargetSettings {
  const get = (name: string) => {
    const value = env[name];
    return value === undefined || value === '' ? null : value;
  };
  const baseUrl = get(ENV.baseUrl);
  const callbackUrl = get(ENV.callbackUrl);
  return {
    baseUrl: baseUrl === null ? null : checkUrl(baseUrl, '--base-url').replace(/\/+$/, ''),
    clientId: get(ENV.clientId),
    clientSecret: get(ENV.clientSecret),
    callbackUrl: callbackUrl === null ? null : checkUrl(callbackUrl, '--callback-url'),
    docsOrigin: originOf(get(ENV.docsOrigin) ?? DEFAULT_DOCS_ORIGIN),
    requestTimeout: parseTimeout(get(ENV.requestTimeout) ?? String(DEFAULT_REQUEST_TIMEOUT_MS)),
  };
}

/** The environment that carries `settings` (unset settings are removed, so a stale value cannot leak in). */
export function settingsToEnv(settings: TargetSettings, base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  const put = (name: string, value: string | null) => {
    if (value === null) delete env[name];
    else env[name] = value;
  };
  put(ENV.baseUrl, settings.baseUrl);
  put(ENV.clientId, settings.clientId);
  put(ENV.clientSecret, settings.clientSecret);
  put(ENV.callbackUrl, settings.callbackUrl);
  put(ENV.docsOrigin, settings.docsOrigin);
  put(ENV.requestTimeout, String(settings.requestTimeout));
  return env;
}

/** The settings a case needs that were not given. */
export function missingSettings(needs: readonly Setting[], settings: TargetSettings): Setting[] {
  return needs.filter((s) => settings[s] === null);
}

/** Why a test is skipped when settings are missing: what is missing and how to give it. */
export function skipReason(missing: ReadonlyArray<Setting | 'baseUrl'>): string {
  return `needs ${missing.map((s) => `${SETTING_NAMES[s]} (${HOW_TO_GIVE[s]})`).join(' and ')}`;
}

/** Parses `--request-timeout`: a positive whole number of milliseconds. */
export function parseTimeout(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n <= 0) {
    throw new UsageError(`--request-timeout must be a positive whole number of milliseconds, not \`${value}\``);
  }
  return n;
}

/** The origin of an http(s) URL given as `--docs-origin`. */
export function originOf(value: string): string {
  return new URL(checkUrl(value, '--docs-origin')).origin;
}

function checkUrl(value: string, flag: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${flag} must be an absolute http(s) URL, not \`${value}\``);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`${flag} must be an absolute http(s) URL, not \`${value}\``);
  }
  return value;
}
