/**
 * Fills in defaults and rejects bad values with a TypeError: every number must be finite and ≥ 0,
 * every flag a boolean, and no unknown keys (a misspelt option would otherwise be ignored silently).
 */
export function withDefaults<T extends Record<string, number | boolean>>(
  defaults: T,
  given: Partial<T> | undefined,
  what: string,
): T {
  const options = { ...defaults };
  for (const [key, value] of Object.entries(given ?? {})) {
    if (!(key in defaults)) throw new TypeError(`unknown ${what} option "${key}"`);
    if (value === undefined) continue;
    const expected = typeof defaults[key];
    if (typeof value !== expected) throw new TypeError(`${what}.${key} must be a ${expected} (got ${String(value)})`);
    if (typeof value === 'number' && !(Number.isFinite(value) && value >= 0)) {
      throw new TypeError(`${what}.${key} must be a finite number ≥ 0 (got ${value})`);
    }
    (options as Record<string, unknown>)[key] = value;
  }
  return options;
}

export function requirePositive(value: number, name: string): void {
  if (!(value > 0)) throw new TypeError(`${name} must be > 0 (got ${value})`);
}

export function checkNow(now: number): number {
  if (!Number.isFinite(now) || now < 0) throw new TypeError(`now must be a finite number of seconds ≥ 0 (got ${now})`);
  return now;
}
