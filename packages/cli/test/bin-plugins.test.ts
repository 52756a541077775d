import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBin } from './built-bin';

// Custom plugins in the built CLI: --plugin and backendkit.config.* (issue 16, CLI point 6).

const BACKEND =
  'apiVersion: gateway.kgateway.dev/v1alpha1\nkind: Backend\nmetadata: {name: web}\nspec:\n  static:\n    hosts: [{host: 127.0.0.1, port: 8080}]\n';
// A feature plugin is a plain object: it needs no import, so the folder needs no node_modules.
const plugin = (name: string, limit: number) => `{ name: '${name}', extend: () => ({ cluster: { perConnectionBufferLimitBytes: ${limit} } }) }`;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'backendkit-plugins-'));
  const put = (path: string, text: string) => {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  put('plain/plugins/buffer.mjs', `export default ${plugin('test/buffer', 4242)};\n`);
  put(
    'plain/plugins/two.cjs',
    `module.exports = [{ name: 'test/a', extend: () => ({ cluster: { ignoreHealthOnHostRemoval: true } }) }, { name: 'test/b', extend: () => ({ cluster: { connectTimeout: '9s' } }) }];\n`,
  );
  put('plain/node_modules/backendkit-plugin-buffer/package.json', '{"name": "backendkit-plugin-buffer", "type": "module", "main": "index.js"}');
  put('plain/node_modules/backendkit-plugin-buffer/index.js', `export default ${plugin('pkg/buffer', 777)};\n`);
  put('plain/backends.yaml', BACKEND);
  put('plain/notaplugin.mjs', 'export default 42;\n');
  put(
    'configured/backendkit.config.mjs',
    `export default { plugins: [${plugin('config/buffer', 1234)}], translator: { allowLocalAddresses: true, connectTimeout: '3s' } };\n`,
  );
  put('configured/manifests/deep/backends.yaml', BACKEND);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const clusterOf = (stdout: string) => JSON.parse(stdout).clusters[0] as Record<string, unknown> | undefined;

describe('--plugin', () => {
  test('a path relative to the working directory; the default export is a plugin', () => {
    const run = runBin(['translate', 'backends.yaml', '--allow-local-addresses', '--plugin', './plugins/buffer.mjs', '--quiet'], join(dir, 'plain'));
    expect(run.stderr).toBe('');
    expect(clusterOf(run.stdout)).toMatchObject({ name: 'backend_default_web_0', perConnectionBufferLimitBytes: 4242 });
  });

  test('repeatable; a CommonJS module exporting an array; a package name found from the working directory', () => {
    const run = runBin(
      ['translate', 'backends.yaml', '--allow-local-addresses', '--plugin', './plugins/two.cjs', '--plugin', 'backendkit-plugin-buffer', '--quiet'],
      join(dir, 'plain'),
    );
    expect(run.stderr).toBe('');
    expect(clusterOf(run.stdout)).toMatchObject({ ignoreHealthOnHostRemoval: true, connectTimeout: '9s', perConnectionBufferLimitBytes: 777 });
  });

  test.each([
    [['--plugin', './missing.mjs'], 'cannot load --plugin ./missing.mjs: no such file'],
    [['--plugin', 'no-such-package'], 'cannot load --plugin no-such-package: no such file or package'],
    [['--plugin', './notaplugin.mjs'], '--plugin ./notaplugin.mjs: expected a plugin object (with a name) or an array of them'],
  ])('%j is a usage error', (args, message) => {
    const run = runBin(['translate', 'backends.yaml', ...args], join(dir, 'plain'));
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(message);
  });
});

describe('backendkit.config.mjs', () => {
  test('is found from the working directory up, with its plugins and translator options', () => {
    const run = runBin(['translate', 'backends.yaml', '--quiet'], join(dir, 'configured', 'manifests', 'deep'));
    expect(run.stderr).toBe('');
    // allowLocalAddresses from the config lets 127.0.0.1 through; connectTimeout comes from it too.
    expect(clusterOf(run.stdout)).toMatchObject({ connectTimeout: '3s', perConnectionBufferLimitBytes: 1234 });
  });

  test('--config names another file; outside the folder, none is read', () => {
    const other = runBin(['validate', join(dir, 'plain', 'backends.yaml'), '--quiet'], join(dir, 'plain'));
    expect(other.status).toBe(1);
    expect(other.stderr).toContain('127.0.0.1 is a loopback address');
    const named = runBin(['validate', 'backends.yaml', '--config', '../configured/backendkit.config.mjs'], join(dir, 'plain'));
    expect(named.status).toBe(0);
  });
});

describe('a custom type plugin', () => {
  // Written as a user would, with zod; the temporary folder has no node_modules, so zod comes by path.
  const hostsPlugin = (origins: boolean) => `const { z } = require(${JSON.stringify(require.resolve('zod'))});
module.exports = {
  name: 'test/hosts',
  key: 'myplugin',
  schema: z.strictObject({ hosts: z.array(z.strictObject({ host: z.string(), port: z.number().int() })) }),
  translate(spec, ctx) {
    const lbEndpoints = spec.hosts.map((h) => ({ endpoint: { address: { socketAddress: { address: h.host, portValue: h.port } } } }));
    const origins = Object.fromEntries(spec.hosts.map((_, i) => [\`cluster.loadAssignment.endpoints[0].lbEndpoints[\${i}]\`, \`\${ctx.path}.hosts[\${i}].host\`]));
    return { cluster: { type: 'STATIC', loadAssignment: { endpoints: [{ lbEndpoints }] } }${origins ? ', origins' : ''} };
  },
};
`;
  const hosts =
    'apiVersion: gateway.kgateway.dev/v1alpha1\nkind: Backend\nmetadata: {name: web}\nspec:\n  myplugin:\n    hosts:\n      - {host: 192.0.2.1, port: 80}\n      - {host: 127.0.0.1, port: 80}\n';

  test('a refused endpoint address is reported at the field the plugin named (file:line:col), else at its place in the cluster', () => {
    const root = join(dir, 'hosts');
    mkdirSync(root, { recursive: true });
    writeFileSync(join(root, 'with-origins.cjs'), hostsPlugin(true));
    writeFileSync(join(root, 'without.cjs'), hostsPlugin(false));
    writeFileSync(join(root, 'in.yaml'), hosts);
    const named = runBin(['validate', 'in.yaml', '--plugin', './with-origins.cjs', '--quiet'], root);
    expect(named.status).toBe(1);
    expect(named.stderr.replace(/; refused unless .*$/m, '')).toBe(
      'in.yaml:8:16: error: Backend default/web: spec.myplugin.hosts[1].host: endpoint 127.0.0.1:80: 127.0.0.1 is a loopback address, which reaches the proxy itself (its admin port among others)\n',
    );
    const plain = runBin(['validate', 'in.yaml', '--plugin', './without.cjs', '--quiet'], root);
    expect(plain.stderr.replace(/; refused unless .*$/m, '')).toBe(
      'in.yaml:1:1: error: Backend default/web: endpoint 127.0.0.1:80 at cluster.loadAssignment.endpoints[0].lbEndpoints[1].endpoint.address: 127.0.0.1 is a loopback address, which reaches the proxy itself (its admin port among others)\n',
    );
  });
});
