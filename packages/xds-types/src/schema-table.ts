// @backendkit/xds-types/schema-table: the cluster side of the Envoy API as plain data (README,
// "Schema table"). It imports nothing, so reading it costs no protobuf-es descriptors.
export { SCHEMA_TABLE } from './gen/schema-table';
