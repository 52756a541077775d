// Run by suite.test.ts with `node --import tsx --test`: goldenSuite under node's own test runner.
import { test } from 'node:test';
import { staticPlugin } from '@backendkit/static';
import { goldenSuite } from '@backendkit/testing';

goldenSuite(process.env.GOLDEN_DIR!, { test, translate: { plugins: [staticPlugin()] } });
