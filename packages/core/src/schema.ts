// @backendkit/core/schema: the Backend spec as JSON Schema and as a CRD, from the plugins' schemas
// (docs/plugins.md, "Schema export").
export {
  backendCrd,
  pluginCrds,
  backendSpecJsonSchema,
  backendSpecStructuralSchema,
  pluginInputSchema,
  toStructural,
  BACKEND_CRD_GROUP,
  BACKEND_CRD_VERSION,
  CONDITIONS_SCHEMA,
  JSON_SCHEMA_DIALECT,
} from './schema-export';
export type { JsonSchema } from './schema-export';
