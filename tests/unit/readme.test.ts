/** The README stays true: every rule is listed with its description, every command shown exists. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { RULES } from '../../scripts/lib/rules.ts';

const readme = readFileSync('README.md', 'utf8');
const scripts = Object.keys((JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts);

describe('README', () => {
  it('lists every rule id with its one-line description, and no other', () => {
    const rows = [...readme.matchAll(/^\| `([a-z-]+)` \| [^|]+ \| [^|]+ \| (.+) \|$/gm)].map((m) => [m[1], m[2]]);
    assert.deepEqual(
      rows.map(([id]) => id).sort(),
      Object.keys(RULES).sort(),
    );
    for (const [id, description] of rows) {
      assert.equal(description?.replace(/\\\|/g, '|'), RULES[id as keyof typeof RULES], `README description of ${id}`);
    }
  });

  it('shows only npm scripts that exist', () => {
    const used = new Set([...readme.matchAll(/npm run (?:-s )?([a-z:]+)/g)].map((m) => m[1] ?? ''));
    for (const name of used) assert.ok(scripts.includes(name), `README shows \`npm run ${name}\`, which package.json does not define`);
    assert.ok(used.has('check') && used.has('generate') && used.has('validate') && used.has('drift') && used.has('mock') && used.has('bench'));
  });
});
