/**
 * The recipes file parses in linear time (yaml's own repeated-key check is quadratic, so it only
 * runs on a file that does repeat a key): a repeated key is still reported exactly as before.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { recipesText } from './synthetic-corpus.ts';
import { parseRecipes } from '../../scripts/lib/recipes.ts';

const RECIPE = '    fault: code\n    form:\n      code: "{{random}}"\n';

describe('perf: recipes with many errors', () => {
  it('reports a repeated error code at its line, with yaml’s message', () => {
    const text = `endpoint:\n  path: /widgets/token\nerrors:\n  widget_jammed:\n${RECIPE}  widget_jammed:\n${RECIPE}`;
    assert.deepEqual(
      parseRecipes(text, 'recipes.yaml').diagnostics.map((d) => `${d.line}: ${d.message}`),
      ['8: recipes file does not parse: Map keys must be unique at line 8, column 3:. Fix the YAML.'],
    );
  });

  it('reports a repeated key anywhere, in a flow mapping too', () => {
    const text = `endpoint:\n  path: /widgets/token\nerrors:\n  widget_jammed:\n    fault: code\n    form: {code: "a", code: "b"}\n`;
    assert.deepEqual(
      parseRecipes(text, 'recipes.yaml').diagnostics.map((d) => `${d.line}: ${d.message}`),
      ['6: recipes file does not parse: Map keys must be unique at line 6, column 23:. Fix the YAML.'],
    );
  });

  it('parses thousands of distinct errors into as many recipes, without diagnostics', () => {
    const errors = Array.from({ length: 3000 }, (_, i) => `widget_jam_${i}`);
    const parsed = parseRecipes(recipesText(errors), 'bench-recipes.yaml');
    assert.deepEqual(parsed.diagnostics, []);
    assert.deepEqual([...parsed.recipes.keys()], errors);
    assert.equal(parsed.recipes.get('widget_jam_2999')?.line, 5 + 5 * 2999 + 1);
  });
});
