import { ESLint } from 'eslint';
import { join } from 'node:path';
import { ROOT } from '../support/paths';

/** The lint rules that keep provider imports cheap and cdktf behind one module actually fire. */
describe('import lint rules', () => {
  const eslint = new ESLint({ cwd: ROOT });
  const lint = async (code: string, file: string) => {
    const [result] = await eslint.lintText(code, { filePath: join(ROOT, file) });
    return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
  };

  it.each(['@cdktf/provider-aws', '@cdktf/provider-google', '@cdktf/provider-helm'])('forbids the root index of %s', async (pkg) => {
    const messages = await lint(`import { EksCluster } from '${pkg}';\nexport const x = EksCluster;\n`, 'infra/example.ts');
    expect(messages).toEqual([expect.stringContaining(`Import ${pkg} by deep path`)]);
  });

  it('allows deep provider imports', async () => {
    expect(await lint(`import { EksCluster } from '@cdktf/provider-aws/lib/eks-cluster';\nexport const x = EksCluster;\n`, 'infra/example.ts')).toEqual([]);
  });

  it('forbids importing cdktf outside constructs/cdktf.ts, and allows it there', async () => {
    const code = `import { App } from 'cdktf';\nexport const x = App;\n`;
    expect(await lint(code, 'infra/example.ts')).toEqual([expect.stringContaining('Import cdktf only through constructs/cdktf.ts')]);
    expect(await lint(code, 'constructs/cdktf.ts')).toEqual([]);
  });
});
