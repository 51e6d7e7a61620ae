/**
 * Authorization codes issued by the mock: single use, expiring, bounded in number.
 * Redeeming is synchronous, so of any number of concurrent exchanges of one code exactly one wins.
 */
import { randomBytes } from 'node:crypto';

/** What a code was issued for. */
export interface Grant {
  clientId: string;
  /** The `redirect_uri` given when the code was issued, or null when the callback URL was used. */
  redirectUri: string | null;
  /** Granted scopes, comma-separated as GitHub writes them. */
  scope: string;
  /** Clock time (ms) from which the code no longer works. */
  expiresAt: number;
}

/**
 * Live codes. Every code lives as long as every other, so the order codes are issued in is the
 * order they expire in: expired codes are swept from the front, a few at a time, and no operation
 * looks at more codes than it removes.
 */
export class CodeStore {
  /** Every code held, oldest first. */
  readonly #codes = new Map<string, Grant>();
  /** Each client's codes, oldest first. */
  readonly #byClient = new Map<string, Set<string>>();
  readonly #now: () => number;
  readonly #ttlMs: number;
  readonly #maxPerClient: number;

  /** `maxPerClient` bounds memory per client: past it, that client's oldest code is dropped, never another client's. */
  constructor(now: () => number, ttlMs: number, maxPerClient = 10_000) {
    this.#now = now;
    this.#ttlMs = ttlMs;
    this.#maxPerClient = maxPerClient;
  }

  /** Issues a fresh code (20 hex digits, like GitHub's) for a grant. */
  issue(grant: Omit<Grant, 'expiresAt'>): string {
    this.#sweep();
    let mine = this.#byClient.get(grant.clientId);
    if (mine === undefined) this.#byClient.set(grant.clientId, (mine = new Set()));
    if (mine.size >= this.#maxPerClient) this.#delete(mine.values().next().value ?? '');
    const code = randomBytes(10).toString('hex');
    this.#codes.set(code, { ...grant, expiresAt: this.#now() + this.#ttlMs });
    mine.add(code);
    return code;
  }

  /** The grant of a live code of this client, without using the code up. */
  peek(code: string, clientId: string): Grant | undefined {
    const grant = this.#codes.get(code);
    return grant && grant.clientId === clientId && this.#now() < grant.expiresAt ? grant : undefined;
  }

  /** Uses a code up: its grant when it is live and this client's, else undefined. */
  redeem(code: string, clientId: string): Grant | undefined {
    this.#sweep();
    const grant = this.peek(code, clientId);
    if (grant) this.#delete(code);
    return grant;
  }

  /** How many codes are held (live or not yet swept). */
  get size(): number {
    return this.#codes.size;
  }

  /** Drops the expired codes, from the oldest up to the first live one. */
  #sweep(): void {
    const now = this.#now();
    for (const [code, grant] of this.#codes) {
      if (now < grant.expiresAt) break;
      this.#delete(code);
    }
  }

  #delete(code: string): void {
    const grant = this.#codes.get(code);
    if (grant === undefined) return;
    this.#codes.delete(code);
    const mine = this.#byClient.get(grant.clientId);
    mine?.delete(code);
    if (mine?.size === 0) this.#byClient.delete(grant.clientId);
  }
}
