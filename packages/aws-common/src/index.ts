export { ASSUME_ROLE_UNSUPPORTED, DEFAULT_REGION, accountIdSchema, assumeRoleSchema, authSchema, awsBaseShape, regionSchema, roleAuthSchema } from './schema';
export type { AwsAuth, AwsRoleAuth } from './schema';
export { SECRET_KEYS, readCredentials } from './credentials';
export type { AwsCredentials, CredentialsResult } from './credentials';
