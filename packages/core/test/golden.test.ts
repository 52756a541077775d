import { join } from 'node:path';
import { staticPlugin } from '@backendkit/static';
import { assertStrictEnvoy, expectGolden, goldenCases, runTranslation } from '@backendkit/testing';
import { toyPlugin } from './toy-plugins';

describe('core golden files (static + a custom toy type)', () => {
  for (const c of goldenCases(join(__dirname, 'fixtures'))) {
    test(c.name, () => {
      const { output } = runTranslation(c.input, { plugins: [staticPlugin(), toyPlugin], file: `${c.name}.yaml` });
      assertStrictEnvoy(output);
      expectGolden(c.goldenFile, output);
    });
  }
});
