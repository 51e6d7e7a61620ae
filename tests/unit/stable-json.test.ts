import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalJson, stableJson, streamStableJson } from '../../scripts/lib/stable-json.ts';

describe('stable JSON', () => {
  it('sorts keys at every level, indents by 2 and ends with a newline', () => {
    assert.equal(stableJson({ b: 1, a: [{ d: 1, c: 2 }] }), '{\n  "a": [\n    {\n      "c": 2,\n      "d": 1\n    }\n  ],\n  "b": 1\n}\n');
    assert.equal(canonicalJson({ b: 1, a: 2 }), canonicalJson({ a: 2, b: 1 }));
  });

  it('keeps a `__proto__` member a member, in its sorted place', () => {
    const value: unknown = JSON.parse('{"z": 1, "__proto__": {"polluted": true}, "a": 2}');
    assert.equal(canonicalJson(value), '{"__proto__":{"polluted":true},"a":2,"z":1}');
  });

  describe('streamed a member at a time', () => {
    /** Streams `items` as member `key` of `head`; returns the pieces and whether the writer was closed once. */
    function stream(head: Record<string, unknown>, key: string, items: unknown[]): { pieces: string[]; closed: number } {
      const pieces: string[] = [];
      let closed = 0;
      const writer = streamStableJson({ write: (p) => void pieces.push(p), close: () => void closed++ }, head, key);
      for (const item of items) writer.item(item);
      writer.end();
      return { pieces, closed };
    }
    const items = [{ z: 1, a: [{ y: 'line\nbreak', x: null }] }, 'text', 3, [], {}, null, { __proto__x: 1, b: { d: 1, c: 2 } }];

    for (const key of ['a', 'm', 'zz']) {
      for (const n of [0, 1, 2, items.length]) {
        it(`joins to exactly stableJson, member \`${key}\` among the others, ${n} item${n === 1 ? '' : 's'}`, () => {
          const head = { $comment: 'generated', b: [1, { y: 2, x: 1 }], n: null, q: 'quote " and \\ backslash' };
          const { pieces, closed } = stream(head, key, items.slice(0, n));
          assert.equal(pieces.join(''), stableJson({ ...head, [key]: items.slice(0, n) }));
          assert.equal(closed, 1);
          assert.equal(pieces.length, Math.max(1, n + 1), 'one piece per item, and one to end');
        });
      }
    }

    it('writes an item that is undefined as null, as in an array', () => {
      assert.equal(stream({}, 'list', [undefined]).pieces.join(''), stableJson({ list: [undefined] }));
    });

    it('refuses a head that already has the member', () => {
      assert.throws(() => streamStableJson({ write() {}, close() {} }, { cases: [] }, 'cases'), /both in head/);
    });
  });
});
