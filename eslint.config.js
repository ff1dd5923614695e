// Lint: TypeScript rules everywhere, React hooks and accessibility in the renderer, and the
// import rules of DESIGN.md (also enforced by dependency-cruiser, which resolves every path).
import js from '@eslint/js';
import jsxA11y from 'eslint-plugin-jsx-a11y';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const restrict = (patterns) => ['error', { patterns }];

export default tseslint.config(
  { ignores: ['node_modules/', 'out/', 'dist/', 'renderer/dist/', 'test-results/', 'playwright-report/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'off',
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['renderer/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks, 'jsx-a11y': jsxA11y },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...jsxA11y.configs.recommended.rules,
      // The React Compiler rules assume the compiler is on; it is not.
      'react-hooks/set-state-in-effect': 'off',
      'react-hooks/refs': 'off',
      'react-hooks/incompatible-library': 'off',
      // Focusing the one field of a single-purpose screen (sign-in, unlock, search) is what
      // keyboard users expect; native elements are still checked.
      'jsx-a11y/no-autofocus': ['error', { ignoreNonDOM: true }],
      'no-restricted-imports': restrict([
        { group: ['node:*', 'fs', 'path', 'crypto', 'child_process', 'electron'], message: 'The renderer runs in a browser sandbox: no Node or Electron.' },
        { group: ['**/electron/**', '**/cloud/**', '**/tests/**'], message: 'The renderer reaches the engine only through shared/api.' },
      ]),
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict([
        { group: ['node:*', 'fs', 'path', 'crypto', 'electron', 'react', 'react-dom'], message: 'shared/ runs everywhere: no Node, Electron or React.' },
        { group: ['**/electron/**', '**/renderer/**', '**/cloud/**', '**/tests/**'], message: 'shared/ imports only shared/.' },
      ]),
    },
  },
  {
    files: ['electron/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict([
        { group: ['electron'], message: 'The engine is plain Node: it never imports electron.' },
        { group: ['**/renderer/**', '**/cloud/**', '**/tests/**', '**/main/**', '**/preload/**'], message: 'The engine imports shared/ and Node packages only.' },
      ]),
    },
  },
  {
    // The browser host runs the engine and, for a newcomer, the embedded tenant service.
    files: ['electron/browser-host/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict([
        { group: ['electron'], message: 'The browser host is plain Node: it never imports electron.' },
        { group: ['**/renderer/**', '**/tests/**', '**/main/**', '**/preload/**'], message: 'The browser host wires the engine (and the embedded cloud) only.' },
      ]),
    },
  },
  {
    files: ['electron/preload/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict([
        { group: ['node:*', '**/engine/**', '**/main/**', '**/renderer/**', '**/cloud/**', '**/domain/**'], message: 'The preload uses shared/api and contextBridge/ipcRenderer only.' },
      ]),
    },
  },
  {
    files: ['cloud/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict([
        { group: ['electron', '**/electron/**', '**/renderer/**', '**/tests/**'], message: 'cloud/ imports shared/ and its own packages only.' },
      ]),
    },
  },
);
