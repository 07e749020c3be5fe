import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CRD_CLASS_IMPORTS, importCrdClasses } from '../../scripts/import-crd-classes';
import { ROOT, SHARED, tempDir } from '../support/paths';

const haveShared = existsSync(join(SHARED, 'crds'));
if (!haveShared && process.env.CI) throw new Error(`CI must have ../shared/crds beside the project (${SHARED})`);
if (!haveShared) console.log('skipping the typed CRD classes drift check: ../shared/crds is missing (it is there in CI)');

(haveShared ? describe : describe.skip)('typed CRD classes in imports/', () => {
  it('are exactly what cdk8s import generates from the CRDs (regenerate with: npx tsx scripts/import-crd-classes.ts)', () => {
    const out = tempDir('switchyard-crd-classes-');
    importCrdClasses(out);
    for (const { group } of CRD_CLASS_IMPORTS) {
      const file = `${group}.ts`;
      expect({ file, text: readFileSync(join(ROOT, 'imports', file), 'utf8') }).toEqual({
        file,
        text: readFileSync(join(out, file), 'utf8'),
      });
    }
  });
});
