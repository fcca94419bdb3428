import type { SQL } from 'drizzle-orm';
import { apiKeys } from '../../db/schema/index.ts';
import {
  credentialStatus,
  credentialStatusCondition,
  credentialStatuses,
  type CredentialStatus,
} from '../credentials/credential-rules.ts';

export const apiKeyStatuses = credentialStatuses;
export type ApiKeyStatus = CredentialStatus;
export const apiKeyStatus = credentialStatus;
/** The status rule as a filter on apiKeys; "active" is exactly what authentication accepts. */
export const apiKeyStatusCondition = (status: CredentialStatus): SQL | undefined =>
  credentialStatusCondition(apiKeys, status);
