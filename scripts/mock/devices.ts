/**
 * Device codes issued by the mock (the OAuth device flow): each with its user code, lifetime,
 * polling interval, the last time it was polled, and what the user did. An expired code is still
 * known (so it can be answered as expired) until a second lifetime has passed; a code exchanged
 * for a token is forgotten. Bounded in number per client. The clock is injected.
 */
import { randomBytes, randomInt } from 'node:crypto';

/** One device code's grant. */
export interface DeviceGrant {
  clientId: string;
  deviceCode: string;
  userCode: string;
  /** Clock time (ms) from which the code no longer works. */
  expiresAt: number;
  /** Seconds a client must wait between polls; raised by each `slow_down`. */
  interval: number;
  /** Clock time (ms) of the last poll, or null before the first. */
  lastPollAt: number | null;
  /** What the user did on the verification page: nothing yet, approved, or denied. */
  user: 'pending' | 'approved' | 'denied';
}

/** GitHub's lifetime of a device code and its first interval, as the docs give them. */
export const DEVICE_DEFAULTS = { lifetimeSeconds: 900, intervalSeconds: 5, slowDownSeconds: 5 } as const;

/** Letters of a user code: GitHub's have no vowels or look-alikes, e.g. `WDJB-MJHT`. */
const USER_CODE_LETTERS = 'BCDFGHJKLMNPQRSTVWXZ';

/** Live and recently expired device codes. */
export class DeviceStore {
  readonly #byDevice = new Map<string, DeviceGrant>();
  readonly #byUser = new Map<string, DeviceGrant>();
  readonly #now: () => number;
  readonly #lifetimeMs: number;
  readonly #interval: number;
  readonly #max: number;

  /** `max` bounds memory: past it, the oldest code is dropped. */
  constructor(now: () => number, lifetimeSeconds: number = DEVICE_DEFAULTS.lifetimeSeconds, intervalSeconds: number = DEVICE_DEFAULTS.intervalSeconds, max = 10_000) {
    this.#now = now;
    this.#lifetimeMs = lifetimeSeconds * 1000;
    this.#interval = intervalSeconds;
    this.#max = max;
  }

  /** Issues a device code (40 hex digits) and a user code for a client. */
  issue(clientId: string): DeviceGrant {
    this.#sweep();
    if (this.#byDevice.size >= this.#max) this.#delete(this.#byDevice.values().next().value);
    let userCode = '';
    do {
      userCode = Array.from({ length: 8 }, () => USER_CODE_LETTERS[randomInt(USER_CODE_LETTERS.length)]).join('').replace(/^(.{4})/, '$1-');
    } while (this.#byUser.has(userCode));
    const grant: DeviceGrant = { clientId, deviceCode: randomBytes(20).toString('hex'), userCode, expiresAt: this.#now() + this.#lifetimeMs, interval: this.#interval, lastPollAt: null, user: 'pending' };
    this.#byDevice.set(grant.deviceCode, grant);
    this.#byUser.set(userCode, grant);
    return grant;
  }

  /** The grant of a device code issued to this client, expired or not; undefined when unknown (or exchanged). */
  peek(deviceCode: string, clientId: string): DeviceGrant | undefined {
    const grant = this.#byDevice.get(deviceCode);
    return grant && grant.clientId === clientId ? grant : undefined;
  }

  /** The grant a user code names, while it is live. */
  byUserCode(userCode: string): DeviceGrant | undefined {
    const grant = this.#byUser.get(userCode.trim().toUpperCase());
    return grant && !this.expired(grant) ? grant : undefined;
  }

  /** Whether a grant's lifetime has passed. */
  expired(grant: DeviceGrant): boolean {
    return this.#now() >= grant.expiresAt;
  }

  /** Whether a poll now comes sooner than the grant's interval after the last one. */
  tooFast(grant: DeviceGrant): boolean {
    return grant.lastPollAt !== null && this.#now() - grant.lastPollAt < grant.interval * 1000;
  }

  /** Records a poll now. */
  polled(grant: DeviceGrant): void {
    grant.lastPollAt = this.#now();
  }

  /** Ends a grant's lifetime now, as waiting it out would. */
  expire(grant: DeviceGrant): void {
    grant.expiresAt = this.#now();
  }

  /** Uses a code up: it is forgotten, so any later poll with it is of an unknown code. */
  exchange(grant: DeviceGrant): void {
    this.#delete(grant);
  }

  /** How many codes are held. */
  get size(): number {
    return this.#byDevice.size;
  }

  /** Drops codes expired for a whole lifetime, oldest first (codes are issued in the order they expire, except those ended by `expire`). */
  #sweep(): void {
    const now = this.#now();
    for (const grant of this.#byDevice.values()) {
      if (now < grant.expiresAt + this.#lifetimeMs) break;
      this.#delete(grant);
    }
  }

  #delete(grant: DeviceGrant | undefined): void {
    if (!grant) return;
    this.#byDevice.delete(grant.deviceCode);
    this.#byUser.delete(grant.userCode);
  }
}
