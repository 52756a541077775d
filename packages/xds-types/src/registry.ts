import { createRegistry, type DescFile, type DescMessage } from '@bufbuild/protobuf';
import { allFiles } from './gen/all-files';

// createRegistry(file) leaves out the files it imports (google/protobuf/* among them): walk them.
function withDependencies(files: readonly DescFile[]): DescFile[] {
  const seen = new Map<string, DescFile>();
  const visit = (file: DescFile): void => {
    if (seen.has(file.name)) return;
    seen.set(file.name, file);
    file.dependencies.forEach(visit);
  };
  files.forEach(visit);
  return [...seen.values()];
}

/** Every generated Envoy message and its imports, so `Any` values resolve in JSON and binary. */
export const registry = createRegistry(...withDependencies(allFiles));

/** The `@type` URL Envoy expects for a message. */
export function typeUrl(schema: DescMessage): string {
  return `type.googleapis.com/${schema.typeName}`;
}
