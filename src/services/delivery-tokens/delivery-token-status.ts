import type { SQL } from 'drizzle-orm';
import { deliveryTokens } from '../../db/schema/index.ts';
import {
  credentialStatus,
  credentialStatusCondition,
  credentialStatuses,
  type CredentialStatus,
} from '../credentials/credential-rules.ts';

export const deliveryTokenStatuses = credentialStatuses;
export type DeliveryTokenStatus = CredentialStatus;
export const deliveryTokenStatus = credentialStatus;
/** The status rule as a filter on deliveryTokens; "active" is exactly what authentication accepts. */
export const deliveryTokenStatusCondition = (status: CredentialStatus): SQL | undefined =>
  credentialStatusCondition(deliveryTokens, status);
