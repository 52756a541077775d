import type * as Yaml from 'yaml';
import { requireHere } from './lazy-require';

/**
 * The `yaml` package. On Node it is CommonJS whichever way it is loaded, so `require` gives the very
 * module an `import` would, without the ES-module loader's scan of its exports, which cost about as
 * much again as loading it (docs/performance.md, "CLI start-up").
 */
export const yaml: typeof Yaml = requireHere('yaml') as typeof Yaml;
