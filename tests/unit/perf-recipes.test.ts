/**
 * The recipes file parses in linear time (yaml's own repeated-key check is quadratic, so it only
 * runs on a file that does repeat a key): a repeated key is still reported exactly as before.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { recipesText } from '../../scripts/bench/corpus.ts';
import { parseRecipes } from '../../scripts/lib/recipes.ts';

const FAULTS = 'faults:\n  unissued-code: {kind: unknown-value, field: code, known: issued-code}\n';
const LINES_BEFORE = 10;
const RECIPE = '        fault: unissued-code\n        form:\n          code: "{{random}}"\n';

describe('perf: recipes with many errors', () => {
  it('reports a repeated error code at its line, with yaml’s message', () => {
    const text = `${FAULTS}endpoints:\n  widgets:\n    path: /widgets/token\n    errors:\n      widget_jammed:\n${RECIPE}      widget_jammed:\n${RECIPE}`;
    assert.deepEqual(
      parseRecipes(text, 'recipes.yaml').diagnostics.map((d) => `${d.line}: ${d.message}`),
      ['11: profiles file does not parse: Map keys must be unique at line 11, column 7:. Fix the YAML.'],
    );
  });

  it('reports a repeated key anywhere, in a flow mapping too', () => {
    const text = `${FAULTS}endpoints:\n  widgets:\n    path: /widgets/token\n    errors:\n      widget_jammed:\n        fault: unissued-code\n        form: {code: "a", code: "b"}\n`;
    assert.deepEqual(
      parseRecipes(text, 'recipes.yaml').diagnostics.map((d) => `${d.line}: ${d.message}`),
      ['9: profiles file does not parse: Map keys must be unique at line 9, column 27:. Fix the YAML.'],
    );
  });

  it('parses thousands of distinct errors into as many recipes, without diagnostics', () => {
    const errors = Array.from({ length: 3000 }, (_, i) => `widget_jam_${i}`);
    const parsed = parseRecipes(recipesText(errors), 'bench-recipes.yaml');
    assert.deepEqual(parsed.diagnostics, []);
    assert.deepEqual([...parsed.recipes.keys()], errors);
    assert.equal(parsed.recipes.get('widget_jam_2999')?.[0]?.line, LINES_BEFORE + 5 * 2999 + 1);
  });
});
