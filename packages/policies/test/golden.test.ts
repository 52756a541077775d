import { join } from 'node:path';
import { goldenSuite } from '@backendkit/testing';
import { testPlugins } from './plugins';

describe('policy golden files', () => {
  goldenSuite(join(__dirname, 'fixtures'), { translate: { plugins: testPlugins() } });
});
