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

/** Where a streamed file's pieces go. */
export interface PieceWriter {
  write(piece: string): void;
  close(): void;
}

/** A value that cannot occur in JSON text written by JSON.stringify: marks where the array goes. */
const HOLE = '\u0000docs-contract-array\u0000';

/**
 * Writes `stableJson({ ...head, [key]: items })` to `out` piece by piece, an item at a time,
 * so that no more than one item is ever held as text: `item()` each value in order, then
 * `end()` (which closes `out`). The pieces joined are exactly that stableJson text.
 */
export function streamStableJson(out: PieceWriter, head: Record<string, unknown>, key: string): { item(value: unknown): void; end(): void } {
  if (Object.hasOwn(head, key)) throw new TypeError(`streamStableJson: \`${key}\` is both in head and the streamed member`);
  const whole = stableJson({ ...head, [key]: HOLE });
  const at = whole.indexOf(JSON.stringify(HOLE));
  const before = whole.slice(0, at);
  const after = whole.slice(at + JSON.stringify(HOLE).length);
  // The array is a member of the top-level object: its items are indented by 4 spaces.
  let count = 0;
  return {
    item(value) {
      const text = JSON.stringify(sortKeys(value), null, 2) ?? 'null';
      out.write(`${count === 0 ? `${before}[\n` : ',\n'}    ${text.replace(/\n/g, '\n    ')}`);
      count++;
    },
    end() {
      out.write(count === 0 ? `${before}[]${after}` : `\n  ]${after}`);
      out.close();
    },
  };
}
