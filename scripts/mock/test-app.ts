/**
 * The OAuth app registered on the embedded mock when none is given: clearly synthetic values,
 * shared by `npm run mock` and `npm test` so both name the same app.
 */

/** The test app's defaults. The secret has none: it comes from {@link SECRET_ENV} or is random. */
export const TEST_APP = {
  clientId: 'docs-contract-test-client',
  callbackUrl: 'http://localhost:8976/callback',
  /** A second app, registered in the `suspended` state, for the errors of a suspended app. */
  suspendedClientId: 'docs-contract-suspended-app',
  /** A third app, which has not enabled the device flow. */
  deviceFlowDisabledClientId: 'docs-contract-no-device-flow-app',
} as const;

/** The apps in a state the mock registers besides the test app, by client id. */
export const APP_STATES: Readonly<Record<string, readonly string[]>> = {
  [TEST_APP.suspendedClientId]: ['suspended'],
  [TEST_APP.deviceFlowDisabledClientId]: ['device-flow-disabled'],
};

/** Environment variable holding the client secret of the app under test. */
export const SECRET_ENV = 'OAUTH_CLIENT_SECRET';

/** Origin the real service makes `error_uri` absolute on. */
export { DOCS_ORIGIN as DEFAULT_DOCS_ORIGIN } from '../lib/error-uri.ts';
