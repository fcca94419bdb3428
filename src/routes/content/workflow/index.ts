import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../../app-env.ts';
import { registerReviewContentCompliance } from '../compliance.ts';
import { registerApproveContent } from './approve.ts';
import { registerArchiveContent } from './archive.ts';
import { registerPublishContent } from './publish.ts';
import { registerRejectContent } from './reject.ts';
import { registerRestoreContent } from './restore.ts';
import { registerScheduleContent } from './schedule.ts';
import { registerSubmitContent } from './submit.ts';
import { registerUnpublishContent } from './unpublish.ts';
import { registerUnscheduleContent } from './unschedule.ts';

/** The editorial workflow: one route per action (the only way status changes), and the compliance review. */
export function registerWorkflowRoutes(app: OpenAPIHono<AppEnv>) {
  registerSubmitContent(app);
  registerApproveContent(app);
  registerRejectContent(app);
  registerPublishContent(app);
  registerScheduleContent(app);
  registerUnscheduleContent(app);
  registerUnpublishContent(app);
  registerArchiveContent(app);
  registerRestoreContent(app);
  registerReviewContentCompliance(app);
}
