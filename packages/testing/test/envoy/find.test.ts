import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { envoyForTests, findEnvoy, INSTALLED_ENVOY } from '@backendkit/testing/envoy';

describe('finding Envoy for tests', () => {
  const saved = { ENVOY_BIN: process.env.ENVOY_BIN, CI: process.env.CI, PATH: process.env.PATH };
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'backendkit-find-envoy-'));
    delete process.env.ENVOY_BIN;
    process.env.PATH = join(dir, 'empty-path');
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    jest.restoreAllMocks();
  });

  function fakeBinary(path: string): string {
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, '#!/bin/sh\n');
    chmodSync(path, 0o755);
    return path;
  }

  it('takes ENVOY_BIN first, and only when it is executable', () => {
    const binary = fakeBinary(join(dir, 'my-envoy'));
    fakeBinary(join(dir, INSTALLED_ENVOY));
    process.env.ENVOY_BIN = binary;
    expect(findEnvoy(dir)).toBe(binary);
    process.env.ENVOY_BIN = join(dir, 'missing');
    expect(findEnvoy(dir)).toBeUndefined();
  });

  it('finds the installed binary from a folder below the repository root', () => {
    const binary = fakeBinary(join(dir, INSTALLED_ENVOY));
    const nested = join(dir, 'packages', 'x', 'test');
    mkdirSync(nested, { recursive: true });
    expect(findEnvoy(nested)).toBe(binary);
  });

  it('fails under CI=true when Envoy is missing', () => {
    process.env.CI = 'true';
    expect(() => envoyForTests(dir)).toThrow('Envoy is required when CI=true but none was found: run `pnpm envoy:install`');
  });

  it('skips with one line elsewhere', () => {
    delete process.env.CI;
    const write = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(envoyForTests(dir)).toBeUndefined();
    expect(write.mock.calls).toEqual([['skipping Envoy tests: run `pnpm envoy:install` (or set ENVOY_BIN to an Envoy 1.40 binary)\n']]);
  });
});
