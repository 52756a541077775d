import type { DescFile } from '@bufbuild/protobuf';

/** The files and everything they import: createRegistry(file) leaves out the imports (google/protobuf/* among them). */
export function withDependencies(files: readonly DescFile[]): DescFile[] {
  const seen = new Map<string, DescFile>();
  const visit = (file: DescFile): void => {
    if (seen.has(file.name)) return;
    seen.set(file.name, file);
    file.dependencies.forEach(visit);
  };
  files.forEach(visit);
  return [...seen.values()];
}
