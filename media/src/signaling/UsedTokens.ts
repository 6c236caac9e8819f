/**
 * Join tokens this media server has accepted, until they expire: a token lets one page in once,
 * so a copied or replayed token cannot join again or replace the page that used it. (Tokens name
 * the media server they are for, so remembering them here, per server, is enough.)
 */
export class UsedTokens {
  readonly #expiries = new Map<string, number>();

  /** True the first time an unexpired token id is seen; false for every later use. */
  consume(jti: string, expSeconds: number, nowMs = Date.now()): boolean {
    this.#forgetExpired(nowMs);
    if (this.#expiries.has(jti)) return false;
    this.#expiries.set(jti, expSeconds * 1000);
    return true;
  }

  get size(): number {
    return this.#expiries.size;
  }

  #forgetExpired(nowMs: number): void {
    // Insertion order is close to expiry order (tokens live for minutes): stop at the first live one.
    for (const [jti, expiresAt] of this.#expiries) {
      if (expiresAt > nowMs) break;
      this.#expiries.delete(jti);
    }
  }
}
