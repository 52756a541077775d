import { createRegistry } from '@bufbuild/protobuf';
import { allFiles } from './gen/all-files';
import { withDependencies } from './dependencies';

/** Every generated Envoy message and its imports, so `Any` values resolve in JSON and binary. */
export const registry = createRegistry(...withDependencies(allFiles));
