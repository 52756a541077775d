export {
  ACCOUNT_ID,
  ASSUME_ROLE_UNSUPPORTED,
  DEFAULT_REGION,
  accountIdSchema,
  assumeRoleSchema,
  authSchema,
  awsBaseShape,
  regionSchema,
  roleAuthSchema,
} from './schema';
export type { AwsAuth, AwsRoleAuth } from './schema';
export { SECRET_KEYS, readCredentials } from './credentials';
export type { AwsCredentials, CredentialsResult } from './credentials';
export { isData, onlyKeys, wellFormedBase } from './well-formed';
export type { WellFormedBase } from './well-formed';
