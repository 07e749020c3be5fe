import { spawnSync } from 'node:child_process';
import { ROOT } from '../support/paths';

/**
 * The lint rules that keep provider imports cheap and cdktf behind one module actually fire.
 * ESLint loads its flat config with a dynamic import(), which Jest's module VM does not support,
 * so the cases are linted by the ESLint API in one child process.
 */
// Package names built at run time, so this file holds no root-index import text of its own.
const provider = (name: string) => `@cdktf/provider-${name}`;
const cases = {
  aws: [`import { EksCluster } from '${provider('aws')}';\nexport const x = EksCluster;\n`, 'infra/example.ts'],
  google: [`import { ContainerCluster } from '${provider('google')}';\nexport const x = ContainerCluster;\n`, 'infra/example.ts'],
  helm: [`import { Release } from '${provider('helm')}';\nexport const x = Release;\n`, 'infra/example.ts'],
  deep: ["import { EksCluster } from '@cdktf/provider-aws/lib/eks-cluster';\nexport const x = EksCluster;\n", 'infra/example.ts'],
  cdktfElsewhere: ["import { App } from 'cdktf';\nexport const x = App;\n", 'infra/example.ts'],
  cdktfGateway: ["import { App } from 'cdktf';\nexport const x = App;\n", 'constructs/cdktf.ts'],
};

const script = `
const { ESLint } = require('eslint');
const path = require('node:path');
const cases = JSON.parse(process.argv[1]);
(async () => {
  const eslint = new ESLint({ cwd: process.cwd() });
  const out = {};
  for (const [name, [code, file]] of Object.entries(cases)) {
    const [result] = await eslint.lintText(code, { filePath: path.join(process.cwd(), file) });
    out[name] = result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
  }
  process.stdout.write(JSON.stringify(out));
})();
`;

describe('import lint rules', () => {
  let messages: Record<keyof typeof cases, string[]>;
  beforeAll(() => {
    const result = spawnSync(process.execPath, ['-e', script, JSON.stringify(cases)], { cwd: ROOT, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(result.stderr);
    messages = JSON.parse(result.stdout);
  });

  it.each([
    ['aws', '@cdktf/provider-aws'],
    ['google', '@cdktf/provider-google'],
    ['helm', '@cdktf/provider-helm'],
  ] as const)('forbids the root index of the %s provider', (name, pkg) => {
    expect(messages[name]).toEqual([expect.stringContaining(`Import ${pkg} by deep path`)]);
  });

  it('allows deep provider imports', () => {
    expect(messages.deep).toEqual([]);
  });

  it('forbids importing cdktf outside constructs/cdktf.ts, and allows it there', () => {
    expect(messages.cdktfElsewhere).toEqual([expect.stringContaining('Import cdktf only through constructs/cdktf.ts')]);
    expect(messages.cdktfGateway).toEqual([]);
  });
});
