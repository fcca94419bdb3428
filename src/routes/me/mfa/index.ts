import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../../app-env.ts';
import { registerConfirmTotp } from './confirm-totp.ts';
import { registerGetMfaStatus } from './get-status.ts';
import { registerRemoveTotp } from './remove-totp.ts';
import { registerStartTotp } from './start-totp.ts';
import { registerVerifyMfa } from './verify.ts';

/** The caller's own second factor (docs/decisions/0036). */
export function registerMyMfaRoutes(app: OpenAPIHono<AppEnv>) {
  registerGetMfaStatus(app);
  registerStartTotp(app);
  registerConfirmTotp(app);
  registerVerifyMfa(app);
  registerRemoveTotp(app);
}
