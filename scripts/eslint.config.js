// ESLint flat config: recommended rules for JavaScript and TypeScript, over scripts/ and tests/.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { basePath: '..' },
  { ignores: ['node_modules/', 'test-results/', 'playwright-report/', 'schemas/', 'tests/fixtures/**/*.json'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
);
