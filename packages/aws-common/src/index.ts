export { DEFAULT_REGION, accountIdSchema, authSchema, awsBaseShape, regionSchema } from './schema';
export type { AwsAuth } from './schema';
export { SECRET_KEYS, readCredentials } from './credentials';
export type { AwsCredentials, CredentialsResult } from './credentials';
