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

/** Live codes, oldest first. */
export class CodeStore {
  readonly #codes = new Map<string, Grant>();
  readonly #now: () => number;
  readonly #ttlMs: number;
  readonly #max: number;

  /** `max` bounds memory: past it, expired codes are dropped, then the oldest. */
  constructor(now: () => number, ttlMs: number, max = 10_000) {
    this.#now = now;
    this.#ttlMs = ttlMs;
    this.#max = max;
  }

  /** Issues a fresh code (20 hex digits, like GitHub's) for a grant. */
  issue(grant: Omit<Grant, 'expiresAt'>): string {
    if (this.#codes.size >= this.#max) this.#evict();
    const code = randomBytes(10).toString('hex');
    this.#codes.set(code, { ...grant, expiresAt: this.#now() + this.#ttlMs });
    return code;
  }

  /** The grant of a live code of this client, without using the code up. */
  peek(code: string, clientId: string): Grant | undefined {
    const grant = this.#codes.get(code);
    return grant && grant.clientId === clientId && this.#now() < grant.expiresAt ? grant : undefined;
  }

  /** Uses a code up: its grant when it is live and this client's, else undefined. */
  redeem(code: string, clientId: string): Grant | undefined {
    const grant = this.peek(code, clientId);
    if (grant || this.#isExpired(code)) this.#codes.delete(code);
    return grant;
  }

  /** How many codes are held (live or not yet swept). */
  get size(): number {
    return this.#codes.size;
  }

  #isExpired(code: string): boolean {
    const grant = this.#codes.get(code);
    return grant !== undefined && this.#now() >= grant.expiresAt;
  }

  #evict(): void {
    const now = this.#now();
    for (const [code, grant] of this.#codes) if (now >= grant.expiresAt) this.#codes.delete(code);
    for (const code of this.#codes.keys()) {
      if (this.#codes.size < this.#max) break;
      this.#codes.delete(code);
    }
  }
}
