import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import { registerGetProblem } from './get.ts';
import { registerListProblems } from './list.ts';

/** The error-code catalogue, where every problem `type` URI resolves: public, no credentials. */
export function registerProblemRoutes(app: OpenAPIHono<AppEnv>) {
  registerListProblems(app);
  registerGetProblem(app);
}
