// Generates protobuf-es code for the Envoy API (docs: ../README.md). The descriptors come from the
// go-control-plane `envoy` module and the modules it requires, downloaded with `go` into build/go;
// neither they nor the output are committed.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildDescriptorSet } from './descriptor-set.mjs';
import { goDownloader } from './go-modules.mjs';
import { schemaTable } from './schema-table.mjs';
import { CLUSTER_SIDE_PROTOS, DESCRIPTOR_MODULES, ENVOY_API_REVISION, ENVOY_MODULE, ROOT_PROTOS } from './sources.mjs';

const pkgDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const buildDir = join(pkgDir, 'build');
const outDir = join(pkgDir, 'src', 'gen');
const imagePath = join(buildDir, 'envoy-api.binpb');

function writeImage() {
  const set = buildDescriptorSet({
    download: goDownloader(join(buildDir, 'go')),
    envoyModule: ENVOY_MODULE,
    envoyVersion: ENVOY_API_REVISION,
    modules: DESCRIPTOR_MODULES,
    roots: ROOT_PROTOS,
  });
  writeFileSync(imagePath, set.bytes);
  return set;
}

function bufGenerate() {
  const plugin = join(pkgDir, 'node_modules', '.bin', 'protoc-gen-es');
  writeFileSync(
    join(buildDir, 'buf.gen.yaml'),
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
  // The well-known types ship with @bufbuild/protobuf/wkt, which the generated code imports.
  execFileSync(buf, ['generate', imagePath, '--exclude-path', 'google/protobuf'], { cwd: buildDir, stdio: 'inherit' });
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

function writeRevision(modules) {
  const lines = [
    '/** The go-control-plane `envoy` module tag (= the Envoy release) the types were generated from. */',
    `export const ENVOY_API_REVISION = ${JSON.stringify(ENVOY_API_REVISION)};`,
    '/** Every Go module the descriptors came from, with its version. */',
    `export const ENVOY_API_MODULES: readonly { module: string; version: string }[] = ${JSON.stringify(modules)};`,
    '',
  ];
  writeFileSync(join(outDir, 'revision.ts'), lines.join('\n'));
}

// The cluster side: the generated files `clusterRegistry` is made of, and the same files as the schema
// table core's strict check reads (README, "Schema table").
function writeClusterSide(setBytes) {
  const stem = (proto) => proto.slice(0, -'.proto'.length);
  const lines = CLUSTER_SIDE_PROTOS.map((p, i) => `import { file_${stem(p).replace(/[^A-Za-z0-9]/g, '_')} as f${i} } from './${stem(p)}_pb';`);
  lines.push('', `export const clusterSideFiles = [${CLUSTER_SIDE_PROTOS.map((_, i) => `f${i}`).join(', ')}];`, '');
  writeFileSync(join(outDir, 'cluster-files.ts'), lines.join('\n'));
  const { table, files } = schemaTable(setBytes, CLUSTER_SIDE_PROTOS);
  const text = [
    `// The cluster side of Envoy API ${ENVOY_API_REVISION} (${files.length} files): see README.md, "Schema table".`,
    `export const SCHEMA_TABLE: string = ${JSON.stringify(JSON.stringify(table))};`,
    '',
  ];
  writeFileSync(join(outDir, 'schema-table.ts'), text.join('\n'));
  return Object.keys(table.m).length;
}

mkdirSync(buildDir, { recursive: true });
const set = writeImage();
bufGenerate();
const generated = writeFileIndex();
writeRevision(set.modules);
const tableMessages = writeClusterSide(set.bytes);
console.log(
  `xds-types: Envoy API ${ENVOY_API_REVISION}, ${set.fileNames.length} descriptors from ${set.modules.length} Go modules, ${generated} files generated in src/gen, ${tableMessages} messages in the schema table`,
);
