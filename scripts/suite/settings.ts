/**
 * The target of the contract suite: which server, which registered app, which docs origin.
 * `npm test` passes these to Playwright through environment variables (never on a command
 * line, where the secret would be visible); the fixtures read them back.
 */
import { readFileSync } from 'node:fs';
import { UsageError } from '../lib/util.ts';
import type { Setting } from '../lib/recipes.ts';
import { DEFAULT_DOCS_ORIGIN, SECRET_ENV } from '../mock/test-app.ts';
import { MASK } from './mask.ts';

export { DEFAULT_DOCS_ORIGIN };

/** Default `--request-timeout`, in milliseconds, for one request. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

/** Environment variables carrying the settings from `npm test` to the Playwright workers. */
export const ENV = {
  baseUrl: 'DOCS_CONTRACT_BASE_URL',
  clientId: 'DOCS_CONTRACT_CLIENT_ID',
  clientSecret: SECRET_ENV,
  callbackUrl: 'DOCS_CONTRACT_CALLBACK_URL',
  suspendedClientId: 'DOCS_CONTRACT_SUSPENDED_CLIENT_ID',
  deviceFlowDisabledClientId: 'DOCS_CONTRACT_DEVICE_FLOW_DISABLED_CLIENT_ID',
  docsOrigin: 'DOCS_CONTRACT_DOCS_ORIGIN',
  requestTimeout: 'DOCS_CONTRACT_REQUEST_TIMEOUT',
  /** `1`: `--strict` was given (a run that tests no server response fails). */
  strict: 'DOCS_CONTRACT_STRICT',
  /** The `--locale` values, comma-separated: only these docs locales' tests run. */
  locales: 'DOCS_CONTRACT_LOCALES',
} as const;

/** What the suite tests against. A setting that was not given is null. */
export interface TargetSettings {
  baseUrl: string | null;
  clientId: string | null;
  clientSecret: string | null;
  callbackUrl: string | null;
  /** The client id of an app that is suspended on the server (for the errors of a suspended app). */
  suspendedClientId: string | null;
  /** The client id of an app that has not enabled the device flow. */
  deviceFlowDisabledClientId: string | null;
  /** Origin (`scheme://host[:port]`) an absolute `error_uri` must be on. */
  docsOrigin: string;
  /** Longest wait for one response, in milliseconds. */
  requestTimeout: number;
}

/** How a user gives each setting, for skip reasons and messages. */
export const HOW_TO_GIVE: Record<Setting | 'baseUrl', string> = {
  baseUrl: 'pass `--base-url=URL` to `npm test`',
  clientId: 'pass `--client-id=ID` to `npm test`',
  clientSecret: 'set `OAUTH_CLIENT_SECRET` or pass `--client-secret-file=PATH` to `npm test`',
  callbackUrl: 'pass `--callback-url=URL` to `npm test`',
  suspendedClientId: 'pass `--suspended-client-id=ID` (an app suspended on the server) to `npm test`',
  deviceFlowDisabledClientId: 'pass `--device-flow-disabled-client-id=ID` (an app without the device flow) to `npm test`',
};

/** Human name of each setting. */
export const SETTING_NAMES: Record<Setting | 'baseUrl', string> = {
  baseUrl: 'the server URL',
  clientId: 'the client id',
  clientSecret: 'the client secret',
  callbackUrl: 'the registered callback URL',
  suspendedClientId: 'the client id of a suspended app',
  deviceFlowDisabledClientId: 'the client id of an app without the device flow',
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
    baseUrl: baseUrl === null ? null : checkBaseUrl(baseUrl).replace(/\/+$/, ''),
    clientId: get(ENV.clientId),
    clientSecret: get(ENV.clientSecret),
    callbackUrl: callbackUrl === null ? null : checkUrl(callbackUrl, '--callback-url'),
    suspendedClientId: get(ENV.suspendedClientId),
    deviceFlowDisabledClientId: get(ENV.deviceFlowDisabledClientId),
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
  put(ENV.suspendedClientId, settings.suspendedClientId);
  put(ENV.deviceFlowDisabledClientId, settings.deviceFlowDisabledClientId);
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

/** Longest `--request-timeout`: Node's timers fire at once for any longer delay (2^31 ms and more). */
export const MAX_REQUEST_TIMEOUT_MS = 2 ** 31 - 1;

/** Parses `--request-timeout`: a positive whole number of milliseconds, at most {@link MAX_REQUEST_TIMEOUT_MS}. */
export function parseTimeout(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n <= 0 || n > MAX_REQUEST_TIMEOUT_MS) {
    throw new UsageError(`--request-timeout must be a positive whole number of milliseconds up to ${MAX_REQUEST_TIMEOUT_MS} (about 24 days), not \`${value}\``);
  }
  return n;
}

/**
 * The client secret given by `--client-secret-file` (the file's text, without its final line
 * break), or undefined when the flag was not given. Unlike `--client-secret`, the secret then
 * appears on no command line, so in no process list and in no npm debug log.
 */
export function secretFromFile(file: string | undefined): string | undefined {
  if (file === undefined) return undefined;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`--client-secret-file: cannot read \`${file}\` (${(error as NodeJS.ErrnoException).code ?? 'unreadable'}); give a file holding the client secret`);
  }
  const secret = text.replace(/\r?\n$/, '');
  if (secret === '') throw new UsageError(`--client-secret-file: \`${file}\` is empty; it must hold the client secret`);
  return secret;
}

/**
 * `--base-url`, checked: an http(s) URL without credentials (they would be printed with the URL
 * on every line), query or fragment (each endpoint's path is appended to it).
 */
function checkBaseUrl(value: string): string {
  checkUrl(value, '--base-url');
  if (/^[^:]+:\/\/[^/?#]*@/.test(value)) {
    throw new UsageError(`--base-url must not hold a user name or password (\`${withoutUserinfo(value)}\`): they would show wherever the URL is printed; the suite sends the app's client id and secret itself`);
  }
  if (/[?#]/.test(value)) {
    throw new UsageError(`--base-url must not hold a query or fragment, not \`${value}\`: each endpoint's path is appended to it; give the server's root, e.g. \`${value.replace(/[?#][\s\S]*$/, '')}\``);
  }
  return value;
}

/** `value` with anything before an `@` in its authority replaced by `***`. */
function withoutUserinfo(value: string): string {
  return value.replace(/^([^:]+:\/\/)[^/?#]*@/, `$1${MASK}@`);
}

/** The origin of an http(s) URL given as `--docs-origin`. */
export function originOf(value: string): string {
  return new URL(checkUrl(value, '--docs-origin')).origin;
}

function checkUrl(value: string, flag: string): string {
  let url: URL | null = null;
  try {
    url = new URL(value);
  } catch {
    // named below
  }
  if (url === null || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new UsageError(`${flag} must be an absolute http(s) URL, not \`${withoutUserinfo(value)}\``);
  }
  return value;
}
