// ESLint flat config: typescript-eslint's recommended rules plus Switchyard's import rules.
import tseslint from 'typescript-eslint';

const providerRootIndex = ['@cdktf/provider-aws', '@cdktf/provider-google', '@cdktf/provider-helm', '@cdktf/provider-kubernetes'];

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'cdktf.out/', 'gateway/dist/', '**/imports/', '**/.gen/', '.scratch/', 'coverage/'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...providerRootIndex.map((name) => ({
              name,
              message: `Import ${name} by deep path (${name}/lib/<resource>): its root index costs seconds and hundreds of MB per process.`,
            })),
            {
              name: 'cdktf',
              message: 'Import cdktf only through constructs/cdktf.ts, so moving to CDK Terrain (cdktn) stays a one-line change.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['constructs/cdktf.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
