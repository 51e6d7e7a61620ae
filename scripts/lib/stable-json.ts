/**
 * Deterministic JSON: keys sorted by code point at every level, 2-space indent, trailing newline.
 * Every generated file goes through here so that a second run changes no byte.
 */

/** Serializes a value with sorted keys, 2-space indent and a trailing newline. */
export function stableJson(value: unknown): string {
  return `${JSON.stringify(sortKeys(value), null, 2)}\n`;
}

/** One-line canonical form, for comparing values regardless of key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    const member = sortKeys((value as Record<string, unknown>)[key]);
    // Assignment to `__proto__` would set the prototype: defineProperty keeps it an ordinary member.
    if (key === '__proto__') Object.defineProperty(out, key, { value: member, enumerable: true, writable: true, configurable: true });
    else out[key] = member;
  }
  return out;
}
