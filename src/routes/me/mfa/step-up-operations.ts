import { confirmTotpRoute } from './confirm-totp.ts';
import { getMfaStatusRoute } from './get-status.ts';
import { startTotpRoute } from './start-totp.ts';
import { verifyMfaRoute } from './verify.ts';

/**
 * The operations a user the policy requires MFA of may call without it: how to get it (enrol, confirm,
 * verify) and whether they have it. Everything else, removing a factor included, needs MFA first.
 */
const STEP_UP_OPERATIONS = new Set(
  [getMfaStatusRoute, startTotpRoute, confirmTotpRoute, verifyMfaRoute].map(
    (route) => `${route.method.toUpperCase()} ${route.path}`,
  ),
);

export const isStepUpOperation = (method: string, path: string): boolean => STEP_UP_OPERATIONS.has(`${method} ${path}`);
