// Builds one FileDescriptorSet (the import closure of the roots, dependencies first) from the
// descriptors embedded in the Go modules of sources.mjs.
import { readFileSync } from 'node:fs';
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { FileDescriptorProtoSchema, FileDescriptorSetSchema } from '@bufbuild/protobuf/wkt';
import { rawDescriptors } from './go-literal.mjs';
import { pbGoFiles, requiredVersions } from './go-modules.mjs';
import { pruneUnusedImports } from './prune-imports.mjs';

// The file name is field 1 of FileDescriptorProto, which protoc-gen-go writes first.
function fileName(bytes) {
  if (bytes[0] !== 0x0a) return undefined;
  let len = 0;
  let shift = 0;
  let i = 1;
  for (; bytes[i] & 0x80; i++, shift += 7) len |= (bytes[i] & 0x7f) << shift;
  len |= bytes[i] << shift;
  return Buffer.from(bytes.subarray(i + 1, i + 1 + len)).toString('utf8');
}

export function buildDescriptorSet({ download, envoyModule, envoyVersion, modules, roots }) {
  const envoy = download(envoyModule, envoyVersion);
  const versions = requiredVersions(envoy.goMod);
  versions.set(envoyModule, envoyVersion);
  const raw = new Map();
  const indexed = new Map();

  const index = (source) => {
    const key = `${source.module}/${source.under ?? ''}`;
    if (indexed.has(key)) return;
    const version = versions.get(source.module);
    if (!version) throw new Error(`xds-types: ${envoyModule}@${envoyVersion} does not require ${source.module}`);
    const dir = source.module === envoyModule ? envoy.dir : download(source.module, version).dir;
    indexed.set(key, { module: source.module, version });
    for (const file of pbGoFiles(dir, source.under)) {
      for (const bytes of rawDescriptors(readFileSync(file, 'utf8'))) {
        const name = fileName(bytes);
        if (name && !raw.has(name)) raw.set(name, bytes);
      }
    }
  };

  const files = new Map();
  const ordered = [];
  const visit = (name, from) => {
    if (files.has(name)) return;
    const source = modules.find((m) => name.startsWith(m.prefix));
    if (!source) throw new Error(`xds-types: no module carries ${name} (imported by ${from}); add its prefix to sources.mjs`);
    index(source);
    const bytes = raw.get(name);
    if (!bytes) throw new Error(`xds-types: ${name} (imported by ${from}) is not in ${source.module}`);
    const proto = fromBinary(FileDescriptorProtoSchema, bytes);
    files.set(name, proto);
    for (const dep of proto.dependency) visit(dep, name);
    ordered.push(proto);
  };
  for (const root of roots) visit(root, 'the roots');
  // The closure above follows every import; the descriptors written keep only those a file uses.
  const prunedImports = pruneUnusedImports(ordered);

  const set = create(FileDescriptorSetSchema, { file: ordered });
  return {
    bytes: toBinary(FileDescriptorSetSchema, set),
    fileNames: ordered.map((f) => f.name),
    prunedImports,
    modules: [...new Map([...indexed.values()].map((m) => [m.module, m])).values()],
  };
}
