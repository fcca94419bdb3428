import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import { registerSignInCallback } from './callback.ts';
import { registerSignIn } from './login.ts';
import { registerSignInByEmail } from './login-by-email.ts';
import { registerSignOut } from './logout.ts';

/** Browser sign-in (docs/decisions/0035): public routes outside /api/v1, each answering problem+json on failure. */
export function registerAuthRoutes(app: OpenAPIHono<AppEnv>) {
  registerSignInByEmail(app);
  registerSignIn(app);
  registerSignInCallback(app);
  registerSignOut(app);
}
