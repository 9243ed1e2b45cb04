import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// consumers/ holds the Kafka entry points; the composition root (bin/hookhub.js, tests, benches) hands them to
// the hub. A component that imported one would tie the use case to its transport again.
const CONSUMERS_RULE = {
  group: ['**/consumers', '**/consumers/**'],
  message: 'Nothing in src/ imports from consumers/ (the Kafka entry points); take what you need as a port (see src/app/entry-points.ts).',
};

// A component's public surface is its index.ts: another component (and the api) imports `../<component>`, never a
// path inside it such as its data-access/. The composition root (src/app, src/cli) may wire internals.
const COMPONENTS = ['ingest', 'agents', 'delivery', 'analysts', 'api'];
const publicSurfaceRule = (component) => ({
  regex: `^(\\.\\./)+(${COMPONENTS.filter((c) => c !== component).join('|')})/.+`,
  message: `Import another component through its index.ts ('../<component>'), not a path inside it; export what ${component} needs there.`,
});

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.hookhub/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'smart'],
    },
  },
  // Import rules of src/: one no-restricted-imports per file (flat config replaces, not merges, a rule's options),
  // so every block below carries the consumers/ rule and adds its component's.
  {
    files: ['src/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [CONSUMERS_RULE] }] },
  },
  ...COMPONENTS.map((component) => ({
    files: [`src/${component}/**/*.ts`],
    rules: { 'no-restricted-imports': ['error', { patterns: [CONSUMERS_RULE, publicSurfaceRule(component)] }] },
  })),
  {
    // Node scripts of the console build (vite config, type generation): ES modules with node's globals.
    files: ['console/**/*.mjs'],
    languageOptions: { sourceType: 'module', globals: { process: 'readonly', console: 'readonly', URL: 'readonly', fetch: 'readonly' } },
  },
  {
    files: ['bin/**/*.js', '*.js', 'test/support/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', process: 'readonly', __dirname: 'readonly', module: 'writable', console: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
