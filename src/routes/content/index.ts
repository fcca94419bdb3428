import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import { registerCountContent } from './counts.ts';
import { registerCreateContent } from './create.ts';
import { registerDeleteContent } from './delete.ts';
import { registerGetContent } from './get.ts';
import { registerListContent } from './list.ts';
import { registerScoreContent } from './score.ts';
import { registerGetContentStats } from './stats.ts';
import { registerUpdateContent } from './update.ts';
import { registerVersionRoutes } from './versions/index.ts';
import { registerWorkflowRoutes } from './workflow/index.ts';

/** Registers one route file per operation of this resource. */
export function registerContentRoutes(app: OpenAPIHono<AppEnv>) {
  registerCreateContent(app);
  // Before the {id} routes, so /content/score is never read as an id.
  registerScoreContent(app);
  registerListContent(app);
  // Before GET /content/{id}: "counts" is not an id, and the first route that matches the path validates it.
  registerCountContent(app);
  registerGetContent(app);
  registerUpdateContent(app);
  registerDeleteContent(app);
  registerWorkflowRoutes(app);
  registerVersionRoutes(app);
  registerGetContentStats(app);
}
