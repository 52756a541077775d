export { backendSpecJsonSchema, pluginInputSchema, JSON_SCHEMA_DIALECT } from './json-schema';
export type { JsonSchema } from './json-schema';
export { backendCrd, backendSpecStructuralSchema, pluginCrds, BACKEND_CRD_GROUP, BACKEND_CRD_VERSION, CONDITIONS_SCHEMA } from './crd';
export { toStructural } from './structural';
