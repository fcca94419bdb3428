import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../../app-env.ts';
import { registerDiffContentVersions } from './diff.ts';
import { registerGetContentVersion } from './get.ts';
import { registerListContentVersions } from './list.ts';
import { registerRestoreContentVersion } from './restore.ts';

/** The history of a content item: list, read and compare versions, and restore one as a new version. */
export function registerVersionRoutes(app: OpenAPIHono<AppEnv>) {
  registerListContentVersions(app);
  registerGetContentVersion(app);
  registerDiffContentVersions(app);
  registerRestoreContentVersion(app);
}
