// Generates protobuf-es code for the Envoy messages backendkit emits.
// Protos come from the @grpc/grpc-js-xds dev dependency; neither they nor the output are committed.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkgDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(pkgDir, 'package.json'));
const depsDir = join(dirname(require.resolve('@grpc/grpc-js-xds/package.json')), 'deps');
const roots = ['envoy-api', 'xds', 'protoc-gen-validate', 'googleapis'].map((d) => join(depsDir, d));
const protoDir = join(pkgDir, 'build', 'proto');
const outDir = join(pkgDir, 'src', 'gen');

const loadBalancingPolicies = readdirSync(join(depsDir, 'envoy-api/envoy/extensions/load_balancing_policies'))
  .filter((name) => name !== 'common')
  .flatMap((name) => {
    const dir = `envoy/extensions/load_balancing_policies/${name}/v3`;
    return readdirSync(join(depsDir, 'envoy-api', dir)).map((file) => `${dir}/${file}`);
  });

export const entryProtos = [
  'envoy/config/cluster/v3/cluster.proto',
  'envoy/config/endpoint/v3/endpoint.proto',
  'envoy/service/discovery/v3/discovery.proto',
  'envoy/extensions/transport_sockets/tls/v3/tls.proto',
  'envoy/extensions/transport_sockets/raw_buffer/v3/raw_buffer.proto',
  'envoy/extensions/transport_sockets/proxy_protocol/v3/upstream_proxy_protocol.proto',
  'envoy/extensions/upstreams/http/v3/http_protocol_options.proto',
  'envoy/extensions/filters/http/aws_lambda/v3/aws_lambda.proto',
  'envoy/extensions/filters/http/upstream_codec/v3/upstream_codec.proto',
  'envoy/extensions/clusters/dynamic_forward_proxy/v3/cluster.proto',
  'envoy/extensions/http/header_formatters/preserve_case/v3/preserve_case.proto',
  ...loadBalancingPolicies,
];

function locate(path) {
  return roots.map((root) => join(root, path)).find((candidate) => existsSync(candidate));
}

// Copy the import closure; google/protobuf/* comes with buf itself.
function copyClosure() {
  rmSync(join(pkgDir, 'build'), { recursive: true, force: true });
  const seen = new Set();
  const queue = [...entryProtos];
  while (queue.length > 0) {
    const path = queue.pop();
    if (seen.has(path) || path.startsWith('google/protobuf/')) continue;
    seen.add(path);
    const source = locate(path);
    if (!source) throw new Error(`proto not found in @grpc/grpc-js-xds deps: ${path}`);
    mkdirSync(dirname(join(protoDir, path)), { recursive: true });
    cpSync(source, join(protoDir, path));
    for (const match of readFileSync(source, 'utf8').matchAll(/^import\s+(?:public\s+)?"([^"]+)";/gm)) {
      queue.push(match[1]);
    }
  }
  return seen.size;
}

// The shipped validate.proto predates the Envoy API that uses StringRules.ignore_empty.
function patchValidate() {
  const file = join(protoDir, 'validate/validate.proto');
  const text = readFileSync(file, 'utf8');
  if (text.includes('ignore_empty = 26')) return;
  const patched = text.replace(/(message StringRules \{\r?\n)/, '$1    optional bool ignore_empty = 26;\r\n');
  if (patched === text) throw new Error('could not patch validate.proto StringRules');
  writeFileSync(file, patched);
}

function bufGenerate() {
  writeFileSync(join(pkgDir, 'build', 'buf.yaml'), 'version: v2\nmodules:\n  - path: proto\n');
  const plugin = join(pkgDir, 'node_modules', '.bin', 'protoc-gen-es');
  writeFileSync(
    join(pkgDir, 'build', 'buf.gen.yaml'),
    [
      'version: v2',
      'plugins:',
      `  - local: ${JSON.stringify(plugin)}`,
      `    out: ${JSON.stringify(outDir)}`,
      '    strategy: all',
      '    opt:',
      '      - target=ts',
      '      - json_types=true',
      '      - import_extension=none',
      '',
    ].join('\n'),
  );
  rmSync(outDir, { recursive: true, force: true });
  const buf = join(pkgDir, 'node_modules', '.bin', 'buf');
  execFileSync(buf, ['generate'], { cwd: join(pkgDir, 'build'), stdio: 'inherit' });
}

// One list of every generated file, so the registry can cover them all (imports alone would miss some).
function writeFileIndex() {
  const files = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('_pb.ts')) files.push(full.slice(outDir.length + 1, -3));
    }
  };
  walk(outDir);
  files.sort();
  const lines = files.map((f, i) => `import { file_${f.slice(0, -3).replace(/[^A-Za-z0-9]/g, '_')} as f${i} } from './${f}';`);
  lines.push('', `export const allFiles = [${files.map((_, i) => `f${i}`).join(', ')}];`, '');
  writeFileSync(join(outDir, 'all-files.ts'), lines.join('\n'));
  return files.length;
}

const copied = copyClosure();
patchValidate();
bufGenerate();
const generated = writeFileIndex();
console.log(`xds-types: ${copied} protos copied, ${generated} files generated in src/gen`);
