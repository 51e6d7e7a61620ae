import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalJson, stableJson } from '../../scripts/lib/stable-json.ts';

describe('stable JSON', () => {
  it('sorts keys at every level, indents by 2 and ends with a newline', () => {
    assert.equal(stableJson({ b: 1, a: [{ d: 1, c: 2 }] }), '{\n  "a": [\n    {\n      "c": 2,\n      "d": 1\n    }\n  ],\n  "b": 1\n}\n');
    assert.equal(canonicalJson({ b: 1, a: 2 }), canonicalJson({ a: 2, b: 1 }));
  });

  it('keeps a `__proto__` member a member, in its sorted place', () => {
    const value: unknown = JSON.parse('{"z": 1, "__proto__": {"polluted": true}, "a": 2}');
    assert.equal(canonicalJson(value), '{"__proto__":{"polluted":true},"a":2,"z":1}');
  });
});
